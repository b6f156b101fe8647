import { billingUnits } from '../billing/cost.ts';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { NormalizedJob, SourceName } from '../slurm/types.ts';

export const jobKey = (job: Pick<NormalizedJob, 'cluster' | 'jobId'>) => `${job.cluster}:${job.jobId}`;

type JobRecordColumn = keyof Prisma.JobRecordCreateManyInput;

/** Every JobRecord column, in the order of the VALUES tuples below. */
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

/** A job seen again keeps its key and the time it was first seen; everything else is replaced. */
const UPDATED = COLUMNS.filter((c) => c !== 'key' && c !== 'firstSeenAt');

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 (https://www.sqlite.org/limits.html#max_variable_number). */
const SQLITE_MAX_PARAMS = 32_766;
export const MAX_UPSERT_ROWS = Math.floor(SQLITE_MAX_PARAMS / COLUMNS.length);

const UPSERT_HEAD = Prisma.raw(`INSERT INTO "JobRecord" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES `);
const UPSERT_TAIL = Prisma.raw(` ON CONFLICT ("key") DO UPDATE SET ${UPDATED.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`);

function record(job: NormalizedJob, source: SourceName, syncedAt: Date): Required<Prisma.JobRecordCreateManyInput> {
  return {
    key: jobKey(job),
    cluster: job.cluster,
    jobId: job.jobId,
    user: job.user,
    account: job.account,
    partition: job.partition,
    name: job.name,
    state: job.state,
    submit: job.submit,
    start: job.start,
    end: job.end,
    elapsedSeconds: Math.round(job.elapsedSeconds),
    totalCpuSeconds: job.totalCpuSeconds,
    reqTres: JSON.stringify(job.reqTres),
    allocTres: JSON.stringify(job.allocTres),
    ...billingUnits(job),
    source,
    // Used only when the row is inserted: the conflict clause leaves it out.
    firstSeenAt: syncedAt,
    syncedAt,
  };
}

/**
 * Upserts jobs keyed by `cluster:jobId`: a job seen again (RUNNING → COMPLETED, late accounting)
 * replaces its record instead of adding one, and keeps `firstSeenAt`. Takes a stream, so a parser can
 * feed it without the whole window in memory. Each chunk is one multi-row `INSERT ... ON CONFLICT DO
 * UPDATE` statement, which SQLite runs as one transaction; chunks stay under SQLite's bound-parameter limit.
 * Dates go through Prisma as `Date` parameters, so the adapter stores them exactly as the ORM does.
 */
export async function upsertJobs(
  db: Db,
  jobs: Iterable<NormalizedJob> | AsyncIterable<NormalizedJob>,
  source: SourceName,
  onProgress?: (done: number) => void,
  batchSize = MAX_UPSERT_ROWS,
) {
  const chunkSize = Math.max(1, Math.min(Math.floor(batchSize), MAX_UPSERT_ROWS));
  const syncedAt = new Date();
  let count = 0;
  // Keyed, so a job repeated within a chunk is written once (its last version), as one row per key would be.
  let chunk = new Map<string, NormalizedJob>();
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    const rows = [...chunk.values()].map((job) => {
      const r = record(job, source, syncedAt);
      return Prisma.sql`(${Prisma.join(COLUMNS.map((c) => r[c]))})`;
    });
    await db.$executeRaw`${UPSERT_HEAD}${Prisma.join(rows)}${UPSERT_TAIL}`;
    count += pending;
    chunk = new Map();
    pending = 0;
    onProgress?.(count);
  };
  for await (const job of jobs) {
    chunk.set(jobKey(job), job);
    pending++;
    if (chunk.size >= chunkSize) await flush();
  }
  await flush();
  return count;
}

export type JobRecordRow = Awaited<ReturnType<Db['jobRecord']['findFirstOrThrow']>>;
