import { billingUnits } from '../billing/cost.ts';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
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

/** A job seen again keeps its key and the time it was first seen; everything else is replaced. */
const UPDATED = COLUMNS.filter((c) => c !== 'key' && c !== 'firstSeenAt');

/**
 * One statement per chunk, fed one JSON array of rows: Prisma's raw path costs far more per bound parameter than
 * SQLite's json_each does per value (≈3× the throughput of a multi-row VALUES list with 21 parameters a row), and one
 * parameter never meets SQLite's bound-parameter limit. `WHERE true` settles the INSERT … SELECT … ON CONFLICT parse
 * ambiguity (https://www.sqlite.org/lang_upsert.html#parsing_ambiguity).
 */
const UPSERT_HEAD = Prisma.raw(`INSERT INTO "JobRecord" (${COLUMNS.map((c) => `"${c}"`).join(', ')})
  SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(`);
const UPSERT_TAIL = Prisma.raw(`) WHERE true
  ON CONFLICT ("key") DO UPDATE SET ${UPDATED.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`);

/**
 * The text the Prisma SQLite adapter stores for a DateTime (its default `iso8601` format: `…T04:48:45.000+00:00`),
 * so rows written here read back, compare and sort like rows the ORM wrote
 * (`mapArg` in https://github.com/prisma/prisma/blob/main/packages/adapter-better-sqlite3/src/conversion.ts).
 */
const dateText = (d: Date | null) => (d ? d.toISOString().replace('Z', '+00:00') : null);

function rowValues(job: NormalizedJob, source: SourceName, syncedAt: string): unknown[] {
  const units = billingUnits(job);
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
 * window in memory. Each chunk is one `INSERT … ON CONFLICT DO UPDATE` statement, which SQLite runs as one
 * transaction; a job repeated within a chunk ends with its last version, since rows are applied in order.
 */
export async function upsertJobs(
  db: Db,
  jobs: Iterable<NormalizedJob> | AsyncIterable<NormalizedJob>,
  source: SourceName,
  onProgress?: (done: number) => void,
  batchSize = 1000,
) {
  const chunkSize = Math.max(1, Math.floor(batchSize));
  const syncedAt = dateText(new Date())!;
  let count = 0;
  let chunk: unknown[][] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = JSON.stringify(chunk);
    const written = chunk.length;
    chunk = [];
    await db.$executeRaw`${UPSERT_HEAD}${rows}${UPSERT_TAIL}`;
    count += written;
    onProgress?.(count);
  };
  for await (const job of jobs) {
    chunk.push(rowValues(job, source, syncedAt));
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return count;
}

export type JobRecordRow = Awaited<ReturnType<Db['jobRecord']['findFirstOrThrow']>>;
