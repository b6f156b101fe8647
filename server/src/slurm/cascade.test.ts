import { describe, expect, it } from 'vitest';
import { slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import type { Exec } from '../lib/exec.ts';
import { AllSourcesFailedError, fetchJobs, sourcesFromConfig } from './cascade.ts';
import type { FetchLike } from './restd-client.ts';
import type { JobSource } from './source.ts';
import type { NormalizedJob, SourceName } from './types.ts';
import { SlurmSourceError } from './types.ts';

const q = { from: new Date('2026-11-24T00:00:00Z'), to: new Date('2026-11-25T00:00:00Z') };

function job(jobId: string): NormalizedJob {
  return {
    cluster: 'c',
    jobId,
    user: 'alice',
    account: null,
    partition: null,
    name: null,
    state: 'COMPLETED',
    submit: null,
    start: null,
    end: null,
    elapsedSeconds: 1,
    totalCpuSeconds: 1,
    reqTres: {},
    allocTres: {},
  };
}

const ok = (name: SourceName, ids: string[]): JobSource => ({ name, fetchJobs: async () => ids.map(job) });
const failing = (name: SourceName, message: string): JobSource => ({
  name,
  fetchJobs: async () => {
    throw new SlurmSourceError(name, message);
  },
});

describe('fetchJobs', () => {
  it('returns the first source that answers and records the attempts before it', async () => {
    const calls: string[] = [];
    const spy = (s: JobSource): JobSource => ({ name: s.name, fetchJobs: (qq, ctx) => (calls.push(s.name), s.fetchJobs(qq, ctx)) });
    const result = await fetchJobs(q, [spy(failing('restd', 'HTTP 500')), spy(ok('sacct', ['1', '2'])), spy(ok('csv', ['9']))]);
    expect(result.source).toBe('sacct');
    expect(result.jobs.map((j) => j.jobId)).toEqual(['1', '2']);
    expect(result.attempts).toEqual([
      { source: 'restd', ok: false, reason: 'restd: HTTP 500', ms: expect.any(Number) },
      { source: 'sacct', ok: true, ms: expect.any(Number), count: 2 },
    ]);
    expect(calls).toEqual(['restd', 'sacct']);
  });

  it('treats an empty answer as an answer', async () => {
    const result = await fetchJobs(q, [ok('restd', []), ok('sacct', ['1'])]);
    expect(result).toMatchObject({ source: 'restd', jobs: [], attempts: [{ source: 'restd', ok: true, count: 0 }] });
  });

  it('bounds each source by the timeout, aborts it, and moves on', async () => {
    let aborted: unknown = null;
    const hanging: JobSource = {
      name: 'restd',
      fetchJobs: (_, ctx) =>
        new Promise((_, reject) => {
          ctx?.signal?.addEventListener('abort', () => {
            aborted = ctx.signal!.reason;
            reject(new Error('aborted'));
          });
        }),
    };
    const started = Date.now();
    const result = await fetchJobs(q, [hanging, ok('csv', ['7'])], { timeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.source).toBe('csv');
    expect(result.attempts[0]).toMatchObject({ source: 'restd', ok: false, reason: 'restd: timed out after 100 ms' });
    expect(result.attempts[0].ms).toBeGreaterThanOrEqual(95);
    expect((aborted as Error).message).toBe('restd: timed out after 100 ms');
  });

  it('records skipped sources and throws AllSourcesFailedError with every attempt when nothing answers', async () => {
    const err = await fetchJobs(q, [{ name: 'restd', skipped: 'not configured' }, failing('sacct', 'sacct exited with code 1: boom'), {
      name: 'csv',
      fetchJobs: async () => {
        throw new TypeError('unexpected');
      },
    }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllSourcesFailedError);
    const failed = err as AllSourcesFailedError;
    expect(failed.code).toBe('SLURM_UNAVAILABLE');
    expect(failed.attempts).toEqual([
      { source: 'restd', ok: false, reason: 'not configured', ms: 0 },
      { source: 'sacct', ok: false, reason: 'sacct: sacct exited with code 1: boom', ms: expect.any(Number) },
      { source: 'csv', ok: false, reason: 'unexpected', ms: expect.any(Number) },
    ]);
    expect(failed.message).toBe('no Slurm source answered: restd: not configured; sacct: sacct: sacct exited with code 1: boom; csv: unexpected');
  });

  it('fails with a clear message when the list is empty', async () => {
    await expect(fetchJobs(q, [])).rejects.toThrow('no Slurm source is configured');
  });
});

describe('sourcesFromConfig', () => {
  const csvText = ['Cluster,JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES',
    ',5,alice,physics,cpu,x,COMPLETED,2026-11-24T01:00:00,2026-11-24T01:00:00,2026-11-24T02:00:00,01:00:00,00:30:00,cpu=1,cpu=1'].join('\n');

  it('builds the sources in order, skipping unconfigured ones, and they fall through', async () => {
    const brokenFetch: FetchLike = async () => ({ status: 503, headers: { get: () => 'text/html' }, text: async () => '<h1>Service Unavailable</h1>' });
    const failingExec: Exec = () => ({ lines: (async function* () {})(), done: Promise.resolve({ code: 1, stderr: 'sacct: error: slurmdbd: Connection refused' }) });
    const sources = sourcesFromConfig(
      {
        cluster: 'tara',
        order: ['restd', 'sacct', 'sacct', 'csv'],
        restd: { baseUrl: 'https://restd:6820', token: 't', userName: 'slurm', timeoutMs: 1000, version: 'v0.0.41' },
        sacct: { timeoutMs: 1000 },
        csv: { path: '/srv/jobs.csv' },
      },
      { fetch: brokenFetch, exec: failingExec, readFile: async () => csvText },
    );
    expect(sources.map((s) => s.name)).toEqual(['restd', 'sacct', 'csv']);
    const result = await fetchJobs(q, sources);
    expect(result.source).toBe('csv');
    expect(result.jobs).toMatchObject([{ cluster: 'tara', jobId: '5', totalCpuSeconds: 1800 }]);
    expect(result.attempts.map((a) => [a.source, a.ok, a.reason])).toEqual([
      ['restd', false, 'restd: /slurmdb/v0.0.41/jobs answered HTTP 503: <h1>Service Unavailable</h1>'],
      ['sacct', false, 'sacct: sacct exited with code 1: sacct: error: slurmdbd: Connection refused'],
      ['csv', true, undefined],
    ]);
  });

  it('records "not configured" for named sources without settings', async () => {
    const sacctOut = slurmFixtureText('real-22.05-extra/sacct/root-allusers-steps.usv');
    const exec: Exec = () => ({ lines: (async function* () { yield* sacctOut.split('\n'); })(), done: Promise.resolve({ code: 0, stderr: '' }) });
    const sources = sourcesFromConfig({ cluster: 'sandbox', order: ['restd', 'sacct', 'csv'], restd: null, sacct: { timeoutMs: 500 } }, { exec });
    expect(sources[0]).toEqual({ name: 'restd', skipped: 'not configured' });
    expect(sources[2]).toEqual({ name: 'csv', skipped: 'not configured' });
    const result = await fetchJobs(q, sources);
    expect(result.source).toBe('sacct');
    expect(result.jobs).toHaveLength(8);
    expect(result.attempts[0]).toEqual({ source: 'restd', ok: false, reason: 'not configured', ms: 0 });
  });

  it('rejects an unknown source name', () => {
    expect(() => sourcesFromConfig({ cluster: 'c', order: ['restd', 'slurmdbd' as SourceName] })).toThrow(
      'unknown Slurm source "slurmdbd" in order (expected restd, sacct or csv)',
    );
  });
});

describe('one billing key per job, whichever source serves it', () => {
  it('labels CSV jobs with the configured cluster, as restd and sacct do', async () => {
    const { createCsvSource } = await import('./csv.ts');
    const csv = 'Cluster,JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES\n' +
      'exported-name,7,alice,a,p,n,COMPLETED,2026-01-01T00:00:00,2026-01-01T00:00:00,2026-01-01T01:00:00,01:00:00,00:10:00,cpu=1,cpu=1\n';
    const source = createCsvSource({ path: 'jobs.csv', cluster: 'hpc', readFile: async () => csv });
    const jobs = await source.fetchJobs({ from: new Date('2025-12-31T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') });
    expect(jobs.map((j) => `${j.cluster}:${j.jobId}`)).toEqual(['hpc:7']);
  });
});
