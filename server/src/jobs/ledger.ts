import { LARGEST_JOB, withinLargestJob } from '@hpc-accounting/pricing/limits';
import { billingUnits } from '../billing/cost.ts';
import { type Db, transactionConnection } from '../db/client.ts';
import { storedRows, upsertRows } from '../db/bulk.ts';
import { buildParkedIndexes, parkDeferrableIndexes } from '../db/deferred-indexes.ts';
import { dialect } from '../db/dialect.ts';
import { relieveHeap } from '../lib/heap.ts';
import type { FreshJob } from '../rollups/fresh.ts';
import { addFreshRollups, rebuildRollups, slotsOf } from '../rollups/store.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { NormalizedJob, SourceName } from '../slurm/types.ts';

export const jobKey = (job: Pick<NormalizedJob, 'cluster' | 'jobId'>) => `${job.cluster}:${job.jobId}`;

type JobRecordColumn = keyof Prisma.JobRecordCreateManyInput;

/** Every JobRecord column, in the order of each JSON row below. */
const COLUMNS = [
  'key',
  'cluster',
  'jobId',
  'user',
  'account',
  'partition',
  'name',
  'state',
  'submit',
  'start',
  'end',
  'elapsedSeconds',
  'totalCpuSeconds',
  'reqTres',
  'allocTres',
  'cpus',
  'gpus',
  'memMiB',
  'source',
  'firstSeenAt',
  'syncedAt',
] as const satisfies readonly JobRecordColumn[];

// A column added to JobRecord must be written here too: this fails to compile until it is.
type Unwritten = Exclude<JobRecordColumn, (typeof COLUMNS)[number]>;
const allColumnsWritten: [Unwritten] extends [never] ? true : Unwritten = true;
void allColumnsWritten;

const END = COLUMNS.indexOf('end');
const at = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<(typeof COLUMNS)[number], number>;

/** A stored row of a finished job, as the rollups sum it. */
const finished = (r: unknown[]): FreshJob => ({
  end: Date.parse(r[END] as string),
  cluster: r[at.cluster] as string,
  user: r[at.user] as string,
  account: r[at.account] as string | null,
  partition: r[at.partition] as string | null,
  state: r[at.state] as string,
  allocTres: r[at.allocTres] as string,
  cpus: r[at.cpus] as number,
  gpus: r[at.gpus] as number,
  memMiB: r[at.memMiB] as number,
  elapsedSeconds: r[at.elapsedSeconds] as number,
});

/** A job seen again keeps its key and the time it was first seen; everything else is replaced. */
const KEPT = ['firstSeenAt'] as const;

/** What makes a stored job the same as the one seen again: every column but the times it was first and last stored. */
const COMPARED = COLUMNS.filter((c) => c !== 'key' && c !== 'firstSeenAt' && c !== 'syncedAt');
const COMPARED_AT = COMPARED.map((c) => COLUMNS.indexOf(c));
const COMPARED_END = COMPARED.indexOf('end');

const sameJob = (row: unknown[], stored: unknown[] | undefined) => stored !== undefined && COMPARED_AT.every((at, i) => row[at] === stored[i]);

/** The last version of each job in `rows`, in order: a job seen twice in one batch is stored as it was seen last. */
function lastVersions(rows: unknown[][]): unknown[][] {
  const last = new Map<string, number>();
  rows.forEach((r, i) => last.set(r[0] as string, i));
  return last.size === rows.length ? rows : rows.filter((r, i) => last.get(r[0] as string) === i);
}

const dateText = (d: Date | null) => (d ? dialect.instant(d) : null);

function rowValues(job: NormalizedJob, units: ReturnType<typeof billingUnits>, source: SourceName, syncedAt: string): unknown[] {
  const record: Record<(typeof COLUMNS)[number], string | number | null> = {
    key: jobKey(job),
    cluster: job.cluster,
    jobId: job.jobId,
    user: job.user,
    account: job.account,
    partition: job.partition,
    name: job.name,
    state: job.state,
    submit: dateText(job.submit),
    start: dateText(job.start),
    end: dateText(job.end),
    elapsedSeconds: Math.round(job.elapsedSeconds),
    totalCpuSeconds: job.totalCpuSeconds,
    reqTres: JSON.stringify(job.reqTres),
    allocTres: JSON.stringify(job.allocTres),
    cpus: units.cpus,
    gpus: units.gpus,
    memMiB: units.memMiB,
    source,
    // Used only when the row is inserted: the conflict clause leaves it out.
    firstSeenAt: syncedAt,
    syncedAt,
  };
  return COLUMNS.map((c) => record[c]);
}

/**
 * Upserts jobs keyed by `cluster:jobId`: a job seen again (RUNNING → COMPLETED, late accounting) replaces its
 * record instead of adding one, and keeps `firstSeenAt`. Takes a stream, so a parser can feed it without the whole
 * window in memory. Each chunk is one bulk upsert statement (see the dialect) and the rebuild of the rollups it
 * touches, in one transaction; a job repeated within a chunk ends with its last version. A job seen again
 * exactly as stored is not written at all (so `syncedAt` is when the record last changed), and only the quarter hours
 * of the jobs that did change are summed again: a re-sync of a year that changed nothing costs reads alone. A job new
 * to the ledger, in a quarter hour that holds no rows yet, is added to the rollups from its batch (rollups/fresh.ts).
 */
export async function upsertJobs(
  db: Db,
  // Jobs one by one, or in the parser's batches (a stream of batches costs a promise a batch, not a job).
  jobs: Iterable<NormalizedJob> | AsyncIterable<NormalizedJob | readonly NormalizedJob[]>,
  source: SourceName,
  onProgress?: (done: number) => void,
  // Each chunk pays a fixed number of rollup statements: 5,000 jobs a chunk took a 100k-job stream from 15.7 s to
  // 10 s against 1,000 (20,000 gained nothing more and held 580 MB instead of 340).
  batchSize = 5000,
  onOversized?: (key: string, reason: string) => void,
  defaultTier = 'mu',
) {
  const chunkSize = Math.max(1, Math.floor(batchSize));
  const syncedAt = dateText(new Date())!;
  let count = 0;
  let chunk: unknown[][] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = lastVersions(chunk);
    const written = chunk.length;
    chunk = [];
    const keys = rows.map((r) => r[0] as string);
    // The jobs and the rollups that sum them change together: the quarter hours a job left or entered are summed again.
    await db.$transaction(async (tx) => {
      // A job seen again exactly as stored (a re-sync, the lookback of the next interval sync) is neither written
      // nor summed again: only the jobs that changed cost a write and their quarter hours.
      const stored = await storedRows(tx, 'JobRecord', COMPARED, 'key', keys);
      const changed = rows.filter((r) => !sameJob(r, stored.get(r[0] as string)));
      if (changed.length === 0) return;
      const before = changed.map((r) => stored.get(r[0] as string)?.[COMPARED_END] as string | null | undefined);
      await upsertRows(tx, 'JobRecord', COLUMNS, 'key', KEPT, changed);
      // A job new to the ledger is added to the rollups as it is (most of a first sync); the quarter hours a stored job
      // left or entered, and those that already held rows, are summed again from the jobs.
      const again = before as Array<string | null | undefined>;
      const fresh: Array<{ key: string; job: FreshJob; endText: string }> = [];
      for (const r of changed) {
        const end = r[END] as string | null;
        if (stored.has(r[0] as string)) again.push(end);
        else if (end !== null) fresh.push({ key: r[0] as string, job: finished(r), endText: end });
      }
      again.push(...(await addFreshRollups(tx, defaultTier, fresh)));
      await rebuildRollups(tx, defaultTier, { slots: slotsOf(again) });
    }, { timeout: 120_000 });
    count += written;
    // The batch is garbage now: collected before the heap grows far past what a sync keeps (lib/heap.ts).
    relieveHeap();
    onProgress?.(count);
  };
  const add = (job: NormalizedJob) => {
    const units = billingUnits(job);
    const oversized = oversizedReason(job, units);
    if (oversized) {
      onOversized?.(jobKey(job), oversized);
      return;
    }
    chunk.push(rowValues(job, units, source, syncedAt));
  };
  for await (const item of jobs) {
    for (const job of Array.isArray(item) ? (item as readonly NormalizedJob[]) : [item as NormalizedJob]) {
      add(job);
      if (chunk.length >= chunkSize) await flush();
    }
  }
  await flush();
  return count;
}

/**
 * Why the ledger cannot price a job exactly, or null. A record larger than LARGEST_JOB (a Slurm
 * accounting glitch: 2^32 CPUs, a century of run time) would overflow the 64-bit cost sums, so it
 * is left out and named in the sync's report instead of breaking every total it would join.
 */
export function oversizedReason(job: NormalizedJob, units = billingUnits(job)): string | null {
  const size = { cpus: units.cpus, gpus: units.gpus, memMiB: units.memMiB, elapsedSeconds: Math.round(job.elapsedSeconds) };
  if (withinLargestJob(size)) return null;
  const over = (Object.keys(LARGEST_JOB) as (keyof typeof LARGEST_JOB)[]).filter((k) => !(size[k] >= 0 && size[k] <= LARGEST_JOB[k]));
  return over.map((k) => `${k} ${size[k]} (at most ${LARGEST_JOB[k]})`).join(', ');
}

export type JobRecordRow = Awaited<ReturnType<Db['jobRecord']['findFirstOrThrow']>>;

/** Who has finished jobs ending in this window, per cluster: what a partial view of it would be missing. */
export async function ledgerUsersIn(db: Db, window: { from: Date; to: Date }): Promise<Array<{ user: string; cluster: string }>> {
  // DISTINCT in SQL: Prisma's `distinct` reads every job of the window and drops the repeats in memory.
  return db.$queryRaw<Array<{ user: string; cluster: string }>>`
    SELECT DISTINCT "user", "cluster" FROM "JobRecord"
    WHERE "end" >= ${dialect.instant(window.from)} AND "end" < ${dialect.instant(window.to)}`;
}

/**
 * Before a sync: on a SQLite ledger holding no job yet, drops the indexes db/deferred-indexes.ts names and answers
 * true; the caller builds them with buildDeferredIndexes once its jobs are in. Elsewhere (a ledger with jobs,
 * PostgreSQL) answers false. Requests served meanwhile read the new jobs without those indexes, by scanning.
 */
export async function deferIndexesIfEmpty(db: Db): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const connection = transactionConnection(tx);
    if (!connection || connection.prepare('SELECT 1 FROM "JobRecord" LIMIT 1').get()) return false;
    parkDeferrableIndexes(connection);
    return true;
  });
}

/** After a sync that deferIndexesIfEmpty answered true for: the indexes it dropped, built from the jobs now stored. */
export async function buildDeferredIndexes(db: Db): Promise<void> {
  await db.$transaction(
    async (tx) => {
      const connection = transactionConnection(tx);
      if (connection) buildParkedIndexes(connection);
    },
    // A million jobs take a few seconds; a busy machine more.
    { timeout: 600_000 },
  );
}
