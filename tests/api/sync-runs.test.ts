import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * The staff's history of syncs: two clusters, a and b, the startup runs of both, then an admin's runs of each, one of
 * them failing (b's export taken away), so there are runs of every cluster and of more than one status.
 */

const FIXTURE = readFileSync(path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), 'utf8');

let t: TestApp;
let dir: string;
let admin: string;
let operator: string;
let user: string;

const RUNS = `query($first: Int, $after: String, $cluster: String, $status: String) {
  syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {
    edges { cursor node { id cluster status trigger jobCount error partialReason attempts { source ok } } }
    pageInfo { hasNextPage endCursor }
    viewerCanSync
  }
}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-test-'));
  writeFileSync(path.join(dir, 'a.csv'), FIXTURE);
  writeFileSync(path.join(dir, 'b.csv'), FIXTURE);
  t = await startTestApp(
    {
      CLUSTER_NAME: '',
      SLURM_SOURCES: '',
      CLUSTERS: 'a,b',
      CLUSTER_A_JOBS_CSV: path.join(dir, 'a.csv'),
      CLUSTER_B_JOBS_CSV: path.join(dir, 'b.csv'),
    },
    dir,
  );
  await t.app.syncNow('startup');
  admin = await t.cookieFor('admin', 'admin');
  operator = await t.cookieFor('olivia', 'operator');
  user = await t.cookieFor('alice', 'user');
  const ok = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", cluster: "a") { status } }', {}, admin);
  expect(ok.data.syncJobs).toEqual([{ status: 'ok' }]);
  writeFileSync(path.join(dir, 'b.csv'), '');
  const failed = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", cluster: "b") { status } }', {}, admin);
  expect(codes(failed)).toEqual(['SLURM_UNAVAILABLE']);
});
afterAll(() => t.close());

describe('syncRuns', () => {
  it('lists every run newest first to staff, with the reasons only staff see', async () => {
    const r = await t.gql(RUNS, {}, operator);
    expect(r.errors).toBeUndefined();
    const runs = r.data.syncRuns.edges.map((e: any) => e.node);
    expect(runs.map((n: any) => [n.cluster, n.status, n.trigger])).toEqual([
      ['b', 'failed', 'admin'],
      ['a', 'ok', 'admin'],
      ['b', 'ok', 'startup'],
      ['a', 'ok', 'startup'],
    ]);
    expect(runs[0].error).toBeTruthy();
    expect(runs[1].attempts).toContainEqual({ source: 'csv', ok: true });
    expect(r.data.syncRuns.edges.map((e: any) => e.cursor)).toEqual(runs.map((n: any) => String(n.id)));
    expect(r.data.syncRuns.pageInfo).toEqual({ hasNextPage: false, endCursor: String(runs[3].id) });
  });

  it('pages with after: the pages together are the whole list, without repeats', async () => {
    const all = (await t.gql(RUNS, {}, admin)).data.syncRuns.edges.map((e: any) => e.node.id);
    const seen: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page: any = (await t.gql(RUNS, { first: 3, after }, admin)).data.syncRuns;
      seen.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(4);
    const last = await t.gql(RUNS, { first: 2, after: String(all[1]) }, admin);
    expect(last.data.syncRuns.edges.map((e: any) => e.node.id)).toEqual(all.slice(2));
    expect(last.data.syncRuns.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by cluster and by status', async () => {
    const b = await t.gql(RUNS, { cluster: 'b' }, admin);
    expect(b.data.syncRuns.edges.map((e: any) => [e.node.cluster, e.node.status])).toEqual([
      ['b', 'failed'],
      ['b', 'ok'],
    ]);
    const failed = await t.gql(RUNS, { status: 'failed' }, admin);
    expect(failed.data.syncRuns.edges.map((e: any) => e.node.cluster)).toEqual(['b']);
    const both = await t.gql(RUNS, { cluster: 'a', status: 'failed' }, admin);
    expect(both.data.syncRuns.edges).toEqual([]);
  });

  it('refuses a page size out of bounds, a status it does not know and a cursor it did not give', async () => {
    expect(codes(await t.gql(RUNS, { first: 0 }, admin))).toEqual(['BAD_INPUT']);
    expect(codes(await t.gql(RUNS, { first: 201 }, admin))).toEqual(['BAD_INPUT']);
    expect(codes(await t.gql(RUNS, { status: 'done' }, admin))).toEqual(['BAD_INPUT']);
    expect(codes(await t.gql(RUNS, { after: 'abc' }, admin))).toEqual(['BAD_INPUT']);
  });

  it('says who may start a sync: admins, not operators', async () => {
    expect((await t.gql(RUNS, { first: 1 }, admin)).data.syncRuns.viewerCanSync).toBe(true);
    expect((await t.gql(RUNS, { first: 1 }, operator)).data.syncRuns.viewerCanSync).toBe(false);
  });

  it('is for staff: a user is FORBIDDEN, nobody signed in UNAUTHENTICATED', async () => {
    expect(codes(await t.gql(RUNS, {}, user))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(RUNS, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('syncStatus', () => {
  const STATUS = '{ syncStatus { cluster watermark running currentRun { id } lastOk { cluster trigger status } } }';

  it('answers each configured cluster: its watermark, its last good run, and that none runs now', async () => {
    const r = await t.gql(STATUS, {}, operator);
    expect(r.errors).toBeUndefined();
    const startups = await t.app.db.syncRun.findMany({ where: { trigger: 'startup' }, orderBy: { id: 'asc' } });
    expect(r.data.syncStatus).toEqual([
      { cluster: 'a', watermark: startups[0].coveredTo!.toISOString(), running: false, currentRun: null, lastOk: { cluster: 'a', trigger: 'admin', status: 'ok' } },
      // b's admin run failed: its last good run is still the startup one, and a manual run never moves the mark.
      { cluster: 'b', watermark: startups[1].coveredTo!.toISOString(), running: false, currentRun: null, lastOk: { cluster: 'b', trigger: 'startup', status: 'ok' } },
    ]);
  });

  it('tells a run under way: the cluster’s newest run, until it ends', async () => {
    const now = new Date();
    const run = await t.app.db.syncRun.create({
      data: { cluster: 'b', startedAt: now, rangeFrom: new Date(now.getTime() - 3_600_000), rangeTo: now, status: 'running', trigger: 'interval' },
    });
    try {
      const r = await t.gql(STATUS, {}, admin);
      expect(r.data.syncStatus.map((s: any) => [s.cluster, s.running, s.currentRun?.id ?? null])).toEqual([
        ['a', false, null],
        ['b', true, run.id],
      ]);
      const running = await t.gql(RUNS, { status: 'running' }, admin);
      expect(running.data.syncRuns.edges.map((e: any) => e.node.id)).toEqual([run.id]);
    } finally {
      await t.app.db.syncRun.delete({ where: { id: run.id } });
    }
  });

  it('is for staff', async () => {
    expect(codes(await t.gql(STATUS, {}, user))).toEqual(['FORBIDDEN']);
  });
});

describe('clusters', () => {
  it('names the configured clusters, the default first, to anyone signed in', async () => {
    expect((await t.gql('{ clusters }', {}, user)).data).toEqual({ clusters: ['a', 'b'] });
    expect(codes(await t.gql('{ clusters }'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('usageSeries by cluster', () => {
  it('groups the series by cluster, each adding up to its jobs', async () => {
    const r = await t.gql(
      '{ usageSeries(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", bucket: YEAR, groupBy: [cluster]) { cluster jobs } }',
      {},
      admin,
    );
    expect(r.errors).toBeUndefined();
    const byCluster = new Map<string, number>();
    for (const row of r.data.usageSeries) byCluster.set(row.cluster, (byCluster.get(row.cluster) ?? 0) + row.jobs);
    const finished = async (cluster: string) => t.app.db.jobRecord.count({ where: { cluster, end: { not: null } } });
    expect(Object.fromEntries(byCluster)).toEqual({ a: await finished('a'), b: await finished('b') });
    expect(byCluster.get('a')).toBeGreaterThan(0);
  });
});

describe('my.csv of one cluster', () => {
  it('holds only that cluster’s jobs when asked for one, every cluster’s otherwise', async () => {
    const { port } = await t.app.start();
    const get = async (query: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/export/my.csv${query}`, { headers: { cookie: user } });
      expect(res.status).toBe(200);
      return (await res.text()).split('\r\n').slice(1).filter(Boolean);
    };
    const keys = (rows: string[]) => new Set(rows.map((r) => r.split(',')[0].replace(/^\uFEFF/, '').split(':')[0]));
    expect(keys(await get(''))).toEqual(new Set(['a', 'b']));
    expect(keys(await get('?cluster=b'))).toEqual(new Set(['b']));
  });
});
