import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import { verifyWebhook } from '../../server/src/notify/webhook.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { closeSmtpServers, smtpServer } from '../unit-support/smtp.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * Budgets of accounts and their alerts, delivered to a real SMTP server and a real webhook receiver on loopback. Every
 * job is 1 CPU and 1 GiB for one hour: 0.55 THB at mu.
 */
const SECRET = 'budget-webhook-secret-0123456789';
let t: TestApp;
let admin: string;
let alice: string;
let bob: string;
let smtp: Awaited<ReturnType<typeof smtpServer>>;
let receiver: Server;
const hooks: Array<{ type: string; data: any }> = [];

function job(id: number, user: string, account: string, end: string): NormalizedJob {
  const stop = new Date(end);
  return {
    cluster: 'test', jobId: String(id), user, account, partition: 'cpu', name: `job ${id}`, state: 'COMPLETED',
    submit: new Date(stop.getTime() - 3_600_000), start: new Date(stop.getTime() - 3_600_000), end: stop,
    elapsedSeconds: 3600, totalCpuSeconds: 3600, reqTres: {}, allocTres: { cpu: 1, mem: 1024 },
  };
}

const BUDGET = 'id account period limit thresholds notifyEmails current { label spent remaining percentUsed projectedExhaustion totalDays burnDown { day cumulative } } alerts { threshold spent deliveries { channel delivered status } }';

beforeAll(async () => {
  smtp = await smtpServer();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = verifyWebhook({ secret: SECRET, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
        hooks.push(event as never);
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t = await startTestApp({
    TIME_ZONE: 'Asia/Bangkok',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'HPC Billing <billing@hpc.example.ac.th>',
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/budget`,
    ALERT_WEBHOOK_SECRET: SECRET,
    ALERT_LOCALE: 'th',
  });
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice');
  bob = await t.cookieFor('bob');
  await applyAssociations(
    t.app.db,
    {
      accounts: [{ name: 'physics', description: 'Physics lab', organization: null, parent: null, coordinators: ['alice'] }],
      associations: [{ cluster: 'test', account: 'physics', user: 'alice', parentAccount: null, partition: null }],
    },
    systemMeta('test'),
  );
  await upsertJobs(t.app.db, [job(1, 'alice', 'physics', '2026-10-02T01:00:00Z'), job(2, 'alice', 'physics', '2026-10-03T01:00:00Z')], 'csv');
});
afterAll(async () => {
  await t.close();
  await closeSmtpServers();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

describe('setting a budget', () => {
  it('is for admins, with clear errors for a bad limit, thresholds or address', async () => {
    const SET = 'mutation($i: SetBudgetInput!) { setBudget(input: $i) { id } }';
    const input = { account: 'physics', period: 'month', limit: '2.00', notifyEmails: ['pi@physics.example.ac.th'] };
    expect(codes(await t.gql(SET, { i: input }, alice))).toEqual(['FORBIDDEN']);
    const bad = async (i: object) => (await t.gql(SET, { i: { ...input, ...i } }, admin)).errors?.[0];
    expect(await bad({ limit: 'lots' })).toMatchObject({ extensions: { code: 'BAD_INPUT' }, message: expect.stringContaining('"lots"') });
    expect(await bad({ limit: '0' })).toMatchObject({ message: expect.stringContaining('above zero') });
    expect(await bad({ limit: '1.005' })).toMatchObject({ message: expect.stringContaining('two decimals') });
    expect(await bad({ thresholds: [80, 80] })).toMatchObject({ extensions: { code: 'BAD_INPUT' } });
    expect(await bad({ notifyEmails: ['not an address'] })).toMatchObject({ message: expect.stringContaining('"not an address"') });
    expect(await bad({ account: 'nope' })).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(await t.app.db.budget.count()).toBe(0);
    expect((await t.gql(SET, { i: input }, admin)).errors).toBeUndefined();
  });
});

describe('a budget in its period', () => {
  it('shows spending, the burn-down and the projection to its coordinator and staff, not to others', async () => {
    const r = await t.gql(`query { account(name: "physics") { budgets { ${BUDGET} } } }`, {}, alice);
    expect(r.errors?.map((e: any) => e.message)).toBeUndefined();
    const [budget] = r.data.account.budgets;
    expect(budget).toMatchObject({ period: 'month', limit: '2.00', thresholds: [50, 80, 100] });
    // The current period is today's month, so the October jobs are outside it: the figures are those of now.
    expect(budget.current.totalDays).toBeGreaterThanOrEqual(28);
    expect(codes(await t.gql('query { budgets { id } }', {}, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('query { account(name: "physics") { budgets { id } } }', {}, bob))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql('query { budgets { notifyEmails } }', {}, admin))).toEqual([]);
  });
});

describe('alerts', () => {
  it('sends each threshold once, to the webhook (signed) and by e-mail, as spending crosses it, and audits it', async () => {
    const now = new Date('2026-10-20T05:00:00Z');
    // 1.10 of 2.00: 55 %, past 50.
    const first = await t.app.deps.services.budgets.check(systemMeta('sync'), now);
    expect(first.map((a) => a.threshold)).toEqual([50]);
    expect(first[0].deliveries).toEqual([
      { channel: 'webhook', delivered: true, status: 204 },
      { channel: 'email', delivered: true },
    ]);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ type: 'budget.threshold', data: { account: 'physics', threshold: 50, spent: '110', limit: '200', periodLabel: '2026-10' } });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].envelopeTo).toEqual(['pi@physics.example.ac.th']);
    expect(smtp.received[0].mail.subject).toBe('[งบประมาณ] physics ใช้งบประมาณ 2026-10 ถึง 50% แล้ว');

    // Nothing new: nothing sent again, however often it is checked.
    expect(await t.app.deps.services.budgets.check(systemMeta('sync'), now)).toEqual([]);
    // Two more jobs take it to 2.20 (110 %): 80 and 100 at once, once each.
    await upsertJobs(t.app.db, [job(3, 'alice', 'physics', '2026-10-10T01:00:00Z'), job(4, 'alice', 'physics', '2026-10-11T01:00:00Z')], 'csv');
    const second = await t.app.deps.services.budgets.check(systemMeta('sync'), now);
    expect(second.map((a) => a.threshold)).toEqual([80, 100]);
    expect(hooks.map((h) => h.data.threshold)).toEqual([50, 80, 100]);
    expect(smtp.received.map((m) => m.mail.subject)).toHaveLength(3);
    expect(await t.app.deps.services.budgets.check(systemMeta('sync'), now)).toEqual([]);

    const alerts = await t.app.db.budgetAlert.findMany({ orderBy: { threshold: 'asc' } });
    expect(alerts.map((a) => [a.threshold, a.spentSatang])).toEqual([[50, 110n], [80, 220n], [100, 220n]]);
    const audits = await t.app.db.auditEntry.findMany({ where: { action: 'budget.alert' } });
    expect(audits.map((a) => JSON.parse(a.extra).threshold)).toEqual([50, 80, 100]);
    expect(audits.every((a) => a.status === 'ok')).toBe(true);
  });

  it('records a delivery that failed, and does not send the alert again', async () => {
    await t.gql('mutation { setBudget(input: { account: "physics", period: quarter, limit: "1.00", thresholds: [100] }) { id } }', {}, admin);
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    const sent = await t.app.deps.services.budgets.check(systemMeta('sync'), new Date('2026-10-20T05:00:00Z'));
    expect(sent).toHaveLength(1);
    expect(sent[0].deliveries[0]).toMatchObject({ channel: 'webhook', delivered: false });
    const audit = await t.app.db.auditEntry.findFirst({ where: { action: 'budget.alert' }, orderBy: { id: 'desc' } });
    expect(audit!.status).toBe('failed');
    expect(await t.app.deps.services.budgets.check(systemMeta('sync'), new Date('2026-10-20T05:00:00Z'))).toEqual([]);
    receiver.listen(0, '127.0.0.1');
  });
});
