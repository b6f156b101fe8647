import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWindow } from '../../server/src/jobs/sync.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * One installation, three clusters: a and b export the same job ids (each cluster numbers its own jobs), c's export
 * is missing. Each cluster is its own run: a's and b's jobs are all stored under their own billing keys, c's run
 * fails alone.
 */

const FIXTURE = readFileSync(path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), 'utf8');
/** b ran only alice's jobs, with the same ids as a's. */
const B_ONLY_ALICE = FIXTURE.split('\n').filter((line, i) => i === 0 || line.includes(',alice,')).join('\n');

let t: TestApp;
let admin: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-test-'));
  writeFileSync(path.join(dir, 'a.csv'), FIXTURE);
  writeFileSync(path.join(dir, 'b.csv'), B_ONLY_ALICE);
  t = await startTestApp(
    {
      // The harness's single cluster is not this installation's.
      CLUSTER_NAME: '',
      SLURM_SOURCES: '',
      // c between the two: the one after a failing cluster still syncs.
      CLUSTERS: 'a,c,b',
      CLUSTER_A_JOBS_CSV: path.join(dir, 'a.csv'),
      CLUSTER_B_JOBS_CSV: path.join(dir, 'b.csv'),
      CLUSTER_C_JOBS_CSV: path.join(dir, 'missing.csv'),
    },
    dir,
  );
  await t.app.syncNow('startup');
  admin = await t.cookieFor('admin', 'admin');
});
afterAll(() => t.close());

describe('several clusters', () => {
  it('stores every cluster’s jobs under its own billing keys, though their job ids overlap', async () => {
    const keys = (await t.app.db.jobRecord.findMany({ where: { jobId: '100' }, orderBy: { key: 'asc' } })).map((j) => [j.key, j.cluster]);
    expect(keys).toEqual([
      ['a:100', 'a'],
      ['b:100', 'b'],
    ]);
    expect(await t.app.db.jobRecord.count({ where: { cluster: 'a' } })).toBe(5);
    expect(await t.app.db.jobRecord.count({ where: { cluster: 'b' } })).toBe(4);
  });

  it('one cluster failing does not stop the others: its run failed, theirs are ok and their watermarks moved', async () => {
    const runs = await t.app.db.syncRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.cluster, r.status, r.trigger])).toEqual([
      ['a', 'ok', 'startup'],
      ['c', 'failed', 'startup'],
      ['b', 'ok', 'startup'],
    ]);
    expect(runs[1].error).toMatch(/missing\.csv/);
    const initial = await nextWindow(t.app.db, 0, 36500, new Date(), 'c');
    for (const cluster of ['a', 'b']) {
      const window = await nextWindow(t.app.db, 0, 36500, new Date(), cluster);
      expect(window.from.getTime()).toBe(runs.find((r) => r.cluster === cluster)!.coveredTo!.getTime());
      expect(window.from.getTime()).toBeGreaterThan(initial.from.getTime() + 86_400_000);
    }
  });

  it('usage groups and filters by cluster; the jobs filter by it', async () => {
    const r = await t.gql('{ usage(groupBy: [cluster]) { cluster totals { jobs } } }', {}, admin);
    expect(r.errors).toBeUndefined();
    // Finished jobs only: each export holds one that is still running.
    expect(r.data.usage).toEqual([
      { cluster: 'a', totals: { jobs: 4 } },
      { cluster: 'b', totals: { jobs: 3 } },
    ]);
    const b = await t.gql('{ jobs(filter: { cluster: "b" }) { totals { jobs } edges { node { key } } } }', {}, admin);
    expect(b.data.jobs.totals.jobs).toBe(3);
    expect(b.data.jobs.edges.map((e: any) => e.node.key).every((k: string) => k.startsWith('b:'))).toBe(true);
    const series = await t.gql(
      '{ usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, groupBy: [cluster]) { cluster jobs } }',
      {},
      admin,
    );
    expect(series.errors).toBeUndefined();
    expect(series.data.usageSeries.map((row: any) => [row.cluster, row.jobs])).toEqual([
      ['a', 4],
      ['b', 3],
    ]);
  });

  it('syncJobs runs every cluster, a run each, or the one named; the data source is per cluster', async () => {
    const all = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z") { cluster status error } }', {}, admin);
    expect(all.errors).toBeUndefined();
    expect(all.data.syncJobs.map((r: any) => [r.cluster, r.status])).toEqual([
      ['a', 'ok'],
      ['c', 'failed'],
      ['b', 'ok'],
    ]);
    expect(all.data.syncJobs[1].error).toMatch(/missing\.csv/);

    const one = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", cluster: "b") { cluster status jobCount } }', {}, admin);
    expect(one.data.syncJobs).toEqual([{ cluster: 'b', status: 'ok', jobCount: 4 }]);
    const failing = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", cluster: "c") { id } }', {}, admin);
    expect(codes(failing)).toEqual(['SLURM_UNAVAILABLE']);
    const unknown = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", cluster: "z") { id } }', {}, admin);
    expect(codes(unknown)).toEqual(['BAD_INPUT']);
    expect(unknown.errors![0].message).toMatch(/no cluster "z" is configured \(configured: a, c, b\)/);

    const source = await t.gql('{ a: dataSource(cluster: "a") { cluster } b: dataSource(cluster: "b") { cluster } c: dataSource(cluster: "c") { cluster } }', {}, admin);
    expect(source.data).toEqual({ a: { cluster: 'a' }, b: { cluster: 'b' }, c: null });
  });
});
