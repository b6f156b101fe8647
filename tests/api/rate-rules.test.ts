import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * Rates per partition and GPU type, and rate changes scheduled ahead. Seeded mu rates: 0.5 THB per CPU-hour, 12 per
 * GPU-hour, 0.05 per GiB-hour. Every job runs one hour.
 */
let t: TestApp;
let admin: string;
let alice: string;

function job(id: number, partition: string, tres: Record<string, number>): NormalizedJob {
  const end = new Date(`2026-10-0${id}T01:00:00Z`);
  return {
    cluster: 'test', jobId: String(id), user: 'alice', account: 'physics', partition, name: `job ${id}`, state: 'COMPLETED',
    submit: new Date(end.getTime() - 3_600_000), start: new Date(end.getTime() - 3_600_000), end,
    elapsedSeconds: 3600, totalCpuSeconds: 3600, reqTres: {}, allocTres: tres,
  };
}

const JOBS = 'query { jobs(filter: { user: "alice" }, first: 10, orderBy: { by: end, direction: ASC }) { totals { cost } edges { node { jobId cost { cost } } } } }';
const SERIES = 'query { usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, filter: { user: "alice" }) { cost } }';
const RULE = 'mutation($i: CreateRateRuleInput!) { createRateRule(input: $i) { id tier partition gpuType gpuPerHour inForce effectiveFrom } }';
const costs = async () => {
  const r = await t.gql(JOBS, {}, admin);
  return { each: r.data.jobs.edges.map((e: any) => e.node.cost.cost), total: r.data.jobs.totals.cost, series: (await t.gql(SERIES, {}, admin)).data.usageSeries[0].cost };
};

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice', 'user', 'mu');
  await upsertJobs(
    t.app.db,
    [
      job(1, 'cpu', { cpu: 1, mem: 1024 }), // 0.50 + 0.05
      job(2, 'gpu', { cpu: 1, mem: 1024, 'gres/gpu': 1, 'gres/gpu:a100': 1 }), // + 12 per GPU-hour
      job(3, 'gpu', { cpu: 1, mem: 1024, 'gres/gpu': 1, 'gres/gpu:h100': 1 }),
      job(4, 'big', { cpu: 1, mem: 1024, 'gres/gpu': 1, 'gres/gpu:h100': 1 }),
    ],
    'csv',
  );
});
afterAll(() => t.close());

describe('overrides per partition and GPU type', () => {
  it('price matching jobs by the most specific override, in the job table, its totals and the series alike', async () => {
    expect(await costs()).toEqual({ each: ['0.55', '12.55', '12.55', '12.55'], total: '38.20', series: '38.20' });
    const base = { tier: 'mu', cpuPerHour: '0.5', memGBPerHour: '0.05' };
    expect(codes(await t.gql(RULE, { i: { ...base, gpuType: 'h100', gpuPerHour: '40' } }, alice))).toEqual(['FORBIDDEN']);
    const h100 = await t.gql(RULE, { i: { ...base, gpuType: 'h100', gpuPerHour: '40' } }, admin);
    expect(h100.data.createRateRule).toMatchObject({ gpuType: 'h100', partition: null, gpuPerHour: '40', inForce: true });
    await t.gql(RULE, { i: { ...base, partition: 'gpu', gpuPerHour: '20' } }, admin);
    await t.gql(RULE, { i: { ...base, partition: 'gpu', gpuType: 'h100', gpuPerHour: '45' } }, admin);
    // a100 on gpu: the partition's 20; h100 on gpu: 45; h100 elsewhere: 40; CPU jobs unchanged.
    expect(await costs()).toEqual({ each: ['0.55', '20.55', '45.55', '40.55'], total: '107.20', series: '107.20' });
    expect(await t.app.db.auditEntry.count({ where: { action: 'rates.rule.apply' } })).toBe(3);
  });

  it('are what a receipt charges, and the receipt keeps it when the override ends', async () => {
    const r = await t.gql('mutation { createReceipt(input: { cutoff: "2026-10-03T12:00:00Z" }) { total items { jobId gpuPerHour cost } } }', {}, alice);
    expect(r.data.createReceipt.items).toEqual([
      { jobId: '1', gpuPerHour: '12', cost: '0.55' },
      { jobId: '2', gpuPerHour: '20', cost: '20.55' },
      { jobId: '3', gpuPerHour: '45', cost: '45.55' },
    ]);
    const rules = (await t.gql('query { rateRules(tier: mu) { id gpuType partition } }', {}, alice)).data.rateRules;
    for (const rule of rules) expect((await t.gql('mutation($id: Int!) { deleteRateRule(id: $id) { id } }', { id: rule.id }, admin)).errors).toBeUndefined();
    expect(await costs()).toEqual({ each: ['0.55', '20.55', '45.55', '12.55'], total: '79.20', series: '79.20' });
  });

  it('refuses a name Slurm could not give', async () => {
    const bad = await t.gql(RULE, { i: { tier: 'mu', gpuType: "a100' OR 1=1", cpuPerHour: '1', gpuPerHour: '1', memGBPerHour: '1' } }, admin);
    expect(codes(bad)).toEqual(['BAD_INPUT']);
    expect(bad.errors?.[0].message).toContain('GPU type');
  });
});

describe('a rate change scheduled ahead', () => {
  it('waits for its date, then becomes the tier’s rate and reprices the unbilled jobs', async () => {
    const from = new Date(Date.now() + 86_400_000);
    const r = await t.gql(RULE, { i: { tier: 'mu', cpuPerHour: '1', gpuPerHour: '12', memGBPerHour: '0.05', effectiveFrom: from.toISOString() } }, admin);
    expect(r.data.createRateRule).toMatchObject({ inForce: false, partition: null, gpuType: null });
    expect((await t.gql('{ rate(tier: mu) { cpuPerHour } }', {}, alice)).data.rate.cpuPerHour).toBe('0.5');
    expect(await t.app.deps.services.rates.applyDue(systemMeta('scheduler'))).toEqual([]);
    // Open pages hear of the new rate as they do of an admin's change.
    const announced: Array<{ tier: string; cpuPerHour: unknown }> = [];
    const subscription = t.app.deps.pubsub.subscribe('rateChanged')[Symbol.asyncIterator]();
    const next = subscription.next().then((r) => announced.push(r.value));
    const applied = await t.app.deps.services.rates.applyDue(systemMeta('scheduler'), new Date(from.getTime() + 1000));
    expect(applied).toHaveLength(1);
    await next;
    await subscription.return?.();
    expect(announced).toMatchObject([{ tier: 'mu' }]);
    expect(String(announced[0].cpuPerHour)).toBe('1');
    expect((await t.gql('{ rate(tier: mu) { cpuPerHour } }', {}, alice)).data.rate.cpuPerHour).toBe('1');
    // Job 4 (unbilled) is repriced; the billed ones keep the receipt's cost.
    expect(await costs()).toEqual({ each: ['0.55', '20.55', '45.55', '13.05'], total: '79.70', series: '79.70' });
    expect((await t.gql('query { rateRules(tier: mu) { inForce } }', {}, alice)).data.rateRules[0].inForce).toBe(true);
    expect(await t.app.db.rateHistory.count({ where: { tier: 'mu', changedBy: 'scheduler' } })).toBe(1);
  });
});
