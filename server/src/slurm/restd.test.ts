import { describe, expect, it } from 'vitest';
import { listSlurmFixtures, slurmFixtureJson, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import { fetchJobs } from './cascade.ts';
import { createRestdSource, slurmdbParams, type FetchLike } from './restd-client.ts';
import { KNOWN_VERSIONS, describeErrors, parseSlurmJobs, parseSlurmdbJobs, versionsFromOpenapi } from './restd-parse.ts';
import { parseSacctText } from './sacct.ts';
import { PartialHistoryError } from './source.ts';
import type { NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

const at = (epoch: number) => new Date(epoch * 1000);
const byId = (jobs: NormalizedJob[]) => new Map(jobs.map((j) => [j.jobId, j]));

describe('parseSlurmdbJobs on the spec-built v0.0.39 to v0.0.45 files (SHAPES.md §10)', () => {
  const versions = ['v0.0.39', 'v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44', 'v0.0.45'];

  it.each(versions)('%s gives the expected normalized values', (version) => {
    const jobs = byId(parseSlurmdbJobs(slurmFixtureJson(`slurmdb-${version}-jobs.json`), version));
    expect([...jobs.keys()]).toEqual(['812001', '812010', '812055_7', '812070', '812101']);

    const cpu = jobs.get('812001')!;
    expect(cpu).toMatchObject({
      cluster: 'hpc',
      user: 'alice',
      account: 'chem',
      partition: 'cpu',
      name: 'dft_relax',
      state: 'COMPLETED',
      submit: at(1741585800),
      start: at(1741585842),
      end: at(1741589382),
      elapsedSeconds: 3540,
    });
    expect(cpu.totalCpuSeconds).toBeCloseTo(26993.150131, 6);
    expect(cpu.allocTres).toEqual({ cpu: 8, mem: 16000, node: 1, billing: 8 });

    const gpu = jobs.get('812010')!;
    expect(gpu).toMatchObject({ user: 'bob', account: 'ml', partition: 'gpu', elapsedSeconds: 7215 });
    expect(gpu.totalCpuSeconds).toBeCloseTo(104387.87013, 6);
    expect(gpu.allocTres).toEqual({ cpu: 16, mem: 128000, node: 1, billing: 48, 'gres/gpu': 4, 'gres/gpu:a100': 4 });
    expect(gpu.reqTres['gres/gpu:a100']).toBe(4);

    const task = jobs.get('812055_7')!;
    expect(task).toMatchObject({ user: 'carol', account: 'bio', state: 'FAILED', elapsedSeconds: 42, start: at(1741593003) });
    expect(task.totalCpuSeconds).toBeCloseTo(39.926419, 6);
    expect(task.allocTres.cpu).toBe(2);

    const mpi = jobs.get('812070')!;
    expect(mpi).toMatchObject({ user: 'dave', account: 'climate', elapsedSeconds: 5400, end: at(1741600295) });
    expect(mpi.totalCpuSeconds).toBeCloseTo(325137.549464, 6);
    expect(mpi.allocTres).toMatchObject({ cpu: 64, node: 2 });

    expect(jobs.get('812101')).toMatchObject({
      state: 'RUNNING',
      submit: at(1741601936),
      start: at(1741602000),
      end: null,
      elapsedSeconds: 1800,
      totalCpuSeconds: 0,
      allocTres: { cpu: 32, mem: 64000, node: 1, billing: 32 },
    });
  });

  it('gives identical records for every version', () => {
    const all = versions.map((v) => parseSlurmdbJobs(slurmFixtureJson(`slurmdb-${v}-jobs.json`), v));
    for (const jobs of all.slice(1)) expect(jobs).toEqual(all[0]);
  });

  it('labels with the configured cluster when given', () => {
    const jobs = parseSlurmdbJobs(slurmFixtureJson('slurmdb-v0.0.41-jobs.json'), 'v0.0.41', { cluster: 'tara' });
    expect(new Set(jobs.map((j) => j.cluster))).toEqual(new Set(['tara']));
  });
});

describe('parseSlurmdbJobs on the real Slurm 22.05 captures', () => {
  it.each(listSlurmFixtures('real-22.05', /^slurmdb-v0\.0\.3[78]-jobs\.json$/))('parses %s', (rel) => {
    const version = /v0\.0\.\d+/.exec(rel)![0];
    const jobs = byId(parseSlurmdbJobs(slurmFixtureJson(rel), version));
    expect(jobs.size).toBeGreaterThanOrEqual(4);
    for (const job of jobs.values()) {
      expect(job.cluster).toBe('sandbox');
      expect(['alice', 'bob', 'oper', 'root']).toContain(job.user);
    }
    if (jobs.has('1')) {
      expect(jobs.get('1')!.totalCpuSeconds).toBeCloseTo(3.290053, 6);
      expect(jobs.get('1')!.allocTres).toEqual({ cpu: 2, mem: 512, node: 1, billing: 2 });
    }
    if (jobs.has('10_3')) expect(jobs.get('10_3')!.start).toEqual(new Date('2026-11-24T11:34:20Z'));
  });

  it('keeps the latest run of a requeued job, and het components by offset', () => {
    const jobs = byId(parseSlurmdbJobs(slurmFixtureJson('real-22.05-extra/rest/slurmdb-v0.0.38-jobs.json'), 'v0.0.38'));
    expect([...jobs.keys()].sort()).toEqual(['13', '14', '15', '16', '17+0', '17+1', '19', '20']);
    // Two records for 19: the first run (REQUEUED, submitted 03:19:01) and the run that completed.
    expect(jobs.get('19')).toMatchObject({ state: 'COMPLETED', submit: new Date('2026-11-26T03:20:35Z'), elapsedSeconds: 9 });
    expect(jobs.get('19')!.totalCpuSeconds).toBeCloseTo(0.007149, 6);
    expect(jobs.get('17+1')).toMatchObject({ state: 'CANCELLED', start: null, allocTres: {} });
    expect(jobs.get('15')!.name).toBe('us\x1fsep');
    expect(jobs.get('20')).toMatchObject({ state: 'RUNNING', end: null, totalCpuSeconds: 0 });
  });
});

describe('the sacct and slurmrestd captures of one cluster agree', () => {
  const pairs: Array<[string, string]> = [];
  for (const mode of ['privatedata-none', 'privatedata-jobs-usage']) {
    for (const who of ['alice', 'bob', 'oper', 'root']) {
      for (const v of ['v0.0.37', 'v0.0.38']) {
        pairs.push([`real-22.05/${mode}/sacct/${who}-allusers-steps.psv`, `real-22.05/${mode}/rest/${who}/slurmdb-${v}-jobs.json`]);
      }
    }
  }
  pairs.push(['real-22.05-extra/sacct/root-allusers-steps.usv', 'real-22.05-extra/rest/slurmdb-v0.0.37-jobs.json']);
  pairs.push(['real-22.05-extra/sacct/root-allusers-steps.usv', 'real-22.05-extra/rest/slurmdb-v0.0.38-jobs.json']);

  it.each(pairs)('%s = %s', async (sacctRel, restRel) => {
    const version = /v0\.0\.\d+/.exec(restRel)![0];
    const fromSacct = await parseSacctText(slurmFixtureText(sacctRel), { cluster: 'sandbox' });
    const capturedAt = restRel.startsWith('real-22.05-extra') ? new Date(1795663412 * 1000) : undefined;
    const fromRest = byId(parseSlurmdbJobs(slurmFixtureJson(restRel), version, { cluster: 'sandbox', now: capturedAt }));
    expect(fromSacct.map((j) => j.jobId).sort()).toEqual([...fromRest.keys()].sort());
    for (const s of fromSacct) {
      const r = fromRest.get(s.jobId)!;
      // sacct prints CPU time truncated to milliseconds; REST has microseconds.
      expect(r.totalCpuSeconds - s.totalCpuSeconds).toBeGreaterThanOrEqual(-1e-9);
      expect(r.totalCpuSeconds - s.totalCpuSeconds).toBeLessThan(0.001);
      // A running job's elapsed time is "until now", and the two captures were a second apart.
      if (s.state === 'RUNNING') expect(Math.abs(r.elapsedSeconds - s.elapsedSeconds)).toBeLessThanOrEqual(2);
      else expect(r.elapsedSeconds).toBe(s.elapsedSeconds);
      let start = s.start;
      if (version === 'v0.0.37' && s.state === 'RUNNING') {
        // v0.0.37's start is rebuilt as now − elapsed: within the captures' second of difference.
        expect(Math.abs(r.start!.getTime() - s.start!.getTime())).toBeLessThanOrEqual(2000);
        start = r.start;
      } else if (version === 'v0.0.37' && s.start === null) {
        // A het component that never started: v0.0.37 cannot tell it from a zero-length run.
        expect(r.start).toEqual(r.end);
        start = r.start;
      }
      expect({ ...r, totalCpuSeconds: 0, elapsedSeconds: 0 }).toEqual({ ...s, start, totalCpuSeconds: 0, elapsedSeconds: 0 });
    }
  });
});

describe('parseSlurmJobs (/slurm/vX/jobs, live jobs)', () => {
  it.each(listSlurmFixtures('real-22.05', /^slurm-v0\.0\.3[678]-jobs\.json$/))('parses %s', (rel) => {
    const version = /v0\.0\.\d+/.exec(rel)![0];
    if (version === 'v0.0.36') {
      expect(() => parseSlurmJobs(slurmFixtureJson(rel), version)).toThrow(/unknown slurmrestd version "v0.0.36"/);
      return;
    }
    const jobs = byId(parseSlurmJobs(slurmFixtureJson(rel), version));
    expect(jobs.size).toBeGreaterThanOrEqual(4);
    expect([...jobs.values()].every((j) => j.totalCpuSeconds === 0 && j.cluster === 'sandbox')).toBe(true);
  });

  it('matches /slurmdb for finished jobs (except CPU time, which only slurmdbd has)', () => {
    const live = byId(parseSlurmJobs(slurmFixtureJson('real-22.05/privatedata-none/rest/root/slurm-v0.0.38-jobs.json'), 'v0.0.38'));
    const db = parseSlurmdbJobs(slurmFixtureJson('real-22.05/privatedata-none/rest/root/slurmdb-v0.0.38-jobs.json'), 'v0.0.38');
    expect(live.get('3')).toMatchObject({ state: 'CANCELLED', name: 'seed-held-cancelled', allocTres: {} });
    for (const d of db) expect(live.get(d.jobId)).toEqual({ ...d, totalCpuSeconds: 0 });
  });

  it('drops estimated times of running and pending jobs and keeps names slurmdbd lost', () => {
    const now = new Date(1795663412 * 1000);
    const jobs = byId(parseSlurmJobs(slurmFixtureJson('real-22.05-extra/rest/slurm-v0.0.38-jobs.json'), 'v0.0.38', { now }));
    expect(jobs.get('20')).toMatchObject({ state: 'RUNNING', start: at(1795663394), end: null, elapsedSeconds: 18 });
    expect(jobs.get('21')).toMatchObject({ state: 'PENDING', start: null, end: null, elapsedSeconds: 0, allocTres: {} });
    expect(jobs.get('14')!.name).toBe('งานทดสอบ ภาษาไทย');
    expect(jobs.get('17+0')!.reqTres).toEqual({ cpu: 1, mem: 100, node: 1, billing: 1 });
    expect(jobs.get('9_3')).toMatchObject({ user: 'alice', name: 'seed-array', state: 'COMPLETED' });
    expect(jobs.get('10')).toMatchObject({ user: 'root', name: 'seed-root' });
  });

  it('reads v0.0.40+ shapes: state arrays, NV times and ids', () => {
    const doc = {
      jobs: [
        {
          job_id: 900,
          user_name: 'carol',
          account: 'bio',
          partition: 'gpu',
          name: 'x',
          job_state: ['PENDING', 'REQUEUED'],
          submit_time: { set: true, infinite: false, number: 1741601000 },
          start_time: { set: true, infinite: false, number: 1741609999 },
          end_time: { set: true, infinite: false, number: 1741619999 },
          array_job_id: { set: true, infinite: false, number: 899 },
          array_task_id: { set: false, infinite: false, number: 0 },
          array_task_string: '3-9%2',
          het_job_id: { set: false, infinite: false, number: 0 },
          het_job_offset: { set: false, infinite: false, number: 0 },
          tres_req_str: 'cpu=16,mem=125G,node=1,billing=48,gres/gpu=4',
          tres_alloc_str: '',
          cluster: 'hpc',
        },
      ],
    };
    expect(parseSlurmJobs(doc, 'v0.0.44')).toEqual([
      {
        cluster: 'hpc',
        jobId: '899_[3-9%2]',
        user: 'carol',
        account: 'bio',
        partition: 'gpu',
        name: 'x',
        state: 'PENDING',
        submit: at(1741601000),
        start: null,
        end: null,
        elapsedSeconds: 0,
        totalCpuSeconds: 0,
        reqTres: { cpu: 16, mem: 128000, node: 1, billing: 48, 'gres/gpu': 4 },
        allocTres: {},
      },
    ]);
  });
});

describe('parser errors', () => {
  it('names an unknown version', () => {
    expect(() => parseSlurmdbJobs({ jobs: [] }, 'v0.0.99')).toThrow('restd: unknown slurmrestd version "v0.0.99" (supported: v0.0.37 to v0.0.46)');
    expect(() => parseSlurmdbJobs({ jobs: [] }, '0.0.41')).not.toThrow();
  });

  it('names missing fields and a missing jobs list', () => {
    expect(() => parseSlurmdbJobs({ meta: {} }, 'v0.0.41')).toThrow('/slurmdb/v0.0.41/jobs: the response has no jobs[] list');
    expect(() => parseSlurmdbJobs([], 'v0.0.41')).toThrow(/not a JSON object/);
    expect(() => parseSlurmdbJobs({ jobs: [{ user: 'a' }] }, 'v0.0.41')).toThrow('jobs[0] has no job_id');
    expect(() => parseSlurmdbJobs({ jobs: [{ job_id: 5, state: { current: ['COMPLETED'] } }] }, 'v0.0.41')).toThrow('job 5 has no user');
    expect(() => parseSlurmdbJobs({ jobs: [{ job_id: 5, user: 'a', state: {} }] }, 'v0.0.41')).toThrow('job 5 has no state.current');
    expect(() => parseSlurmdbJobs({ jobs: [{ job_id: 5, user: 'a', state: { current: 'COMPLETED' } }] }, 'v0.0.38')).toThrow(
      'job 5 has no time',
    );
    expect(() => parseSlurmJobs({ jobs: [{ job_id: 6, job_state: 'RUNNING' }] }, 'v0.0.38')).toThrow('job 6 has no user_name');
    try {
      parseSlurmdbJobs({ jobs: [{}] }, 'v0.0.40');
    } catch (err) {
      expect(err).toBeInstanceOf(SlurmSourceError);
      expect((err as SlurmSourceError).source).toBe('restd');
    }
  });

  it('describes the error list of every envelope version', () => {
    expect(describeErrors(slurmFixtureJson('real-22.05/privatedata-none/rest/auth/slurmdb-bad-token.body'))).toBe(
      'Protocol authentication error (1007, slurmdb_jobs_get)',
    );
    expect(describeErrors(slurmFixtureJson('real-22.05/privatedata-none/rest/auth/slurm-bad-token.body'))).toBe(
      'Unspecified error: Failed while looking for jobs (-1, slurm_load_jobs)',
    );
    expect(describeErrors({ errors: [] })).toBeNull();
  });
});

describe('query parameters', () => {
  const q = { from: new Date('2026-11-24T11:34:02Z'), to: new Date('2026-11-24T11:36:23Z'), user: 'alice' };

  it('uses uts<epoch> up to v0.0.41, a bare epoch from v0.0.42, users= from v0.0.39, and encodes nothing raw', () => {
    expect(slurmdbParams('v0.0.38', q).toString()).toBe('start_time=uts1795520042&end_time=uts1795520183');
    expect(slurmdbParams('v0.0.39', q).toString()).toBe('start_time=uts1795520042&end_time=uts1795520183&users=alice');
    expect(slurmdbParams('v0.0.41', q).toString()).toBe('start_time=uts1795520042&end_time=uts1795520183&users=alice');
    expect(slurmdbParams('v0.0.42', q).toString()).toBe('start_time=1795520042&end_time=1795520183&users=alice');
    expect(new URLSearchParams({ start_time: '2026-11-24T11:34:02' }).toString()).toBe('start_time=2026-11-24T11%3A34%3A02');
  });

  it('finds versions in a /openapi/v3 document', () => {
    expect(versionsFromOpenapi(slurmFixtureJson('real-22.05/openapi/openapi-v3.json'))).toEqual({
      slurmdb: ['v0.0.38', 'v0.0.37', 'v0.0.36'],
      slurm: ['v0.0.38', 'v0.0.37', 'v0.0.36'],
    });
    expect(versionsFromOpenapi({ paths: { '/slurmdb/v0.0.41/jobs/': {}, '/slurmdb/v0.0.43/jobs/': {}, '/slurmdb/v0.0.43/job/{job_id}': {} } })).toEqual({
      slurmdb: ['v0.0.43', 'v0.0.41'],
      slurm: [],
    });
    expect(KNOWN_VERSIONS[0]).toBe('v0.0.46');
  });
});

// --------------------------------------------------------------------------------------------------------------
// The client over an in-memory slurmrestd.

interface Reply {
  status: number;
  body: string;
  type?: string;
}

function fakeRestd(route: (url: URL) => Reply) {
  const requests: Array<{ url: URL; headers: Record<string, string> }> = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    requests.push({ url: u, headers: init.headers });
    const r = route(u);
    return {
      status: r.status,
      headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? (r.type ?? 'application/json') : null) },
      text: async () => r.body,
    };
  };
  return { fetch, requests };
}

const json = (doc: unknown, status = 200): Reply => ({ status, body: JSON.stringify(doc) });
const notFound: Reply = { status: 404, body: slurmFixtureText('real-22.05-extra/rest/slurmdb-v0.0.41-jobs-404.body'), type: 'text/plain' };
const q = { from: new Date('2026-11-24T11:34:02Z'), to: new Date('2026-11-24T11:36:23Z') };
const opts = { baseUrl: 'http://restd.example:6820/', userName: 'slurm', token: 'jwt-1', timeoutMs: 5000, cluster: 'sandbox' };

describe('createRestdSource', () => {
  const openapi = slurmFixtureText('real-22.05/openapi/openapi-v3.json');
  const db38 = slurmFixtureText('real-22.05/privatedata-none/rest/root/slurmdb-v0.0.38-jobs.json');

  it('discovers v0.0.38 from /openapi/v3, sends the auth headers, and filters users itself on v0.0.38', async () => {
    const server = fakeRestd((u) =>
      u.pathname === '/openapi/v3' ? { status: 200, body: openapi } : u.pathname === '/slurmdb/v0.0.38/jobs' ? { status: 200, body: db38 } : notFound,
    );
    const source = createRestdSource({ ...opts, fetch: server.fetch });
    const jobs = await source.fetchJobs({ ...q, user: 'alice' });
    expect(jobs.map((j) => j.jobId)).toEqual(['1', '5', '6', '10_3', '10_1', '10_2']);
    const last = server.requests.at(-1)!;
    expect(last.url.pathname).toBe('/slurmdb/v0.0.38/jobs');
    expect(last.url.search).toBe('?start_time=uts1795520042&end_time=uts1795520183');
    expect(last.headers).toMatchObject({ 'X-SLURM-USER-NAME': 'slurm', 'X-SLURM-USER-TOKEN': 'jwt-1' });
    expect(await source.discover()).toEqual({ api: 'slurmdb', version: 'v0.0.38' });

    await source.fetchJobs(q);
    expect(server.requests.filter((r) => r.url.pathname === '/openapi/v3')).toHaveLength(1);
  });

  it('reads the token file on every fetch', async () => {
    let token = 'first';
    const server = fakeRestd(() => json({ errors: [], jobs: [] }));
    const source = createRestdSource({ ...opts, token: undefined, tokenFile: '/etc/slurm/token', version: 'v0.0.43', fetch: server.fetch, readFile: async () => `${token}\n` });
    await source.fetchJobs(q);
    token = 'second';
    await source.fetchJobs(q);
    expect(server.requests.map((r) => r.headers['X-SLURM-USER-TOKEN'])).toEqual(['first', 'second']);
    expect(server.requests[0].url.search).toBe('?start_time=1795520042&end_time=1795520183');
    const broken = createRestdSource({ ...opts, token: undefined, tokenFile: '/nope', fetch: server.fetch, readFile: async () => Promise.reject(new Error('ENOENT: no such file')) });
    await expect(broken.fetchJobs(q)).rejects.toThrow('restd: cannot read token file /nope: ENOENT: no such file');
  });

  it('probes versions newest first when /openapi/v3 is not available', async () => {
    const v40 = slurmFixtureText('slurmdb-v0.0.40-jobs.json');
    const server = fakeRestd((u) => (u.pathname === '/slurmdb/v0.0.40/jobs' ? { status: 200, body: v40 } : notFound));
    const source = createRestdSource({ ...opts, fetch: server.fetch });
    const jobs = await source.fetchJobs({ from: at(1741500000), to: at(1741603800), user: 'alice' });
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/openapi/v3',
      '/slurmdb/v0.0.46/jobs',
      '/slurmdb/v0.0.45/jobs',
      '/slurmdb/v0.0.44/jobs',
      '/slurmdb/v0.0.43/jobs',
      '/slurmdb/v0.0.42/jobs',
      '/slurmdb/v0.0.41/jobs',
      '/slurmdb/v0.0.40/jobs',
      '/slurmdb/v0.0.40/jobs',
    ]);
    expect(server.requests.at(-1)!.url.searchParams.get('users')).toBe('alice');
    expect(server.requests.at(-1)!.url.searchParams.get('start_time')).toBe('uts1741500000');
    expect(jobs.map((j) => j.jobId)).toEqual(['812001', '812101']);
  });

  it('falls back to /slurm/vX/jobs only when no /slurmdb version is offered, and filters the window itself', async () => {
    const live = slurmFixtureText('real-22.05-extra/rest/slurm-v0.0.38-jobs.json');
    const server = fakeRestd((u) =>
      u.pathname === '/openapi/v3'
        ? json({ paths: { '/slurm/v0.0.38/jobs': {}, '/slurm/v0.0.37/jobs': {} } })
        : u.pathname === '/slurm/v0.0.38/jobs'
          ? { status: 200, body: live }
          : notFound,
    );
    const source = createRestdSource({ ...opts, fetch: server.fetch, now: () => at(1795663412) });
    const window = { from: new Date('2026-11-26T03:19:00Z'), to: new Date('2026-11-26T03:24:00Z'), user: 'alice' };
    const partial = await source.fetchJobs(window).catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(PartialHistoryError);
    expect((partial as PartialHistoryError).message).toMatch(/history is incomplete/);
    expect((partial as PartialHistoryError).jobs.map((j) => j.jobId)).toEqual(['13', '15', '16', '17+0', '17+1', '20']);
    // The cascade prefers any source with the whole history, and falls back to these jobs only when none answers.
    const csv = { name: 'csv' as const, fetchJobs: async () => [] };
    expect(await fetchJobs(window, [source, csv])).toMatchObject({ source: 'csv', jobs: [] });
    const broken = { name: 'sacct' as const, fetchJobs: async () => Promise.reject(new Error('sacct: exit 1')) };
    const fallback = await fetchJobs(window, [source, broken]);
    expect(fallback).toMatchObject({ source: 'restd', partial: true, partialReason: expect.stringMatching(/history is incomplete/) });
    expect(fallback.jobs).toHaveLength(6);
    expect(await source.discover()).toEqual({ api: 'slurm', version: 'v0.0.38' });
  });

  it('rediscovers when the cached version starts answering 404 (slurmrestd upgraded)', async () => {
    let offered = 'v0.0.38';
    const server = fakeRestd((u) => {
      if (u.pathname === '/openapi/v3') return json({ paths: { [`/slurmdb/${offered}/jobs`]: {} } });
      return u.pathname === `/slurmdb/${offered}/jobs` ? json({ errors: [], jobs: [] }) : notFound;
    });
    const source = createRestdSource({ ...opts, fetch: server.fetch });
    await source.fetchJobs(q);
    offered = 'v0.0.41';
    await source.fetchJobs(q);
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/openapi/v3',
      '/slurmdb/v0.0.38/jobs',
      '/slurmdb/v0.0.38/jobs',
      '/openapi/v3',
      '/slurmdb/v0.0.41/jobs',
    ]);
  });

  it.each<[string, (u: URL) => Reply, RegExp | string]>([
    [
      'HTTP 200 with an error list (bad token, as captured)',
      () => ({ status: 200, body: slurmFixtureText('real-22.05/privatedata-none/rest/auth/slurmdb-bad-token.body') }),
      'restd: /slurmdb/v0.0.38/jobs reported: Protocol authentication error (1007, slurmdb_jobs_get)',
    ],
    [
      'HTTP 401 without a token (as captured)',
      () => ({ status: 401, body: slurmFixtureText('real-22.05/privatedata-none/rest/auth/slurmdb-no-token.body'), type: 'text/plain' }),
      'restd: authentication failed at /slurmdb/v0.0.38/jobs (HTTP 401: Authentication failure)',
    ],
    [
      'HTTP 500 with an error list (users= on v0.0.38, as captured)',
      () => ({ status: 500, body: slurmFixtureText('real-22.05-extra/rest/slurmdb-v0.0.38-jobs-users-param.json') }),
      'restd: /slurmdb/v0.0.38/jobs answered HTTP 500: Query empty or not RFC7320 compliant: Unknown Query field (9000)',
    ],
    [
      'an HTML error page from a proxy',
      () => ({ status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', type: 'text/html' }),
      'restd: /slurmdb/v0.0.38/jobs answered HTTP 502: <html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
    ],
    [
      'an HTML page with HTTP 200 (a login portal)',
      () => ({ status: 200, body: '<!DOCTYPE html>\n<html><body>Please sign in to continue to the cluster portal</body></html>', type: 'text/html; charset=utf-8' }),
      'restd: response from /slurmdb/v0.0.38/jobs is not JSON (text/html: <!DOCTYPE html> <html><body>Please sign in to continue to the cluster portal</bo)',
    ],
    [
      'truncated JSON',
      () => ({ status: 200, body: slurmFixtureText('real-22.05/privatedata-none/rest/root/slurmdb-v0.0.38-jobs.json').slice(0, 5000) }),
      /^restd: response from \/slurmdb\/v0\.0\.38\/jobs is not valid JSON \(5000 bytes, truncated\?\): /,
    ],
    [
      'a JSON body without jobs',
      () => json({ meta: {}, errors: [] }),
      'restd: /slurmdb/v0.0.38/jobs: the response has no jobs[] list',
    ],
  ])('fails clearly on %s', async (_, reply, message) => {
    const server = fakeRestd(reply);
    const source = createRestdSource({ ...opts, version: 'v0.0.38', fetch: server.fetch });
    const err = await source.fetchJobs(q).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlurmSourceError);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
  });

  it('fails clearly on a pinned version the server does not offer, and on unknown versions', async () => {
    const server = fakeRestd(() => notFound);
    await expect(createRestdSource({ ...opts, version: 'v0.0.41', fetch: server.fetch }).fetchJobs(q)).rejects.toThrow(
      'restd: slurmrestd does not offer /slurmdb/v0.0.41/jobs (HTTP 404: Unable find requested URL. Please view /openapi/v3 for API reference.)',
    );
    await expect(createRestdSource({ ...opts, version: '0.0.99', fetch: server.fetch }).fetchJobs(q)).rejects.toThrow(
      'restd: unknown slurmrestd version "0.0.99"',
    );
    await expect(createRestdSource({ ...opts, fetch: server.fetch }).fetchJobs(q)).rejects.toThrow(
      'restd: slurmrestd at http://restd.example:6820 answers 404 for /slurmdb and /slurm jobs of every known version (v0.0.37 to v0.0.46)',
    );
    const old = fakeRestd((u) => (u.pathname === '/openapi/v3' ? json({ paths: { '/slurmdb/v0.0.36/jobs': {}, '/slurm/v0.0.36/jobs': {} } }) : notFound));
    await expect(createRestdSource({ ...opts, fetch: old.fetch }).fetchJobs(q)).rejects.toThrow(
      'restd: slurmrestd offers only /slurmdb/v0.0.36, /slurm/v0.0.36; unknown versions (supported: v0.0.37 to v0.0.46)',
    );
  });

  it('stops at /openapi/v3 when authentication fails there', async () => {
    const server = fakeRestd(() => ({ status: 401, body: 'Authentication failure', type: 'text/plain' }));
    await expect(createRestdSource({ ...opts, fetch: server.fetch }).fetchJobs(q)).rejects.toThrow(
      'restd: authentication failed at /openapi/v3 (HTTP 401: Authentication failure)',
    );
    expect(server.requests).toHaveLength(1);
  });
});
