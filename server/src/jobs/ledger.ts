import { billingUnits } from '../billing/cost.ts';
import type { Db } from '../db/client.ts';
import type { NormalizedJob, SourceName } from '../slurm/types.ts';

export const jobKey = (job: Pick<NormalizedJob, 'cluster' | 'jobId'>) => `${job.cluster}:${job.jobId}`;

function row(job: NormalizedJob, source: SourceName, syncedAt: Date) {
  const units = billingUnits(job);
  return {
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
    ...units,
    source,
    syncedAt,
  };
}

/**
 * Upserts jobs keyed by `cluster:jobId`: a job seen again (RUNNING → COMPLETED, late accounting)
 * replaces its record instead of adding one. Batched in transactions to keep large syncs fast.
 */
export async function upsertJobs(
  db: Db,
  jobs: Iterable<NormalizedJob>,
  source: SourceName,
  onProgress?: (done: number) => void,
  batchSize = 500,
) {
  const syncedAt = new Date();
  let count = 0;
  let batch: NormalizedJob[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    await db.$transaction(
      current.map((job) => {
        const data = row(job, source, syncedAt);
        return db.jobRecord.upsert({ where: { key: jobKey(job) }, create: { key: jobKey(job), ...data }, update: data });
      }),
    );
    count += current.length;
    onProgress?.(count);
  };
  for (const job of jobs) {
    batch.push(job);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return count;
}

export type JobRecordRow = Awaited<ReturnType<Db['jobRecord']['findFirstOrThrow']>>;
