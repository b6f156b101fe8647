import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemMeta } from '../audit/recorder.ts';
import { ensureRates } from '../billing/rates.ts';
import { createReceipt } from '../billing/receipts.ts';
import { usageBuckets } from '../billing/usage.ts';
import { type Db, openDatabase } from '../db/client.ts';
import { generateDemoJobs } from '../slurm/demo-jobs.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { jobKey, upsertJobs } from './ledger.ts';

const utc = (s: string) => new Date(`${s}Z`);

const running: NormalizedJob = {
  cluster: 'c1',
  jobId: '1001',
  user: 'alice',
  account: 'physics',
  partition: 'gpu',
  name: 'train "lr=3e-4" | จำลอง\x1f',
  state: 'RUNNING',
  submit: utc('2026-07-29T04:48:45.123'),
  start: utc('2026-07-29T05:00:00'),
  end: null,
  elapsedSeconds: 3600.4,
  totalCpuSeconds: 0,
  reqTres: { billing: 40, cpu: 8, mem: 65536, node: 1, 'gres/gpu': 4, 'gres/gpu:a100': 4 },
  allocTres: { billing: 40, cpu: 8, mem: 65536, node: 1, 'gres/gpu': 4, 'gres/gpu:a100': 4 },
};

const pending: NormalizedJob = {
  cluster: 'c1',
  jobId: '1002_3',
  user: 'bob',
  account: null,
  partition: null,
  name: null,
  state: 'PENDING',
  submit: utc('2026-07-30T00:00:00'),
  start: null,
  end: null,
  elapsedSeconds: 0,
  totalCpuSeconds: 0,
  // Nothing allocated yet: units come from the request; typed GPUs only, memory with a fraction.
  reqTres: { cpu: 2.4, mem: 1536.6, 'gres/gpu:v100': 1, 'gres/gpu:a100': 2 },
  allocTres: {},
};

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe('upsertJobs on a real SQLite ledger', () => {
  let dir: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-ledger-test-'));
    db = openDatabase(path.join(dir, 'ledger.db'));
  });

  afterEach(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('inserts every field, with derived units and the TRES maps as JSON text', async () => {
    const before = Date.now();
    expect(await upsertJobs(db, [running, pending], 'sacct')).toBe(2);
    const rows = await db.jobRecord.findMany({ orderBy: { key: 'asc' } });
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect(a).toEqual({
      key: 'c1:1001',
      cluster: 'c1',
      jobId: '1001',
      user: 'alice',
      account: 'physics',
      partition: 'gpu',
      name: running.name,
      state: 'RUNNING',
      submit: running.submit,
      start: running.start,
      end: null,
      elapsedSeconds: 3600,
      totalCpuSeconds: 0,
      reqTres: JSON.stringify(running.reqTres),
      allocTres: JSON.stringify(running.allocTres),
      cpus: 8,
      gpus: 4,
      memMiB: 65536,
      source: 'sacct',
      firstSeenAt: a.syncedAt,
      syncedAt: a.syncedAt,
    });
    expect(a.syncedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(a.syncedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(b).toMatchObject({ key: 'c1:1002_3', account: null, partition: null, name: null, start: null, end: null, allocTres: '{}' });
    expect({ cpus: b.cpus, gpus: b.gpus, memMiB: b.memMiB }).toEqual({ cpus: 2, gpus: 3, memMiB: 1537 });
    expect(JSON.parse(b.reqTres)).toEqual(pending.reqTres);
  });

  it('stores zero units for a job that was cancelled while pending (not its request), and it costs nothing', async () => {
    const cancelled: NormalizedJob = {
      ...pending,
      jobId: '1003',
      state: 'CANCELLED',
      start: utc('2026-07-30T01:00:00'),
      end: utc('2026-07-30T01:00:00'),
    };
    await ensureRates(db);
    await upsertJobs(db, [cancelled], 'sacct');
    const row = await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1003' } });
    expect({ cpus: row.cpus, gpus: row.gpus, memMiB: row.memMiB }).toEqual({ cpus: 0, gpus: 0, memMiB: 0 });
    expect(JSON.parse(row.reqTres)).toEqual(pending.reqTres);
    const [bucket] = await usageBuckets(db, {}, ['user']);
    expect(bucket).toMatchObject({ sums: { jobs: 1, cpuSeconds: 0n, gpuSeconds: 0n, memMiBSeconds: 0n }, costSatang: 0n });
  });

  it('re-sync replaces the fields of a job seen again, keeps firstSeenAt, and adds no row', async () => {
    await upsertJobs(db, [running, pending], 'sacct');
    const first = await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' } });
    await new Promise((resolve) => setTimeout(resolve, 5));

    const done: NormalizedJob = {
      ...running,
      state: 'COMPLETED',
      end: utc('2026-07-29T07:30:00.5'),
      elapsedSeconds: 9000,
      totalCpuSeconds: 61234.5,
      allocTres: { cpu: 16, mem: 131072, 'gres/gpu': 8 },
      name: null,
    };
    expect(await upsertJobs(db, [done], 'restd')).toBe(1);
    expect(await db.jobRecord.count()).toBe(2);
    const again = await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' } });
    expect(again).toMatchObject({
      state: 'COMPLETED',
      end: done.end,
      elapsedSeconds: 9000,
      totalCpuSeconds: 61234.5,
      name: null,
      cpus: 16,
      gpus: 8,
      memMiB: 131072,
      source: 'restd',
      allocTres: JSON.stringify(done.allocTres),
    });
    expect(again.firstSeenAt).toEqual(first.firstSeenAt);
    expect(again.syncedAt.getTime()).toBeGreaterThan(first.syncedAt.getTime());
    // The job not in this sync is left as it was.
    expect(await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1002_3' } })).toMatchObject({ state: 'PENDING', syncedAt: first.syncedAt });
  });

  it('leaves a job seen again exactly as stored unwritten, and sums again only the quarter hours of jobs that changed', async () => {
    const jobs = generateDemoJobs({ count: 400, seed: 11 });
    await upsertJobs(db, jobs, 'sacct');
    const before = await db.jobRecord.findMany({ orderBy: { key: 'asc' } });
    const rollups = await db.usageRollup.findMany({ orderBy: { id: 'asc' } });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Seen again unchanged: nothing is written, not even the time it was stored, and the rollup rows keep their ids.
    expect(await upsertJobs(db, jobs, 'sacct')).toBe(jobs.length);
    expect(await db.jobRecord.findMany({ orderBy: { key: 'asc' } })).toEqual(before);
    expect(await db.usageRollup.findMany({ orderBy: { id: 'asc' } })).toEqual(rollups);

    // One finished job changed (its end moved a day): only it is written, and the totals follow it.
    const moved = jobs.find((j) => j.end !== null)!;
    const changed = { ...moved, end: new Date(moved.end!.getTime() + 86_400_000) };
    const totals = await usageBuckets(db, {}, []);
    await upsertJobs(db, jobs.map((j) => (j === moved ? changed : j)), 'sacct');
    const after = await db.jobRecord.findMany({ orderBy: { key: 'asc' } });
    const rewritten = after.filter((r, i) => r.syncedAt.getTime() !== before[i].syncedAt.getTime());
    expect(rewritten.map((r) => r.key)).toEqual([jobKey(moved)]);
    expect(rewritten[0].end).toEqual(changed.end);
    expect(await usageBuckets(db, {}, [])).toEqual(totals);
    const quarter = (d: Date) => new Date(d.getTime() - (d.getTime() % 900_000));
    const rolled = await db.usageRollup.findMany({ where: { bucket: quarter(changed.end), user: moved.user } });
    expect(rolled.reduce((n, r) => n + r.jobs, 0)).toBeGreaterThanOrEqual(1);

    // A source that answers the same job is a change too: the record says which source stored it.
    await upsertJobs(db, [changed], 'restd');
    expect(await db.jobRecord.findUniqueOrThrow({ where: { key: jobKey(moved) } })).toMatchObject({ source: 'restd' });
  });

  it('stores the last version of a job repeated within one chunk even when that version is the stored one', async () => {
    const done = { ...running, state: 'COMPLETED', end: utc('2026-07-29T06:00:00') };
    await upsertJobs(db, [done], 'sacct');
    await upsertJobs(db, [{ ...done, state: 'FAILED' }, done], 'sacct');
    expect(await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' } })).toMatchObject({ state: 'COMPLETED' });
  });

  it('stores dates exactly as the Prisma ORM does, so Prisma filters, orders and the usage SQL read them', async () => {
    await upsertJobs(db, [{ ...running, end: utc('2026-07-31T23:59:59.999') }], 'sacct');
    const { key: _key, ...data } = await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' } });
    await db.jobRecord.create({ data: { ...data, key: 'orm:1' } });
    const raw = await db.$queryRaw<Array<Record<string, string | null>>>`
      SELECT "key", CAST("submit" AS TEXT) AS "submit", CAST("start" AS TEXT) AS "start", CAST("end" AS TEXT) AS "end",
        CAST("firstSeenAt" AS TEXT) AS "firstSeenAt", CAST("syncedAt" AS TEXT) AS "syncedAt", typeof("end") AS "endType",
        typeof("account") || typeof("elapsedSeconds") || typeof("totalCpuSeconds") || typeof("cpus") AS "types"
      FROM "JobRecord" ORDER BY "key"`;
    const [ours, orm] = raw;
    expect(ours.key).toBe('c1:1001');
    expect({ ...ours, key: '' }).toEqual({ ...orm, key: '' });
    expect(ours.submit).toBe('2026-07-29T04:48:45.123+00:00');
    expect(ours.end).toBe('2026-07-31T23:59:59.999+00:00');
    expect(ours.endType).toBe('text');
    expect(ours.types).toBe('textintegerrealinteger');

    expect(await db.jobRecord.count({ where: { end: { gte: utc('2026-07-31T23:59:59.999'), lt: utc('2026-08-01T00:00:00') } } })).toBe(2);
    expect(await db.jobRecord.count({ where: { submit: utc('2026-07-29T04:48:45.123') } })).toBe(2);
    const buckets = await usageBuckets(db, {}, ['month']);
    expect(buckets.map((b) => [b.key.month, b.sums.jobs])).toEqual([['2026-07', 2]]);
  });

  it('takes an async iterable (a streaming parser) and reports progress after each chunk', async () => {
    const jobs = generateDemoJobs({ count: 25, seed: 3 }) // 25 plus a few running and pending;
    const progress: number[] = [];
    expect(await upsertJobs(db, stream(jobs), 'sacct', (n) => progress.push(n), 10)).toBe(jobs.length);
    const chunkEnds: number[] = [];
    for (let n = 10; n < jobs.length; n += 10) chunkEnds.push(n);
    expect(progress).toEqual([...chunkEnds, jobs.length]);
    const rows = await db.jobRecord.findMany();
    expect(rows.map((r) => r.key).sort()).toEqual(jobs.map(jobKey).sort());
    const byKey = new Map(rows.map((r) => [r.key, r]));
    for (const job of jobs) {
      const r = byKey.get(jobKey(job))!;
      expect({ submit: r.submit, start: r.start, end: r.end, state: r.state, user: r.user, name: r.name }).toEqual({
        submit: job.submit,
        start: job.start,
        end: job.end,
        state: job.state,
        user: job.user,
        name: job.name,
      });
      expect(r.totalCpuSeconds).toBe(job.totalCpuSeconds);
      expect(JSON.parse(r.reqTres)).toEqual(job.reqTres);
    }
  });

  it('writes a job repeated within one chunk once, with its last version', async () => {
    const progress: number[] = [];
    const count = await upsertJobs(db, [running, pending, { ...running, state: 'COMPLETED', end: utc('2026-07-29T06:00:00') }], 'sacct', (n) =>
      progress.push(n),
    );
    expect(count).toBe(3);
    expect(progress).toEqual([3]);
    expect(await db.jobRecord.count()).toBe(2);
    expect(await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' } })).toMatchObject({ state: 'COMPLETED' });
  });

  it('writes chunks far beyond SQLite’s bound-parameter limit (one JSON parameter a chunk)', async () => {
    const jobs = generateDemoJobs({ count: 3000, seed: 5 });
    const progress: number[] = [];
    // 3000 rows × 21 columns would be 63,000 bound parameters; SQLite allows 32,766.
    expect(await upsertJobs(db, jobs, 'csv', (n) => progress.push(n), 1_000_000)).toBe(jobs.length);
    expect(progress).toEqual([jobs.length]);
    expect(await db.jobRecord.count()).toBe(jobs.length);
    expect(await upsertJobs(db, [], 'csv', (n) => progress.push(n))).toBe(0);
    expect(progress).toEqual([jobs.length]);
  });

  it('updates a job that is already on a receipt in place (the receipt item keeps its job)', async () => {
    await ensureRates(db);
    await db.user.create({ data: { username: 'alice' } });
    const finished = { ...running, state: 'COMPLETED', end: utc('2026-07-29T07:00:00') };
    await upsertJobs(db, [finished], 'sacct');
    const receipt = await createReceipt(db, 'alice', utc('2026-08-01T00:00:00'), systemMeta('test'), { now: utc('2026-08-02T00:00:00') });
    await upsertJobs(db, [{ ...finished, totalCpuSeconds: 12 }], 'sacct');
    const job = await db.jobRecord.findUniqueOrThrow({ where: { key: 'c1:1001' }, include: { receiptItem: true } });
    expect(job.totalCpuSeconds).toBe(12);
    expect(job.receiptItem?.receiptId).toBe(receipt.id);
  });
});
