import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * Whole answers of ledger queries are cached (graphql/response-cache.ts) until `ledgerChanged`: each change that
 * moves a cost or a total must reach them, and no viewer may be answered from another's entry.
 */
const FULL = readFileSync(path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), 'utf8').trimEnd();
// Without alice's job 101: the first sync leaves it for the second to add.
const FIRST = FULL.split('\n').filter((l) => !l.startsWith('test,101,')).join('\n');

let t: TestApp;
let csv: string;
let admin: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-cache-'));
  csv = path.join(dir, 'jobs.csv');
  writeFileSync(csv, FIRST);
  t = await startTestApp({ JOBS_CSV: csv }, dir);
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice', 'user', 'mu');
  bob = await t.cookieFor('bob', 'user', 'mu');
  const r = await sync();
  expect(r.errors).toBeUndefined();
});
afterAll(() => t.close());

const sync = () => t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z") { status jobCount } }', {}, admin);

// As the Wild GraphQL dashboards send it: numbers for from/to, and the extra variables Grafana injects.
const SERIES = `query S($from: DateTime!, $to: DateTime!, $filter: SeriesFilter) {
  usageSeries(from: $from, to: $to, bucket: MONTH, groupBy: [user], filter: $filter, timeZone: "UTC") { time user jobs cost }
}`;
const window = { from: Date.parse('2026-09-01T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z'), maxDataPoints: 1000, refId: 'A' };

async function series(cookie: string, filter?: Record<string, unknown>) {
  const r = await t.gql<{ usageSeries: Array<{ user: string; jobs: number; cost: string }> }>(SERIES, { ...window, filter }, cookie);
  expect(r.errors).toBeUndefined();
  const byUser = new Map<string, { jobs: number; cost: number }>();
  for (const row of r.data!.usageSeries) {
    const sum = byUser.get(row.user) ?? { jobs: 0, cost: 0 };
    byUser.set(row.user, { jobs: sum.jobs + row.jobs, cost: Math.round((sum.cost + Number(row.cost)) * 100) / 100 });
  }
  return Object.fromEntries(byUser);
}

describe('the response cache', () => {
  it('keeps an answer while the ledger is unchanged, and answers anew after a sync adds jobs', async () => {
    const before = await series(admin);
    expect(before.alice.jobs).toBeGreaterThan(0);
    // A write that never says so (as another process's would, until the TTL) is not seen: the answer is cached.
    await upsertJobs(t.app.db, [{ cluster: 'test', jobId: '999', user: 'alice', account: 'physics', partition: 'cpu', name: 'quiet', state: 'COMPLETED', submit: new Date('2026-10-10T00:00:00Z'), start: new Date('2026-10-10T00:00:00Z'), end: new Date('2026-10-10T01:00:00Z'), elapsedSeconds: 3600, totalCpuSeconds: 0, reqTres: {}, allocTres: { cpu: 1, mem: 1024 } }], 'csv');
    expect(await series(admin)).toEqual(before);
    // The event alone clears it, as it arrives from another replica over the pub/sub.
    t.app.deps.pubsub.publish('ledgerChanged', { reason: 'sync' });
    expect((await series(admin)).alice.jobs).toBe(before.alice.jobs + 1);
    writeFileSync(csv, FULL);
    expect((await sync()).errors).toBeUndefined();
    const after = await series(admin);
    // Job 101 from the sync, and the quiet 999 now that the cache was dropped.
    expect(after.alice.jobs).toBe(before.alice.jobs + 2);
    expect(after.alice.cost).toBeGreaterThan(before.alice.cost);
  });

  it('answers anew after a rate change', async () => {
    const before = await series(admin);
    const r = await t.gql('mutation { updateRate(input: { tier: mu, cpuPerHour: "9", gpuPerHour: "90", memGBPerHour: "1" }) { tier } }', {}, admin);
    expect(r.errors).toBeUndefined();
    const after = await series(admin);
    expect(after.alice.jobs).toBe(before.alice.jobs);
    expect(after.alice.cost).toBeGreaterThan(before.alice.cost);
  });

  it('answers anew after a user’s tier changes', async () => {
    const before = await series(admin);
    const r = await t.gql('mutation { setUserTier(input: { username: "bob", tier: private }) { usersChanged } }', {}, admin);
    expect(r.errors).toBeUndefined();
    const after = await series(admin);
    expect(after.bob.cost).not.toBe(before.bob.cost);
    expect(after.alice).toEqual(before.alice);
  });

  it('answers anew after a receipt is created and after it is paid', async () => {
    const billed = () => series(alice, { billed: true });
    expect((await billed()).alice?.jobs ?? 0).toBe(0);
    const jobsPage = () => t.gql('{ jobs(first: 50, filter: { user: "alice" }) { edges { node { jobId receiptId } } } }', {}, alice);
    expect((await jobsPage()).data.jobs.edges.every((e: any) => e.node.receiptId === null)).toBe(true);
    const created = await t.gql('mutation { createReceipt(input: { cutoff: "2026-11-25T00:00:00Z" }) { id status } }', {}, alice);
    expect(created.errors).toBeUndefined();
    expect((await billed()).alice.jobs).toBeGreaterThan(0);
    const page = (await jobsPage()).data.jobs.edges;
    expect(page.some((e: any) => e.node.receiptId === created.data.createReceipt.id)).toBe(true);
    const receipts = '{ myReceipts { status } }';
    expect((await t.gql(receipts, {}, alice)).data.myReceipts[0].status).not.toBe('paid');
    expect((await t.gql(`mutation { markReceiptPaid(id: ${created.data.createReceipt.id}) { status } }`, {}, admin)).errors).toBeUndefined();
    expect((await t.gql(receipts, {}, alice)).data.myReceipts[0].status).toBe('paid');
  });

  it('never answers one user from another user’s entry', async () => {
    // The same document and variables, one after the other.
    const asAdmin = await series(admin);
    const asAlice = await series(alice);
    const asBob = await series(bob);
    expect(Object.keys(asAdmin).sort()).toEqual(['alice', 'bob']);
    expect(Object.keys(asAlice)).toEqual(['alice']);
    expect(Object.keys(asBob)).toEqual(['bob']);
    expect(await series(alice)).toEqual(asAlice);
  });

  it('never gives a plain user what a staff member’s cached answer holds', async () => {
    const everyone = '{ jobs(first: 50) { edges { node { user jobId } } } usage(groupBy: [user]) { user totals { jobs } } }';
    const staff = await t.gql(everyone, {}, admin);
    expect(staff.errors).toBeUndefined();
    expect(new Set(staff.data.jobs.edges.map((e: any) => e.node.user))).toEqual(new Set(['alice', 'bob']));
    const plain = await t.gql(everyone, {}, alice);
    expect(codes(plain)).toContain('FORBIDDEN');
    expect(JSON.stringify(plain.data ?? null)).not.toContain('bob');
    // Nor an anonymous caller.
    expect(codes(await t.gql(everyone, {}))).toContain('UNAUTHENTICATED');
  });

  it('drops a viewer’s entries with their session: after logout the cached answer is not served', async () => {
    await series(bob);
    const token = bob.split('=')[1];
    await t.app.deps.services.sessions.logout(token, null, { actor: null, ip: null, userAgent: null, method: 'POST', path: '/auth/logout' });
    const r = await t.gql(SERIES, window, bob);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
  });
});
