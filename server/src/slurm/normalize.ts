import { ownCopy, parseElapsed, tresReader } from './tres.ts';
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

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days from 1970-01-01 to a proleptic Gregorian date, as Date.UTC counts them (https://howardhinnant.github.io/date_algorithms.html#days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:MM:SS` with every part in range (years 1000 to 9999) → epoch ms, read as UTC; NaN for anything
 * else, which the regex path of parseSlurmTime then reads (Date.UTC's rollovers, two-digit years as 19xx).
 */
function sacctTimeMs(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const century = twoDigits(s, 0);
  const yy = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (century < 10 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return NaN;
  }
  const year = century * 100 + yy;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month] + (leap ? 1 : 0)) return NaN;
  return (daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second) * 1000;
}

/** sacct/CSV time text → UTC Date. sacct runs with TZ=UTC so its `YYYY-MM-DDTHH:MM:SS` has no zone. */
export function parseSlurmTime(text: string | null | undefined): Date | null {
  // sacct's own form, read digit by digit: a million jobs are three million of these.
  if (text && text.length === 19) {
    const ms = sacctTimeMs(text);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
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
  // A cluster prints few distinct State and TRES texts ("CANCELLED by <uid>" has one per user).
  private readonly states = new Map<string, string>();
  private readonly tres = tresReader();
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
      if (current && current.job.jobId === parent && isFinishedState(this.baseState(row.State))) {
        current.stepCpu += parseElapsed(row.TotalCPU);
      }
      return null;
    }
    this.current = { job: this.rowToJob(row, jobId), lineCpu: parseElapsed(row.TotalCPU), stepCpu: 0 };
    return current ? finishJob(current) : null;
  }

  /**
   * The job whose steps still count, or null: once its own line has a TotalCPU (sacct's sum of its steps), its
   * steps change nothing and a parser need not read them.
   */
  get stepsCountFor(): string | null {
    const current = this.current;
    return current && !(current.lineCpu > 0) ? current.job.jobId : null;
  }

  /**
   * A step row given by the two fields a step adds, as push() would take it, from a parser that has checked its
   * JobID: untrimmed, `<parent>.<step>` with a non-empty parent, `ofCurrent` when the parent is the current job.
   */
  pushStep(ofCurrent: boolean, state?: string, totalCpu?: string): void {
    this.rowNo++;
    const current = this.current;
    if (ofCurrent && current && isFinishedState(this.baseState(state))) current.stepCpu += parseElapsed(totalCpu);
  }

  /** The last job, once the rows have ended. */
  end(): NormalizedJob | null {
    const current = this.current;
    this.current = null;
    return current ? finishJob(current) : null;
  }

  private baseState(text: string | undefined): string {
    if (text === undefined) return baseState(text);
    let state = this.states.get(text);
    if (state === undefined) {
      if (this.states.size >= 1024) this.states.clear();
      this.states.set(ownCopy(text), (state = baseState(text)));
    }
    return state;
  }

  private rowToJob(row: SacctRow, jobId: string): NormalizedJob {
    const { opts, rowNo } = this;
    const state = this.baseState(row.State);
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
      elapsedSeconds: isDigits(rawElapsed) ? Number(rawElapsed) : parseElapsed(row.Elapsed),
      totalCpuSeconds: 0,
      reqTres: this.tres(row.ReqTRES),
      allocTres: this.tres(row.AllocTRES),
    };
  }
}

function finishJob(p: PendingJob): NormalizedJob {
  p.job.totalCpuSeconds = p.lineCpu > 0 ? p.lineCpu : p.stepCpu;
  return p.job;
}

/** `/^\d+$/` without the regex. */
function isDigits(s: string): boolean {
  if (!s) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
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
