import { parseElapsed, parseTresString } from './tres.ts';
import type { FetchJobsQuery, NormalizedJob, SourceName } from './types.ts';
import { SlurmSourceError } from './types.ts';

/** `CANCELLED by 1002` → `CANCELLED`; `["PENDING","REQUEUED"]` → `PENDING` (the first entry is the base state). */
export function baseState(state: unknown): string {
  const first = Array.isArray(state) ? state[0] : state;
  if (typeof first !== 'string') return '';
  const m = /^[A-Za-z_]+/.exec(first.trim());
  return m ? m[0].toUpperCase() : '';
}

/**
 * Job and step states that are not finished: sacct leaves such steps out of TotalCPU (`step->state < JOB_COMPLETE`),
 * https://slurm.schedmd.com/sacct.html#OPT_TotalCPU
 */
const UNFINISHED = new Set(['PENDING', 'RUNNING', 'SUSPENDED', 'REQUEUED', 'RESIZING', 'CONFIGURING', '']);

export function isFinishedState(state: string): boolean {
  return !UNFINISHED.has(state);
}

/**
 * A job that ended without ever being given resources: cancelled while pending (or refused at start). Slurm records
 * no AllocTRES for it and sets its start to its end (elapsed 0), in sacct and slurmdbd alike; its ReqTRES is only
 * what it asked for.
 */
export function neverAllocated(job: Pick<NormalizedJob, 'state' | 'allocTres' | 'elapsedSeconds'>): boolean {
  return isFinishedState(job.state) && job.elapsedSeconds === 0 && Object.keys(job.allocTres).length === 0;
}

const SACCT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;

/** sacct/CSV time text → UTC Date. sacct runs with TZ=UTC so its `YYYY-MM-DDTHH:MM:SS` has no zone. */
export function parseSlurmTime(text: string | null | undefined): Date | null {
  // sacct's own form, read field by field: a million jobs are three million of these.
  if (text && text.length === 19 && SACCT_TIME.test(text)) {
    const day = Number(text.slice(8, 10));
    const hour = Number(text.slice(11, 13));
    const ms = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, day, hour, Number(text.slice(14, 16)), Number(text.slice(17, 19)));
    const d = new Date(ms);
    // Out-of-range fields (month 13) roll over in Date.UTC: leave those to the general reading below.
    if (d.getUTCDate() === day && d.getUTCHours() === hour) return d;
  }
  const s = (text ?? '').trim();
  if (!s || /^(unknown|none|n\/a)$/i.test(s)) return null;
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s) ? `${s}Z` : s;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Epoch seconds from slurmrestd → Date; 0 (and absent) means unset in every version. */
export function epochToDate(seconds: number | null | undefined): Date | null {
  return typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000) : null;
}

export function emptyToNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * One sacct-style row (field name → text), as sacct prints it or a CSV export carries it. Field names are sacct's:
 * Cluster, JobID, User, Account, Partition, JobName, State, Submit, Start, End, Elapsed, ElapsedRaw, TotalCPU,
 * ReqTRES, AllocTRES.
 */
export type SacctRow = Record<string, string | undefined>;

export interface FoldOptions {
  source: SourceName;
  /** Label for every job; a row's own Cluster is used only when this is absent. */
  cluster?: string;
  /** Where the rows came from, for error messages. */
  where: string;
}

/** `123.batch` → `123`; `123_4.0` → `123_4`; `123+1.extern` → `123+1`; `123` → null (not a step). */
function stepParent(jobId: string): string | null {
  const dot = jobId.indexOf('.');
  return dot > 0 ? jobId.slice(0, dot) : null;
}

interface PendingJob {
  job: NormalizedJob;
  /** TotalCPU printed on the allocation line: sacct already summed the finished steps into it. */
  lineCpu: number;
  stepCpu: number;
}

/**
 * Folds sacct-style rows into jobs, streaming: only the current job is held. Steps (`123.batch`, `123.extern`,
 * `123.0`) follow their job's line, as sacct prints them; array tasks (`123_4`) and het components (`123+0`) are jobs.
 * TotalCPU: the allocation line's value when non-zero (sacct sums the steps client-side, so adding the step lines
 * again would double count), else the sum of finished steps (a CSV export may carry only step CPU).
 */
export async function* foldSacctRows(rows: AsyncIterable<SacctRow>, opts: FoldOptions): AsyncGenerator<NormalizedJob> {
  const folder = new SacctRowFolder(opts);
  for await (const row of rows) {
    const job = folder.push(row);
    if (job) yield job;
  }
  const last = folder.end();
  if (last) yield last;
}

/** The fold of foldSacctRows as a synchronous state machine, so a parser can fold a whole batch of lines at once. */
export class SacctRowFolder {
  private current: PendingJob | null = null;
  private rowNo = 0;
  constructor(private readonly opts: FoldOptions) {}

  /** Takes the next row; returns the job it finished (the one before it), if any. */
  push(row: SacctRow): NormalizedJob | null {
    this.rowNo++;
    const jobId = (row.JobID ?? '').trim();
    if (!jobId) throw new SlurmSourceError(this.opts.source, `${this.opts.where}: row ${this.rowNo} has no JobID`);
    const parent = stepParent(jobId);
    const current = this.current;
    if (parent !== null) {
      // A step whose job line is not the current one (filtered out, or out of order) is not billable on its own.
      if (current && current.job.jobId === parent && isFinishedState(baseState(row.State))) {
        current.stepCpu += parseElapsed(row.TotalCPU);
      }
      return null;
    }
    this.current = { job: rowToJob(row, jobId, this.rowNo, this.opts), lineCpu: parseElapsed(row.TotalCPU), stepCpu: 0 };
    return current ? finishJob(current) : null;
  }

  /** The last job, once the rows have ended. */
  end(): NormalizedJob | null {
    const current = this.current;
    this.current = null;
    return current ? finishJob(current) : null;
  }
}

function finishJob(p: PendingJob): NormalizedJob {
  p.job.totalCpuSeconds = p.lineCpu > 0 ? p.lineCpu : p.stepCpu;
  return p.job;
}

function rowToJob(row: SacctRow, jobId: string, rowNo: number, opts: FoldOptions): NormalizedJob {
  const state = baseState(row.State);
  if (!state) throw new SlurmSourceError(opts.source, `${opts.where}: job ${jobId} (row ${rowNo}) has no State`);
  const user = (row.User ?? '').trim();
  if (!user) throw new SlurmSourceError(opts.source, `${opts.where}: job ${jobId} (row ${rowNo}) has no User`);
  const rawElapsed = (row.ElapsedRaw ?? '').trim();
  return {
    cluster: opts.cluster || (row.Cluster ?? '').trim(),
    jobId,
    user,
    account: emptyToNull(row.Account?.trim()),
    partition: emptyToNull(row.Partition?.trim()),
    name: emptyToNull(row.JobName),
    state,
    submit: parseSlurmTime(row.Submit),
    start: parseSlurmTime(row.Start),
    end: parseSlurmTime(row.End),
    elapsedSeconds: /^\d+$/.test(rawElapsed) ? Number(rawElapsed) : parseElapsed(row.Elapsed),
    totalCpuSeconds: 0,
    reqTres: parseTresString(row.ReqTRES),
    allocTres: parseTresString(row.AllocTRES),
  };
}

/**
 * Keeps one record per `cluster:jobId`: the latest run. slurmdbd keeps a record per run of a requeued job (the
 * older ones REQUEUED, each with its own submit time); sacct without `--duplicates` shows only the latest, and the
 * billing key `cluster:jobId` is unique. https://slurm.schedmd.com/sacct.html#OPT_duplicates
 */
export function dedupeJobs(jobs: readonly NormalizedJob[]): NormalizedJob[] {
  const byKey = new Map<string, NormalizedJob>();
  for (const job of jobs) {
    const key = `${job.cluster}:${job.jobId}`;
    const seen = byKey.get(key);
    if (!seen || runOrder(job) >= runOrder(seen)) byKey.set(key, job);
  }
  return [...byKey.values()];
}

/**
 * dedupeJobs for a stream whose records of one job are adjacent (sacct prints a job's runs together; a CSV export
 * made from it keeps them so): holds one job, not the window. A job seen again later (in the next chunk of a sync)
 * replaces the stored record, which is then the newer view of it.
 */
export class AdjacentDedupe {
  private held: NormalizedJob | null = null;

  /** Takes the next job; returns the one before it once it is known to be the last of its key. */
  push(job: NormalizedJob): NormalizedJob | null {
    const held = this.held;
    if (held && held.jobId === job.jobId && held.cluster === job.cluster) {
      if (runOrder(job) >= runOrder(held)) this.held = job;
      return null;
    }
    this.held = job;
    return held;
  }

  end(): NormalizedJob | null {
    const held = this.held;
    this.held = null;
    return held;
  }
}

function runOrder(job: NormalizedJob): number {
  return (job.submit?.getTime() ?? 0) + (job.state === 'REQUEUED' ? -0.5 : 0);
}

/** Jobs not yet ended (End unknown) count as in the window when they began before its end. */
export function inQueryWindow(job: NormalizedJob, q: FetchJobsQuery): boolean {
  if (q.user && job.user !== q.user) return false;
  if (job.end) return job.end >= q.from && job.end < q.to;
  const began = job.start ?? job.submit;
  return !began || began < q.to;
}
