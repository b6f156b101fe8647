import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import { generateDemoJobs } from '../../server/src/slurm/demo-jobs.ts';
import { startTestApp, type TestApp } from './harness.ts';

/** A re-sync on the configured database (SQLite, or PostgreSQL under test:pg): jobs seen again unchanged are not written. */
let t: TestApp;
let admin: string;
const jobs = generateDemoJobs({ count: 300, seed: 23 });
const TOTALS = 'query { jobs(first: 1) { totals { jobs cpuHours cost } } usageSeries(from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", bucket: YEAR) { jobs cost } }';

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  await upsertJobs(t.app.db, jobs, 'sacct');
});
afterAll(() => t.close());

/** What a sync does after storing jobs: cached answers of ledger queries are dropped. */
const synced = async (list: typeof jobs) => {
  const n = await upsertJobs(t.app.db, list, 'sacct');
  t.app.deps.pubsub.publish('ledgerChanged', { reason: 'sync' });
  return n;
};

const stamps = async () => new Map((await t.app.db.jobRecord.findMany({ select: { key: true, syncedAt: true } })).map((r) => [r.key, r.syncedAt.getTime()]));

describe('a re-sync', () => {
  it('writes no job it finds as stored, and only the one that changed, with totals and series that follow it', async () => {
    const before = await stamps();
    const totals = (await t.gql(TOTALS, {}, admin)).data;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await synced(jobs)).toBe(jobs.length);
    expect(await stamps()).toEqual(before);
    expect((await t.gql(TOTALS, {}, admin)).data).toEqual(totals);

    // One finished job ran twice as long: it alone is written, and what it costs moves the totals and the series alike.
    const longer = jobs.find((j) => j.end !== null && j.elapsedSeconds > 0 && j.allocTres.cpu)!;
    const changed = { ...longer, elapsedSeconds: longer.elapsedSeconds * 2 };
    await synced(jobs.map((j) => (j === longer ? changed : j)));
    const after = await stamps();
    expect([...after].filter(([key, at]) => at !== before.get(key)).map(([key]) => key)).toEqual([`${longer.cluster}:${longer.jobId}`]);
    const now = (await t.gql(TOTALS, {}, admin)).data;
    expect(now.jobs.totals.jobs).toBe(totals.jobs.totals.jobs);
    expect(now.jobs.totals.cpuHours).toBeGreaterThan(totals.jobs.totals.cpuHours);
    expect(now.usageSeries.reduce((sum: number, b: { cost: string }) => sum + Number(b.cost), 0).toFixed(2)).toBe(now.jobs.totals.cost);
  });
});
