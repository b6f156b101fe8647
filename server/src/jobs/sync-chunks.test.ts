import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemMeta } from '../audit/recorder.ts';
import { type Db, openDatabase } from '../db/client.ts';
import type { JobSource } from '../slurm/source.ts';
import type { FetchJobsQuery, NormalizedJob } from '../slurm/types.ts';
import { SlurmSourceError } from '../slurm/types.ts';
import { HOUR_MS } from './chunks.ts';
import { nextWindow, type SyncProgress, syncJobs } from './sync.ts';

const DAY = 24 * HOUR_MS;
const START = new Date('2026-06-01T00:00:00Z');
const dayOf = (d: Date) => Math.round((d.getTime() - START.getTime()) / DAY);

function job(id: string, end: Date, user = 'alice'): NormalizedJob {
  return {
    cluster: 'c',
    jobId: id,
    user,
    account: 'phys',
    partition: 'cpu',
    name: null,
    state: 'COMPLETED',
    submit: new Date(end.getTime() - 2 * HOUR_MS),
    start: new Date(end.getTime() - HOUR_MS),
    end,
    elapsedSeconds: 3600,
    totalCpuSeconds: 3600,
    reqTres: { cpu: 1 },
    allocTres: { cpu: 1 },
  };
}

/** A sacct-like source: `perDay` jobs ending in each day asked, in batches of `batch`; `fail(day)` throws for that day. */
function daySource(opts: { perDay: number; batch?: number; fail?: (day: number) => boolean; failAfterFirstBatch?: boolean; stored?: () => number }) {
  const asked: number[] = [];
  let yielded = 0;
  let maxAhead = 0;
  const source: JobSource = {
    name: 'sacct',
    fetchJobs: () => Promise.reject(new Error('not used')),
    async *streamJobs(q: FetchJobsQuery) {
      const day = dayOf(q.from);
      asked.push(day);
      if (opts.fail?.(day) && !opts.failAfterFirstBatch) throw new SlurmSourceError('sacct', `sacct exited with code 1 on day ${day}`);
      const batch = opts.batch ?? 1000;
      for (let i = 0; i < opts.perDay; i += batch) {
        const jobs: NormalizedJob[] = [];
        for (let k = i; k < Math.min(i + batch, opts.perDay); k++) {
          jobs.push(job(`${day}-${k}`, new Date(q.from.getTime() + ((k + 1) * (q.to.getTime() - q.from.getTime())) / (opts.perDay + 1))));
        }
        // Jobs handed out and not yet stored: a sync that gathered the window before storing would run a window ahead.
        yielded += jobs.length;
        if (opts.stored) maxAhead = Math.max(maxAhead, yielded - opts.stored());
        if (i > 0 && opts.fail?.(day) && opts.failAfterFirstBatch) throw new SlurmSourceError('sacct', `sacct was killed on day ${day}`);
        yield jobs;
      }
    },
  };
  return { source, asked, stats: () => ({ maxAhead }) };
}

describe('syncJobs in chunks', () => {
  let dir: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-sync-chunks-'));
    db = openDatabase(path.join(dir, 'ledger.db'));
  });
  afterEach(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const window = (days: number) => ({ from: START, to: new Date(START.getTime() + days * DAY) });

  it('asks each chunk on its own, reports progress per chunk, and covers the window when all are done', async () => {
    const { source, asked } = daySource({ perDay: 3 });
    const progress: SyncProgress[] = [];
    const run = await syncJobs(db, [source], { ...window(4), trigger: 'startup', chunkHours: 24 }, systemMeta(), 1000, (p) => progress.push(p));
    expect(asked).toEqual([0, 1, 2, 3]);
    expect(run).toMatchObject({ status: 'ok', source: 'sacct', jobCount: 12, coveredTo: window(4).to, failedChunks: '[]' });
    expect(progress.filter((p) => p.chunk.status).map((p) => [p.chunks.done, p.chunks.total, p.stored])).toEqual([
      [1, 4, 3],
      [2, 4, 6],
      [3, 4, 9],
      [4, 4, 12],
    ]);
    expect(await db.jobRecord.count()).toBe(12);
  });

  it('loses only a failing chunk in the middle: the others are stored, the run is partial, the watermark stops before it', async () => {
    const { source, asked } = daySource({ perDay: 2, fail: (day) => day === 2 });
    const run = await syncJobs(db, [source], { ...window(5), trigger: 'startup', chunkHours: 24 }, systemMeta(), 1000);
    expect(asked).toEqual([0, 1, 2, 3, 4]);
    expect(run).toMatchObject({ status: 'partial', jobCount: 8, coveredTo: new Date(START.getTime() + 2 * DAY) });
    expect(JSON.parse(run.failedChunks)).toEqual([
      { from: '2026-06-03T00:00:00.000Z', to: '2026-06-04T00:00:00.000Z', status: 'failed', reason: expect.stringMatching(/all|sacct exited with code 1 on day 2/) },
    ]);
    expect(run.partialReason).toMatch(/1 of 5 chunk\(s\) did not complete/);
    expect(await db.jobRecord.count()).toBe(8);
    const next = await nextWindow(db, 0, 365, window(5).to);
    expect(next.from).toEqual(new Date(START.getTime() + 2 * DAY));
  });

  it('keeps the jobs a source stored before failing midway, and fails that chunk instead of mixing in another source', async () => {
    const { source } = daySource({ perDay: 5, batch: 2, fail: (day) => day === 1, failAfterFirstBatch: true });
    const other: JobSource = { name: 'csv', fetchJobs: async () => [job('other', new Date(START.getTime() + DAY + HOUR_MS))] };
    const run = await syncJobs(db, [source, other], { ...window(2), trigger: 'cli', chunkHours: 24 }, systemMeta(), 1000);
    expect(run).toMatchObject({ status: 'partial', coveredTo: new Date(START.getTime() + DAY) });
    expect(JSON.parse(run.failedChunks)[0].reason).toMatch(/sacct was killed on day 1 \(after 2 jobs\)/);
    expect(await db.jobRecord.count({ where: { key: 'c:other' } })).toBe(0);
  });

  it('takes up an interrupted first sync after its last done chunk, and covers the window once done', async () => {
    const w = window(6);
    const broken = daySource({ perDay: 2, fail: (day) => day >= 3 });
    const first = await syncJobs(db, [broken.source], { ...w, trigger: 'startup', chunkHours: 24 }, systemMeta(), 1000);
    expect(first).toMatchObject({ status: 'partial', coveredTo: new Date(START.getTime() + 3 * DAY) });

    const next = await nextWindow(db, 0, null, w.to);
    expect(next.from).toEqual(new Date(START.getTime() + 3 * DAY));
    const healed = daySource({ perDay: 2 });
    const second = await syncJobs(db, [healed.source], { ...next, trigger: 'interval', chunkHours: 24 }, systemMeta(), 1000);
    expect(healed.asked).toEqual([3, 4, 5]);
    expect(second).toMatchObject({ status: 'ok', coveredTo: w.to });
    expect((await nextWindow(db, 0, null, w.to)).from).toEqual(w.to);
    expect(await db.jobRecord.count()).toBe(12);
  });

  it('takes up a manual sync of the same start where the last one stopped (a killed run stays "running")', async () => {
    const w = window(4);
    // A run the process was killed in: chunks 0 and 1 done.
    await db.syncRun.create({
      data: { startedAt: START, rangeFrom: w.from, rangeTo: w.to, status: 'running', trigger: 'cli', coveredTo: new Date(START.getTime() + 2 * DAY) },
    });
    const { source, asked } = daySource({ perDay: 1 });
    const progress: SyncProgress[] = [];
    const run = await syncJobs(db, [source], { ...w, trigger: 'cli', chunkHours: 24 }, systemMeta(), 1000, (p) => progress.push(p));
    expect(asked).toEqual([2, 3]);
    expect(progress[0].resumedFrom).toEqual(new Date(START.getTime() + 2 * DAY));
    expect(run).toMatchObject({ status: 'ok', rangeFrom: w.from, coveredTo: w.to });
  });

  it('takes up each cluster where its own run stopped: one cluster killed midway does not move another’s start', async () => {
    const w = window(4);
    // Cluster a was killed after two chunks; cluster b after three.
    for (const [cluster, days] of [['a', 2], ['b', 3]] as const) {
      await db.syncRun.create({
        data: { startedAt: START, rangeFrom: w.from, rangeTo: w.to, status: 'running', trigger: 'cli', cluster, coveredTo: new Date(START.getTime() + days * DAY) },
      });
    }
    const a = daySource({ perDay: 1 });
    const b = daySource({ perDay: 1 });
    const c = daySource({ perDay: 1 });
    const runA = await syncJobs(db, [a.source], { ...w, trigger: 'cli', chunkHours: 24, cluster: 'a' }, systemMeta(), 1000);
    const runB = await syncJobs(db, [b.source], { ...w, trigger: 'cli', chunkHours: 24, cluster: 'b' }, systemMeta(), 1000);
    // A cluster that never ran starts at the beginning.
    const runC = await syncJobs(db, [c.source], { ...w, trigger: 'cli', chunkHours: 24, cluster: 'c' }, systemMeta(), 1000);
    expect([a.asked, b.asked, c.asked]).toEqual([[2, 3], [3], [0, 1, 2, 3]]);
    for (const run of [runA, runB, runC]) expect(run).toMatchObject({ status: 'ok', coveredTo: w.to });
    expect([runA.cluster, runB.cluster, runC.cluster]).toEqual(['a', 'b', 'c']);
  });

  it('fails the run when no chunk got an answer, as an unchunked sync did', async () => {
    const { source } = daySource({ perDay: 1, fail: () => true });
    await expect(syncJobs(db, [source], { ...window(2), trigger: 'cli', chunkHours: 24 }, systemMeta(), 1000)).rejects.toMatchObject({
      code: 'SLURM_UNAVAILABLE',
    });
    expect(await db.syncRun.findFirst()).toMatchObject({ status: 'failed', coveredTo: null });
  });

  it('streams 200k jobs through the whole sync never more than a chunk ahead of the ledger', async () => {
    const days = 40;
    const perDay = 5000;
    let stored = 0;
    const { source, stats } = daySource({ perDay, batch: 500, stored: () => stored });
    const run = await syncJobs(db, [source], { ...window(days), trigger: 'cli', chunkHours: 24 }, systemMeta(), 60_000, (p) => (stored = p.stored));
    expect(run.jobCount).toBe(days * perDay);
    // The source is pulled lazily: at most the ledger's write batch (5,000, here a chunk) plus the batch in hand.
    expect(stats().maxAhead).toBeLessThanOrEqual(perDay + 500);
    expect(stats().maxAhead).toBeGreaterThan(0);
  }, 600_000);
});
