import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let alice: string;

const MY_JOBS = /* GraphQL */ `
  query MyJobs($before: DateTime) {
    myJobs(completedBefore: $before) {
      key jobId user name state end elapsedSeconds cpus gpus memMiB
      cost { cpuHours gpuHours memGBHours cost }
    }
  }
`;

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  await t.app.syncNow('startup');
  alice = await t.cookieFor('alice', 'user', 'mu');
});
afterAll(() => t.close());

describe('myJobs', () => {
  it('syncs the CSV source into the ledger and audits the sync', async () => {
    expect(await t.app.db.jobRecord.count()).toBe(5);
    const run = await t.app.db.syncRun.findFirst();
    expect(run).toMatchObject({ status: 'ok', source: 'csv', jobCount: 5 });
    const audit = await t.app.db.auditEntry.findFirst({ where: { action: 'jobs.sync' } });
    expect(JSON.parse(audit!.extra)).toMatchObject({ source: 'csv', jobs: 5 });
  });

  it("returns only the viewer's finished jobs, newest first, with costs at the viewer's tier", async () => {
    const r = await t.gql(MY_JOBS, {}, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.myJobs.map((j: any) => j.jobId)).toEqual(['102', '101', '100']);
    const [, train, relax] = r.data.myJobs;
    expect(relax).toMatchObject({ key: 'test:100', name: 'relax, then run', cpus: 4, gpus: 0, memMiB: 16384 });
    // mu: 8 CPU-h × 0.5 + 32 GiB-h × 0.05
    expect(relax.cost).toEqual({ cpuHours: 8, gpuHours: 0, memGBHours: 32, cost: '5.60' });
    // 8 CPU-h × 0.5 + 2 GPU-h × 12 + 32 GiB-h × 0.05
    expect(train.cost).toEqual({ cpuHours: 8, gpuHours: 2, memGBHours: 32, cost: '29.60' });
  });

  it('filters by completion date', async () => {
    const r = await t.gql(MY_JOBS, { before: '2026-10-04T00:00:00Z' }, alice);
    expect(r.data.myJobs.map((j: any) => j.jobId)).toEqual(['100']);
  });

  it('refuses anonymous callers', async () => {
    expect(codes(await t.gql(MY_JOBS, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('clamps a manual sync to now and keeps the automatic watermark where it was', async () => {
    const { nextWindow } = await import('../../server/src/jobs/sync.ts');
    const before = await nextWindow(t.app.db, 3600, null);
    const admin = await t.cookieFor('admin', 'admin');
    const r = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", to: "2099-01-01T00:00:00Z") { rangeTo source } }', {}, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.syncJobs).toHaveLength(1);
    expect(new Date(r.data.syncJobs[0].rangeTo).getTime()).toBeLessThanOrEqual(Date.now());
    const after = await nextWindow(t.app.db, 3600, null);
    expect(after.from).toEqual(before.from);
    const denied = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z") { id } }', {}, alice);
    expect(denied.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('updates a job seen again instead of duplicating it', async () => {
    await t.app.syncNow('interval');
    expect(await t.app.db.jobRecord.count()).toBe(5);
    expect(await t.app.db.syncRun.count({ where: { status: 'ok' } })).toBe(3);
  });
});

describe('the cluster as a filter and a grouping', () => {
  it('usage groups and filters by cluster, from the rollups and from the jobs alike', async () => {
    const staff = await t.cookieFor('ops', 'operator');
    const q = 'query($f: JobFilter) { usage(groupBy: [cluster], filter: $f) { cluster totals { jobs } } }';
    // A window on quarter hours is summed from the rollups; one off them from the jobs.
    for (const endedAfter of ['2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z']) {
      const all = await t.gql(q, { f: { endedAfter } }, staff);
      expect(all.errors).toBeUndefined();
      expect(all.data.usage).toEqual([{ cluster: 'test', totals: { jobs: 4 } }]);
      const none = await t.gql(q, { f: { endedAfter, cluster: 'elsewhere' } }, staff);
      expect(none.data.usage).toEqual([]);
    }
    const jobs = await t.gql('query($f: JobFilter) { jobs(filter: $f) { totals { jobs } edges { node { key } } } }', { f: { cluster: 'elsewhere' } }, staff);
    expect(jobs.data.jobs).toEqual({ totals: { jobs: 0 }, edges: [] });
    const mine = await t.gql('query($f: JobFilter) { jobs(filter: $f) { totals { jobs } } }', { f: { cluster: 'test', user: 'alice' } }, alice);
    expect(mine.data.jobs.totals.jobs).toBe(3);
  });
});
