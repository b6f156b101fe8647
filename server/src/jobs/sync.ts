import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { badInput, DomainError } from '../errors.ts';
import { fetchJobs } from '../slurm/cascade.ts';
import type { JobSource, SkippedSource } from '../slurm/source.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { upsertJobs } from './ledger.ts';

export interface SyncRequest {
  from: Date;
  to: Date;
  trigger: 'interval' | 'admin' | 'cli' | 'startup';
}


/**
 * Asks the cascade for a window and upserts what it returns into the ledger. The run, its source
 * and counts are kept in SyncRun (what `dataSource` reports) and audited as `jobs.sync`.
 */
export interface SyncProgress {
  fetched?: { source: string; jobs: number; attempts: unknown[] };
  stored?: number;
}

export async function syncJobs(
  db: Db,
  sources: ReadonlyArray<JobSource | SkippedSource>,
  req: SyncRequest,
  meta: RequestMeta,
  timeoutMs?: number,
  onProgress?: (p: SyncProgress) => void,
  defaultTier = 'mu',
) {
  // Nothing has ended in the future yet; a window reaching past now is asking for now.
  const now = new Date();
  if (req.to > now) req = { ...req, to: now };
  if (!(req.from < req.to)) throw badInput(`sync window is empty: from ${req.from.toISOString()} is not before to ${req.to.toISOString()}`);
  const run = await db.syncRun.create({
    data: { startedAt: new Date(), rangeFrom: req.from, rangeTo: req.to, status: 'running', trigger: req.trigger },
  });
  try {
    const result = await fetchJobs({ from: req.from, to: req.to }, sources, { timeoutMs });
    onProgress?.({ fetched: { source: result.source, jobs: result.jobs.length, attempts: result.attempts } });
    // Asked before the upsert, of the users the ledger already knew in this window.
    const partialReason = result.partial
      ? (result.partialReason ?? 'only part of the window was available')
      : partialViewReason(result.jobs, await ledgerUsersIn(db, req, result.jobs));
    const oversized: string[] = [];
    const count = await upsertJobs(
      db,
      result.jobs,
      result.source,
      (stored) => onProgress?.({ stored }),
      undefined,
      (key, reason) => oversized.push(`${key}: ${reason}`),
      defaultTier,
    );
    const skipped = oversized.length
      ? `${oversized.length} job(s) larger than the ledger can price were not stored: ${oversized.slice(0, 20).join('; ')}${oversized.length > 20 ? '; …' : ''}`
      : null;
    const finished = await db.$transaction(async (tx) => {
      const done = await tx.syncRun.update({
        where: { id: run.id },
        // A partial fill (slurmctld's live jobs, or an account that sees only some users' jobs) is kept, but never
        // counts as covering its window: nextWindow and latestSync read only 'ok' runs.
        data: {
          finishedAt: new Date(),
          source: result.source,
          jobCount: count,
          attempts: JSON.stringify(result.attempts),
          status: partialReason ? 'partial' : 'ok',
          error: skipped,
          partialReason,
        },
      });
      await recordAudit(
        tx,
        {
          action: 'jobs.sync',
          target: `${req.from.toISOString()}/${req.to.toISOString()}`,
          extra: {
            source: result.source,
            jobs: count,
            trigger: req.trigger,
            partial: !!partialReason,
            ...(partialReason ? { partialReason } : {}),
            attempts: result.attempts,
            ...(oversized.length ? { oversized } : {}),
          },
        },
        meta,
      );
      return done;
    });
    return finished;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const attempts = (error as { attempts?: unknown }).attempts ?? [];
    await db.$transaction(async (tx) => {
      await tx.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: new Date(), status: 'failed', error: message, attempts: JSON.stringify(attempts) },
      });
      await recordAudit(
        tx,
        { action: 'jobs.sync', target: `${req.from.toISOString()}/${req.to.toISOString()}`, extra: { error: message, trigger: req.trigger, attempts } },
        meta,
        'failed',
      );
    });
    throw new DomainError('SLURM_UNAVAILABLE', message, {}, { cause: error });
  }
}

/**
 * The users with a finished job in the ledger that ended inside the window (of the clusters in the answer; all of
 * them when the answer is empty). Slurm keeps a finished job's record until it is purged, and a window query
 * returns every job that ran in it, so each of these users should be in a complete answer.
 */
async function ledgerUsersIn(db: Db, req: SyncRequest, jobs: readonly NormalizedJob[]): Promise<string[]> {
  const clusters = [...new Set(jobs.map((j) => j.cluster))];
  const rows = await db.jobRecord.findMany({
    where: { end: { gte: req.from, lt: req.to }, ...(clusters.length ? { cluster: { in: clusters } } : {}) },
    select: { user: true },
    distinct: ['user'],
    orderBy: { user: 'asc' },
  });
  return rows.map((r) => r.user);
}

const MAX_NAMED_USERS = 10;

/**
 * Why an answer looks like a partial view, or null. Slurm does not say so: with `PrivateData=jobs` slurmdbd only
 * adds a condition on the caller's own associations (and the accounts it coordinates) to the query, for sacct and
 * slurmrestd alike, with no error or warning (`_cluster_get_jobs()` in
 * https://github.com/SchedMD/slurm/blob/master/src/plugins/accounting_storage/mysql/as_mysql_jobacct_process.c).
 * So the sign is in the data: users whose jobs the ledger already holds in this window are missing from the answer.
 */
export function partialViewReason(jobs: readonly Pick<NormalizedJob, 'user'>[], ledgerUsers: readonly string[]): string | null {
  const seen = new Set(jobs.map((j) => j.user));
  const missing = ledgerUsers.filter((u) => !seen.has(u));
  if (missing.length === 0) return null;
  const named = missing.slice(0, MAX_NAMED_USERS).join(', ') + (missing.length > MAX_NAMED_USERS ? ', …' : '');
  const answered =
    seen.size === 0 ? 'Slurm answered no jobs' : seen.size === 1 ? `Slurm answered only ${[...seen][0]}'s jobs` : `Slurm answered jobs of ${seen.size} users`;
  return (
    `${answered}, but the ledger holds jobs of ${missing.length} other user(s) that ended in this window (${named}): ` +
    'the Slurm account may see only its own jobs (PrivateData=jobs and not an operator or administrator)'
  );
}

/**
 * The next window for an interval sync: from the last good automatic run's end minus the
 * lookback. Automatic runs chain one after the other, so together they cover everything since
 * the first; a manual run (admin, CLI) over some other window fills in but never moves this mark,
 * so it can neither skip a gap nor push the mark into the future.
 */
export async function nextWindow(db: Db, lookbackSec: number, initialDays: number | null, now = new Date()) {
  const last = await db.syncRun.findFirst({
    where: { status: 'ok', trigger: { in: ['interval', 'startup'] } },
    orderBy: { rangeTo: 'desc' },
  });
  const first = initialDays === null ? new Date(0) : new Date(now.getTime() - initialDays * 86_400_000);
  const from = last ? new Date(last.rangeTo.getTime() - lookbackSec * 1000) : first;
  return { from, to: now };
}

/** Which source last filled the ledger (or, given a range, the last sync that covered all of it), and when. */
export const latestSync = (db: Db, range?: { from?: Date | null; to?: Date | null }) =>
  db.syncRun.findFirst({
    where: {
      status: 'ok',
      rangeFrom: range?.from ? { lte: range.from } : undefined,
      rangeTo: range?.to ? { gte: range.to } : undefined,
    },
    orderBy: { finishedAt: 'desc' },
  });
