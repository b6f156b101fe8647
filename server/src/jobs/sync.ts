import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { badInput, DomainError } from '../errors.ts';
import { type Attempt, streamJobs } from '../slurm/cascade.ts';
import type { JobSource, SkippedSource } from '../slurm/source.ts';
import type { NormalizedJob, SourceName } from '../slurm/types.ts';
import { type Chunk, chunkWindow, HOUR_MS } from './chunks.ts';
import { buildDeferredIndexes, deferIndexesIfEmpty, ledgerUsersIn, upsertJobs } from './ledger.ts';

export interface SyncRequest {
  from: Date;
  to: Date;
  trigger: 'interval' | 'admin' | 'cli' | 'startup';
  /** Length of each chunk the window is asked in (SYNC_CHUNK_HOURS); a day by default. */
  chunkHours?: number;
  /** The cluster whose sources are asked: its runs are recorded under its name, and resume only its own. */
  cluster?: string;
}

/** A cluster as a sync sees it: its name, its cascade of sources, and how long to wait for one's next batch. */
export interface SyncCluster {
  name: string;
  sources: ReadonlyArray<JobSource | SkippedSource>;
  timeoutMs: number;
}

export type ChunkStatus = 'ok' | 'partial' | 'failed';

/** Reported after each chunk, and while one is being stored. */
export interface SyncProgress {
  chunks: { done: number; total: number; failed: number };
  /** Jobs this run has stored so far. */
  stored: number;
  /** The chunk the report is about; `status` once it has ended. */
  chunk: { index: number; from: Date; to: Date; source?: string; status?: ChunkStatus; reason?: string; jobs: number };
  /** Where a manual run took up an earlier one that stopped (the end of the chunks that one had done). */
  resumedFrom?: Date;
}

interface ChunkRecord {
  from: string;
  to: string;
  status: ChunkStatus;
  reason: string;
}

const MANUAL: ReadonlyArray<SyncRequest['trigger']> = ['admin', 'cli'];

/**
 * Fills the ledger from Slurm for a window, a chunk at a time (SYNC_CHUNK_HOURS): each chunk is its own cascade
 * (one sacct call or REST request), streamed into upsertJobs, so a sync holds one chunk's batch, never the window.
 * A chunk that fails (before or after some of its jobs were stored: those stay) is recorded in failedChunks and the
 * next chunk still runs; coveredTo, saved after every chunk, is the end of the chunks done without a gap from the
 * start, and is all the watermark moves over. A run that stopped midway (killed, or failed chunks) is taken up
 * where it stopped: the interval sync by its watermark, a manual sync of the same start by coveredTo.
 * The run (SyncRun) is `ok` when every chunk was, `partial` when some were not, `failed` when none stored anything.
 */
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
  const resumedFrom = MANUAL.includes(req.trigger) ? await resumePoint(db, req) : null;
  const asked = sources.filter((s): s is JobSource => !('skipped' in s));
  // A file read whole for any window gains nothing from chunks: it would only be read again for each.
  const plan =
    asked.length > 0 && asked.every((s) => s.wholeWindow)
      ? [{ index: 0, from: resumedFrom ?? req.from, to: req.to }]
      : chunkWindow(resumedFrom ?? req.from, req.to, (req.chunkHours ?? DEFAULT_CHUNK_HOURS) * HOUR_MS);
  const run = await db.syncRun.create({
    data: {
      startedAt: new Date(),
      rangeFrom: req.from,
      rangeTo: req.to,
      status: 'running',
      trigger: req.trigger,
      coveredTo: resumedFrom,
      cluster: req.cluster ?? '',
    },
  });
  const failed: ChunkRecord[] = [];
  const oversized: string[] = [];
  const attempts = new Map<string, Attempt>();
  const servedBy = new Map<string, number>();
  let stored = 0;
  let gapless = true;
  let coveredTo = resumedFrom;
  let storedAny = false;
  // A first sync into an empty ledger builds the indexes keyed by user and account once, after its last chunk.
  const deferred = await deferIndexesIfEmpty(db);
  try {
    for (const chunk of plan) {
      const outcome = await syncChunk(db, sources, chunk, req.cluster, timeoutMs, defaultTier, (jobs, source) =>
        onProgress?.({
          chunks: { done: chunk.index, total: plan.length, failed: failed.length },
          stored: stored + jobs,
          chunk: { ...chunk, source, jobs },
          resumedFrom: resumedFrom ?? undefined,
        }),
        (key, reason) => oversized.push(`${key}: ${reason}`),
      );
      stored += outcome.jobs;
      storedAny ||= outcome.jobs > 0 || outcome.status !== 'failed';
      for (const a of outcome.attempts) mergeAttempt(attempts, a);
      if (outcome.source && outcome.status !== 'failed') servedBy.set(outcome.source, (servedBy.get(outcome.source) ?? 0) + 1);
      if (outcome.status === 'ok') {
        if (gapless) coveredTo = chunk.to;
      } else {
        gapless = false;
        failed.push({ from: chunk.from.toISOString(), to: chunk.to.toISOString(), status: outcome.status, reason: outcome.reason ?? '' });
      }
      // Saved after every chunk, so a run that is killed is taken up from here.
      await db.syncRun.update({
        where: { id: run.id },
        data: { jobCount: stored, coveredTo, failedChunks: JSON.stringify(failed), source: mostUsed(servedBy), attempts: JSON.stringify([...attempts.values()]) },
      });
      onProgress?.({
        chunks: { done: chunk.index + 1, total: plan.length, failed: failed.length },
        stored,
        chunk: { ...chunk, source: outcome.source ?? undefined, status: outcome.status, reason: outcome.reason, jobs: outcome.jobs },
        resumedFrom: resumedFrom ?? undefined,
      });
    }
  } finally {
    if (deferred) await buildDeferredIndexes(db);
  }
  const source = mostUsed(servedBy);
  const attemptList = [...attempts.values()];
  const target = `${req.from.toISOString()}/${req.to.toISOString()}`;
  if (!storedAny) {
    // Nothing answered for any chunk: the run failed as a whole, as a sync without chunks did.
    const message = failed.length === 1 || new Set(failed.map((f) => f.reason)).size === 1 ? failed[0].reason : summarize(failed, plan.length);
    await db.$transaction(async (tx) => {
      await tx.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: new Date(), status: 'failed', error: message, attempts: JSON.stringify(attemptList) },
      });
      await recordAudit(tx, { action: 'jobs.sync', target, extra: { error: message, trigger: req.trigger, attempts: attemptList } }, meta, 'failed');
    });
    throw new DomainError('SLURM_UNAVAILABLE', message, {}, { cause: failed });
  }
  const partialReason = failed.length ? (failed.length === 1 && plan.length === 1 ? failed[0].reason : summarize(failed, plan.length)) : null;
  const skipped = oversized.length
    ? `${oversized.length} job(s) larger than the ledger can price were not stored: ${oversized.slice(0, 20).join('; ')}${oversized.length > 20 ? '; …' : ''}`
    : null;
  return db.$transaction(async (tx) => {
    const done = await tx.syncRun.update({
      where: { id: run.id },
      // A partial fill (slurmctld's live jobs, an account that sees only some users' jobs, or failed chunks) is kept,
      // but never counts as covering its window: latestSync reads only 'ok' runs, nextWindow only coveredTo.
      data: {
        finishedAt: new Date(),
        source,
        jobCount: stored,
        attempts: JSON.stringify(attemptList),
        status: partialReason ? 'partial' : 'ok',
        error: skipped,
        partialReason,
      },
    });
    await recordAudit(
      tx,
      {
        action: 'jobs.sync',
        target,
        extra: {
          source,
          jobs: stored,
          trigger: req.trigger,
          partial: !!partialReason,
          ...(partialReason ? { partialReason } : {}),
          ...(resumedFrom ? { resumedFrom: resumedFrom.toISOString() } : {}),
          chunks: plan.length,
          ...(failed.length ? { failedChunks: failed } : {}),
          attempts: attemptList,
          ...(oversized.length ? { oversized } : {}),
        },
      },
      meta,
    );
    return done;
  });
}

export const DEFAULT_CHUNK_HOURS = 24;

interface ChunkOutcome {
  status: ChunkStatus;
  reason?: string;
  source: SourceName | null;
  jobs: number;
  attempts: Attempt[];
}

/**
 * One chunk: its own cascade, streamed into the ledger. The users seen are kept as a set (bounded by users, not
 * jobs) for the partial-view check, against the ledger's users of the chunk asked before its jobs are stored.
 */
async function syncChunk(
  db: Db,
  sources: ReadonlyArray<JobSource | SkippedSource>,
  chunk: Chunk,
  cluster: string | undefined,
  timeoutMs: number | undefined,
  defaultTier: string,
  onStored: (jobs: number, source: string | undefined) => void,
  onOversized: (key: string, reason: string) => void,
): Promise<ChunkOutcome> {
  const window = { from: chunk.from, to: chunk.to };
  const known = await ledgerUsersIn(db, window);
  const stream = streamJobs(window, sources, { timeoutMs });
  const users = new Set<string>();
  const clusters = new Set<string>();
  const batches = stream[Symbol.asyncIterator]();
  let jobs = 0;
  try {
    // The first batch says which source serves the chunk: upsertJobs records it on every job.
    const first = await batches.next();
    if (!first.done) {
      jobs = await upsertJobs(db, seeing(first.value, batches, users, clusters), stream.source!, (n) => onStored(n, stream.source ?? undefined), undefined, onOversized, defaultTier);
    }
  } catch (error) {
    const stored = jobs;
    return {
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      source: stream.source,
      jobs: stored,
      attempts: (error as { attempts?: Attempt[] }).attempts ?? stream.answer?.attempts ?? [],
    };
  }
  const answer = stream.answer!;
  // Another cluster's users are no sign of a partial view of this one.
  const mine = (r: { cluster: string }) => (cluster ? r.cluster === cluster : clusters.size === 0 || clusters.has(r.cluster));
  const ledgerUsers = [...new Set(known.filter(mine).map((r) => r.user))].sort();
  const reason = answer.partial ? (answer.partialReason ?? 'only part of the window was available') : partialViewReason(users, ledgerUsers);
  return { status: reason ? 'partial' : 'ok', reason: reason ?? undefined, source: answer.source, jobs, attempts: answer.attempts };
}

/** The batches as they come, for upsertJobs, noting each job's user and cluster: a promise a batch, not a job. */
async function* seeing(
  first: NormalizedJob[],
  rest: AsyncIterator<NormalizedJob[]>,
  users: Set<string>,
  clusters: Set<string>,
): AsyncGenerator<NormalizedJob[]> {
  const note = (batch: NormalizedJob[]) => {
    for (const job of batch) {
      users.add(job.user);
      clusters.add(job.cluster);
    }
    return batch;
  };
  try {
    yield note(first);
    for (let more = await rest.next(); !more.done; more = await rest.next()) yield note(more.value);
  } finally {
    await rest.return?.();
  }
}

/** Per source, over all chunks: ok only if it served every chunk it was asked; the first failure's reason. */
function mergeAttempt(into: Map<string, Attempt>, a: Attempt) {
  const seen = into.get(a.source);
  if (!seen) {
    into.set(a.source, { ...a });
    return;
  }
  seen.ms += a.ms;
  if (a.count !== undefined) seen.count = (seen.count ?? 0) + a.count;
  if (!a.ok && seen.ok) {
    seen.ok = false;
    seen.reason = a.reason;
  }
}

function mostUsed(servedBy: Map<string, number>): SourceName | null {
  let best: string | null = null;
  for (const [source, n] of servedBy) if (best === null || n > servedBy.get(best)!) best = source;
  return best as SourceName | null;
}

function summarize(failed: readonly ChunkRecord[], total: number): string {
  const shown = failed.slice(0, 5).map((f) => `${f.from}/${f.to} ${f.status}: ${f.reason}`);
  return `${failed.length} of ${total} chunk(s) did not complete: ${shown.join('; ')}${failed.length > 5 ? '; …' : ''}`;
}

/**
 * Where a manual run takes up the last one of the same trigger and start that stopped before its end (killed, or
 * with failed chunks): the end of the chunks it had done, when that is inside this window.
 */
async function resumePoint(db: Db, req: SyncRequest): Promise<Date | null> {
  const last = await db.syncRun.findFirst({ where: { trigger: req.trigger, rangeFrom: req.from, cluster: req.cluster ?? '' }, orderBy: { id: 'desc' } });
  if (!last || last.status === 'ok' || !last.coveredTo) return null;
  return last.coveredTo > req.from && last.coveredTo < req.to ? last.coveredTo : null;
}

/**
 * The users with a finished job in the ledger that ended inside the window, with its cluster (the check keeps those
 * of the clusters in the answer; all of them when the answer is empty). Slurm keeps a finished job's record until it
 * is purged, and a window query returns every job that ran in it, so each of these users should be in a complete
 * answer.
 */

const MAX_NAMED_USERS = 10;

/**
 * Why an answer looks like a partial view, or null. Slurm does not say so: with `PrivateData=jobs` slurmdbd only
 * adds a condition on the caller's own associations (and the accounts it coordinates) to the query, for sacct and
 * slurmrestd alike, with no error or warning (`_cluster_get_jobs()` in
 * https://github.com/SchedMD/slurm/blob/master/src/plugins/accounting_storage/mysql/as_mysql_jobacct_process.c).
 * So the sign is in the data: users whose jobs the ledger already holds in this window are missing from the answer.
 */
export function partialViewReason(
  answered: ReadonlySet<string> | readonly Pick<NormalizedJob, 'user'>[],
  ledgerUsers: readonly string[],
): string | null {
  const seen = 'has' in answered ? answered : new Set(answered.map((j) => j.user));
  const missing = ledgerUsers.filter((u) => !seen.has(u));
  if (missing.length === 0) return null;
  const named = missing.slice(0, MAX_NAMED_USERS).join(', ') + (missing.length > MAX_NAMED_USERS ? ', …' : '');
  const what =
    seen.size === 0 ? 'Slurm answered no jobs' : seen.size === 1 ? `Slurm answered only ${[...seen][0]}'s jobs` : `Slurm answered jobs of ${seen.size} users`;
  return (
    `${what}, but the ledger holds jobs of ${missing.length} other user(s) that ended in this window (${named}): ` +
    'the Slurm account may see only its own jobs (PrivateData=jobs and not an operator or administrator)'
  );
}

/**
 * The next window for an interval sync: from the watermark (the furthest coveredTo of an automatic run: the end of
 * the chunks it did without a gap from its start) minus the lookback. Automatic runs chain one after the other, each
 * starting before the mark, so together they cover everything since the first, and a run killed or failed midway is
 * taken up from its last done chunk; a manual run (admin, CLI) over some other window fills in but never moves this
 * mark, so it can neither skip a gap nor push the mark into the future.
 */
export async function nextWindow(db: Db, lookbackSec: number, initialDays: number | null, now = new Date(), cluster?: string) {
  // Any run's coveredTo counts, finished or not: a run killed midway, or one with a failed chunk, covered that far.
  const last = await db.syncRun.findFirst({
    where: { coveredTo: { not: null }, trigger: { in: ['interval', 'startup'] }, cluster },
    orderBy: { coveredTo: 'desc' },
  });
  const first = initialDays === null ? new Date(0) : new Date(now.getTime() - initialDays * 86_400_000);
  const from = last?.coveredTo ? new Date(last.coveredTo.getTime() - lookbackSec * 1000) : first;
  return { from, to: now };
}

/** Which source last filled the ledger (or, given a range, the last sync that covered all of it), and when; of one cluster, or any. */
export const latestSync = (db: Db, range?: { from?: Date | null; to?: Date | null }, cluster?: string | null) =>
  db.syncRun.findFirst({
    where: {
      status: 'ok',
      cluster: cluster ?? undefined,
      rangeFrom: range?.from ? { lte: range.from } : undefined,
      rangeTo: range?.to ? { gte: range.to } : undefined,
    },
    orderBy: { finishedAt: 'desc' },
  });

/**
 * Runs recorded before a run named its cluster ('') were the one cluster's: they become the first configured
 * cluster's, so its watermark and resume carry on where they were.
 */
export const adoptUnnamedRuns = (db: Db, cluster: string) => db.syncRun.updateMany({ where: { cluster: '' }, data: { cluster } });
