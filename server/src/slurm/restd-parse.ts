import { baseState, dedupeJobs, emptyToNull, epochToDate, isFinishedState } from './normalize.ts';
import { parseTresString, tresFromList, type TresEntry } from './tres.ts';
import type { NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

/**
 * slurmrestd's answers as data: which OpenAPI versions exist, and their job payloads → NormalizedJob[]. Pure
 * functions of a parsed body, no I/O, so every version is tested on recorded responses; restd-client.ts asks.
 */

/** OpenAPI plugin versions whose job shapes these parsers know, newest first (SHAPES.md §1). */
export const KNOWN_VERSIONS = [
  'v0.0.46',
  'v0.0.45',
  'v0.0.44',
  'v0.0.43',
  'v0.0.42',
  'v0.0.41',
  'v0.0.40',
  'v0.0.39',
  'v0.0.38',
  'v0.0.37',
] as const;

export type RestdApi = 'slurmdb' | 'slurm';

export function normalizeVersion(version: string): string {
  const v = version.trim();
  return v.startsWith('v') ? v : `v${v}`;
}

export function isKnownVersion(version: string): boolean {
  return (KNOWN_VERSIONS as readonly string[]).includes(normalizeVersion(version));
}

export function minorOf(version: string): number {
  return Number(normalizeVersion(version).split('.')[2]);
}

export function assertKnown(version: string): string {
  const v = normalizeVersion(version);
  if (!isKnownVersion(v)) {
    throw new SlurmSourceError(
      'restd',
      `unknown slurmrestd version "${version}" (supported: ${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]} to ${KNOWN_VERSIONS[0]})`,
    );
  }
  return v;
}

/** Paths like `/slurmdb/v0.0.41/jobs/` in a `GET /openapi/v3` document → versions per API, newest first. */
export function versionsFromOpenapi(doc: unknown): Record<RestdApi, string[]> {
  const found: Record<RestdApi, string[]> = { slurmdb: [], slurm: [] };
  const paths = doc && typeof doc === 'object' ? (doc as { paths?: unknown }).paths : undefined;
  if (!paths || typeof paths !== 'object') return found;
  for (const key of Object.keys(paths)) {
    const m = /^\/(slurmdb|slurm)\/(v\d+\.\d+\.\d+)\/jobs\/?$/.exec(key);
    if (m && !found[m[1] as RestdApi].includes(m[2])) found[m[1] as RestdApi].push(m[2]);
  }
  for (const api of ['slurmdb', 'slurm'] as const) found[api].sort(compareVersionsDesc);
  return found;
}

function compareVersionsDesc(a: string, b: string): number {
  const pa = a.slice(1).split('.').map(Number);
  const pb = b.slice(1).split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
  return 0;
}

type Json = Record<string, any>;

/** Plain numbers (≤ v0.0.38 and many fields after), NV objects `{set, infinite, number}` (≥ v0.0.39), numeric strings. */
function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (v && typeof v === 'object' && 'set' in v) {
    const nv = v as { set?: boolean; infinite?: boolean; number?: unknown };
    return nv.set && !nv.infinite && typeof nv.number === 'number' ? nv.number : null;
  }
  return null;
}

/** NO_VAL / NO_VAL - 1 in a 32-bit field: unset. */
function present(n: number | null): n is number {
  return n !== null && n >= 0 && n < 0xfffffffe;
}

function jobsArray(json: unknown, where: string): Json[] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new SlurmSourceError('restd', `${where}: the response is not a JSON object`);
  }
  const jobs = (json as Json).jobs;
  if (!Array.isArray(jobs)) throw new SlurmSourceError('restd', `${where}: the response has no jobs[] list`);
  return jobs;
}

function missing(where: string, index: number, id: unknown, field: string): SlurmSourceError {
  const which = id === undefined ? `jobs[${index}]` : `job ${String(id)}`;
  return new SlurmSourceError('restd', `${where}: ${which} has no ${field}`);
}

function canonicalId(jobId: number, arrayJob: number | null, task: number | null, taskRange: unknown, hetJob: number | null, hetOffset: number | null): string {
  // Each array task is its own record, shown as `<array job>_<task>` like sacct; het components as `<het job>+<offset>`.
  if (present(arrayJob) && arrayJob > 0) {
    if (present(task)) return `${arrayJob}_${task}`;
    if (typeof taskRange === 'string' && taskRange) return `${arrayJob}_[${taskRange}]`;
  }
  if (present(hetJob) && hetJob > 0) return `${hetJob}+${present(hetOffset) ? hetOffset : 0}`;
  return String(jobId);
}

/** Step CPU time in µs. `microseconds` is user + system µs with no carry, so it can exceed 999999 (SHAPES.md §9.7). */
function cpuMicros(t: unknown): number {
  if (!t || typeof t !== 'object') return 0;
  const { seconds, microseconds } = t as { seconds?: unknown; microseconds?: unknown };
  return (num(seconds) ?? 0) * 1e6 + (num(microseconds) ?? 0);
}

export interface ParseOptions {
  /** Label for every job (default: each job's `cluster`). */
  cluster?: string;
  /** For error messages, e.g. the request path. */
  where?: string;
}

/**
 * `GET /slurmdb/vX/jobs` → jobs, for every version v0.0.37 to v0.0.46. Job-level CPU time is always 0 over REST
 * (slurmdbd stores it per step; sacct sums client-side), so it is summed here from finished steps like sacct does.
 * Requeued jobs appear once per run: the latest run is kept.
 */
export function parseSlurmdbJobs(json: unknown, version: string, opts: ParseOptions & { now?: Date } = {}): NormalizedJob[] {
  const v = assertKnown(version);
  const where = opts.where ?? `/slurmdb/${v}/jobs`;
  const nowSec = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const out: NormalizedJob[] = [];
  jobsArray(json, where).forEach((job, i) => {
    const jobId = num(job?.job_id);
    if (jobId === null) throw missing(where, i, undefined, 'job_id');
    if (typeof job.user !== 'string' || !job.user) throw missing(where, i, jobId, 'user');
    const state = baseState(job.state?.current);
    if (!state) throw missing(where, i, jobId, 'state.current');
    const time = job.time;
    if (!time || typeof time !== 'object') throw missing(where, i, jobId, 'time');
    let stepMicros = 0;
    for (const step of Array.isArray(job.steps) ? job.steps : []) {
      if (isFinishedState(baseState(step?.state))) stepMicros += cpuMicros(step?.time?.total);
    }
    const jobMicros = cpuMicros(time.total);
    out.push({
      cluster: opts.cluster || (typeof job.cluster === 'string' ? job.cluster : ''),
      jobId: canonicalId(jobId, num(job.array?.job_id), num(job.array?.task_id), job.array?.task, num(job.het?.job_id), num(job.het?.job_offset)),
      user: job.user,
      account: emptyToNull(job.account),
      partition: emptyToNull(job.partition),
      name: emptyToNull(job.name),
      state,
      submit: epochToDate(num(time.submission)),
      start: epochToDate(v === 'v0.0.37' ? startFromElapsed(time, state, nowSec) : num(time.start)),
      end: epochToDate(num(time.end)),
      elapsedSeconds: num(time.elapsed) ?? 0,
      totalCpuSeconds: (jobMicros > 0 ? jobMicros : stepMicros) / 1e6,
      reqTres: tresFromList(job.tres?.requested as TresEntry[] | undefined),
      allocTres: tresFromList(job.tres?.allocated as TresEntry[] | undefined),
    });
  });
  return dedupeJobs(out);
}

/**
 * dbv0.0.37 dumps the eligible time as `time.start` (`_add_parse(UINT32, eligible, "time/start")` in
 * https://github.com/SchedMD/slurm/blob/slurm-22-05-8-1/src/plugins/openapi/dbv0.0.37/parse.c), so the start is
 * rebuilt from end, elapsed and suspended time.
 * Exact for any job that ran a second or more; a zero-length job gets start = end.
 */
function startFromElapsed(time: Json, state: string, nowSec: number): number | null {
  const end = num(time.end) ?? 0;
  const ran = (num(time.elapsed) ?? 0) + (num(time.suspended) ?? 0);
  if (end > 0) return end - ran;
  return state === 'PENDING' ? null : nowSec - ran;
}

const NOT_ENDED = new Set(['PENDING', 'RUNNING', 'SUSPENDED', 'REQUEUED', 'CONFIGURING', 'RESIZING']);

/**
 * `GET /slurm/vX/jobs` (slurmctld: only jobs still in memory) → jobs. TRES come as strings with units; start/end of
 * pending and running jobs are estimates, so they are dropped; there is no CPU time here.
 */
export function parseSlurmJobs(json: unknown, version: string, opts: ParseOptions & { now?: Date } = {}): NormalizedJob[] {
  const v = assertKnown(version);
  const where = opts.where ?? `/slurm/${v}/jobs`;
  const now = opts.now ?? new Date();
  return jobsArray(json, where).map((job, i) => {
    const jobId = num(job?.job_id);
    if (jobId === null) throw missing(where, i, undefined, 'job_id');
    if (typeof job.user_name !== 'string' || !job.user_name) throw missing(where, i, jobId, 'user_name');
    const state = baseState(job.job_state);
    if (!state) throw missing(where, i, jobId, 'job_state');
    const start = state === 'PENDING' ? null : epochToDate(num(job.start_time));
    const end = NOT_ENDED.has(state) ? null : epochToDate(num(job.end_time));
    let elapsed = 0;
    if (start && end) elapsed = Math.max(0, (end.getTime() - start.getTime()) / 1000);
    else if (start && state === 'RUNNING') elapsed = Math.max(0, Math.floor((now.getTime() - start.getTime()) / 1000));
    return {
      cluster: opts.cluster || (typeof job.cluster === 'string' ? job.cluster : ''),
      jobId: canonicalId(jobId, num(job.array_job_id), num(job.array_task_id), job.array_task_string, num(job.het_job_id), num(job.het_job_offset)),
      user: job.user_name,
      account: emptyToNull(job.account),
      partition: emptyToNull(job.partition),
      name: emptyToNull(job.name),
      state,
      submit: epochToDate(num(job.submit_time)),
      start,
      end,
      elapsedSeconds: elapsed,
      totalCpuSeconds: 0,
      reqTres: parseTresString(job.tres_req_str),
      allocTres: parseTresString(job.tres_alloc_str),
    };
  });
}

/** `errors[]` of any version: `{error, error_number, description, source}`. */
export function describeErrors(json: unknown): string | null {
  const errors = json && typeof json === 'object' ? (json as Json).errors : undefined;
  if (!Array.isArray(errors) || errors.length === 0) return null;
  return errors
    .map((e: Json) => {
      const head = [e?.error, e?.description].filter((x) => typeof x === 'string' && x).join(': ') || 'error';
      const tail = [e?.error_number, e?.source].filter((x) => x !== undefined && x !== null && x !== '').join(', ');
      return tail ? `${head} (${tail})` : head;
    })
    .join('; ');
}
