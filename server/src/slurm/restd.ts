import { readFile as fsReadFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { type JobSource, PartialHistoryError, type SourceContext } from './cascade.ts';
import { baseState, dedupeJobs, emptyToNull, epochToDate, inQueryWindow, isFinishedState } from './normalize.ts';
import { parseTresString, tresFromList, type TresEntry } from './tres.ts';
import type { FetchJobsQuery, NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

/** OpenAPI plugin versions whose job shapes this client knows, newest first (SHAPES.md §1). */
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

/** The part of the Fetch API this client uses; global `fetch` fits, and so does `undiciFetch`. */
export type FetchLike = (
  url: string,
  init: { method?: string; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

export interface RestdOptions {
  baseUrl: string;
  token?: string;
  /** Read on every fetch, so a token refreshed by cron (`scontrol token`) is picked up. */
  tokenFile?: string;
  userName?: string;
  verifyTls?: boolean;
  caFile?: string;
  timeoutMs: number;
  /** Pin `v0.0.XX`; otherwise discovered from `/openapi/v3`, else probed newest first. */
  version?: string;
  cluster: string;
  fetch?: FetchLike;
  readFile?: (path: string) => Promise<string>;
  now?: () => Date;
}

export function normalizeVersion(version: string): string {
  const v = version.trim();
  return v.startsWith('v') ? v : `v${v}`;
}

export function isKnownVersion(version: string): boolean {
  return (KNOWN_VERSIONS as readonly string[]).includes(normalizeVersion(version));
}

function minorOf(version: string): number {
  return Number(normalizeVersion(version).split('.')[2]);
}

function assertKnown(version: string): string {
  const v = normalizeVersion(version);
  if (!isKnownVersion(v)) {
    throw new SlurmSourceError(
      'restd',
      `unknown slurmrestd version "${version}" (supported: ${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]} to ${KNOWN_VERSIONS[0]})`,
    );
  }
  return v;
}

/**
 * `start_time`/`end_time` for `/slurmdb/vX/jobs`. A bare epoch is refused up to v0.0.41 (it goes straight to
 * parse_time(); fixed in v0.0.42, https://github.com/SchedMD/slurm/commit/0f7be0f); `uts<epoch>` works in every
 * version (checked on 22.05) and needs no time zone.
 */
export function slurmdbTimeParam(version: string, d: Date): string {
  const epoch = Math.floor(d.getTime() / 1000);
  return minorOf(version) >= 42 ? String(epoch) : `uts${epoch}`;
}

/** `users` exists from v0.0.39; v0.0.37/38 answer "Unknown Query field", so those filter on our side. */
export function slurmdbParams(version: string, q: FetchJobsQuery): URLSearchParams {
  const p = new URLSearchParams();
  p.set('start_time', slurmdbTimeParam(version, q.from));
  p.set('end_time', slurmdbTimeParam(version, q.to));
  if (q.user && minorOf(version) >= 39) p.set('users', q.user);
  return p;
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

// ---------------------------------------------------------------------------------------------------------------
// Parsers: pure functions of a response body.

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

// ---------------------------------------------------------------------------------------------------------------
// HTTP

export type RestdErrorKind = 'not-offered' | 'auth' | 'unreachable' | 'timeout' | 'http' | 'not-json' | 'errors' | 'config';

/** A failed request, classified so discovery knows whether probing other versions can help. */
export class RestdError extends SlurmSourceError {
  constructor(
    readonly kind: RestdErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('restd', message, options);
    this.name = 'RestdError';
  }
}

function snippet(text: string, max = 80): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

/** undici `request` with TLS settings; the default transport. */
export function undiciFetch(opts: { verifyTls?: boolean; ca?: string } = {}): FetchLike {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: opts.verifyTls !== false, ca: opts.ca } });
  return async (url, init) => {
    const res = await request(url, { method: 'GET', headers: init.headers, signal: init.signal, dispatcher });
    return {
      status: res.statusCode,
      headers: {
        get(name: string) {
          const v = res.headers[name.toLowerCase()];
          return Array.isArray(v) ? v.join(', ') : (v ?? null);
        },
      },
      text: () => res.body.text(),
    };
  };
}

interface Target {
  api: RestdApi;
  version: string;
}

export interface RestdSource extends JobSource {
  /** Which API and version this client uses (discovering it if needed). */
  discover(signal?: AbortSignal): Promise<Target>;
}

export function createRestdSource(opts: RestdOptions): RestdSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const readFile = opts.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  const now = opts.now ?? (() => new Date());
  let transport: FetchLike | null = opts.fetch ?? null;
  // Per source instance, not module state: discovered once, forgotten when that version starts answering 404.
  let cached: Target | null = null;

  async function getTransport(): Promise<FetchLike> {
    if (!transport) {
      let ca: string | undefined;
      if (opts.caFile) {
        try {
          ca = await readFile(opts.caFile);
        } catch (err) {
          throw new RestdError('config', `cannot read CA file ${opts.caFile}: ${(err as Error).message}`, { cause: err });
        }
      }
      transport = undiciFetch({ verifyTls: opts.verifyTls, ca });
    }
    return transport;
  }

  async function headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (opts.userName) h['X-SLURM-USER-NAME'] = opts.userName;
    let token = opts.token;
    if (!token && opts.tokenFile) {
      try {
        token = (await readFile(opts.tokenFile)).trim();
      } catch (err) {
        throw new RestdError('config', `cannot read token file ${opts.tokenFile}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (token) h['X-SLURM-USER-TOKEN'] = token;
    return h;
  }

  async function getJson(path: string, params: URLSearchParams | null, signal: AbortSignal): Promise<unknown> {
    const fetchFn = await getTransport();
    const url = `${base}${path}${params && [...params.keys()].length ? `?${params}` : ''}`;
    let status: number;
    let contentType: string;
    let body: string;
    try {
      const res = await fetchFn(url, { method: 'GET', headers: await headers(), signal });
      status = res.status;
      contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
      body = await res.text();
    } catch (err) {
      if (err instanceof SlurmSourceError) throw err;
      if (signal.aborted) {
        throw new RestdError('timeout', `no answer from ${path} within ${opts.timeoutMs} ms`, { cause: err });
      }
      // undici's request() throws the socket error itself; fetch() wraps it in `cause`.
      const e = err as Error & { cause?: { message?: string } };
      const why = e.cause?.message ?? e.message;
      throw new RestdError('unreachable', `cannot reach ${base}: ${why}`, { cause: err });
    }
    if (status === 404) throw new RestdError('not-offered', `slurmrestd does not offer ${path} (HTTP 404: ${snippet(body)})`);
    let json: unknown = undefined;
    let parseError: string | null = null;
    try {
      json = JSON.parse(body);
    } catch (err) {
      parseError = (err as Error).message;
    }
    const errors = parseError === null ? describeErrors(json) : null;
    if (status === 401 || status === 403) {
      throw new RestdError('auth', `authentication failed at ${path} (HTTP ${status}: ${errors ?? snippet(body)})`);
    }
    if (status < 200 || status >= 300) {
      throw new RestdError('http', `${path} answered HTTP ${status}: ${errors ?? (snippet(body) || 'empty body')}`);
    }
    if (parseError !== null) {
      const looksHtml = /html/i.test(contentType) || /^\s*</.test(body);
      if (looksHtml || !/json/i.test(contentType)) {
        throw new RestdError('not-json', `response from ${path} is not JSON (${contentType || 'no content-type'}: ${snippet(body)})`);
      }
      throw new RestdError('not-json', `response from ${path} is not valid JSON (${body.length} bytes, truncated?): ${parseError}`);
    }
    // slurmdbd answers HTTP 200 with an error list (and no jobs) on a bad token or a bad parameter.
    if (errors) throw new RestdError('errors', `${path} reported: ${errors}`);
    return json;
  }

  async function fromOpenapi(signal: AbortSignal): Promise<Target | null> {
    let doc: unknown;
    try {
      doc = await getJson('/openapi/v3', null, signal);
    } catch (err) {
      // Another answer (404, 500, not JSON) from a locked-down or unusual server: probe the versions instead.
      if (err instanceof RestdError && ['not-offered', 'http', 'not-json', 'errors'].includes(err.kind)) return null;
      throw err;
    }
    const offered = versionsFromOpenapi(doc);
    for (const api of ['slurmdb', 'slurm'] as const) {
      const version = offered[api].find(isKnownVersion);
      if (version) return { api, version };
    }
    const all = [...offered.slurmdb.map((x) => `/slurmdb/${x}`), ...offered.slurm.map((x) => `/slurm/${x}`)];
    if (all.length) {
      throw new SlurmSourceError('restd', `slurmrestd offers only ${all.join(', ')}; unknown versions (supported: v0.0.37 to v0.0.46)`);
    }
    return null;
  }

  async function discover(signal: AbortSignal = AbortSignal.timeout(opts.timeoutMs)): Promise<Target> {
    if (opts.version) return { api: 'slurmdb', version: assertKnown(opts.version) };
    if (cached) return cached;
    const found = await fromOpenapi(signal);
    if (found) return (cached = found);
    for (const api of ['slurmdb', 'slurm'] as const) {
      for (const version of KNOWN_VERSIONS) {
        try {
          await getJson(`/${api}/${version}/jobs`, api === 'slurmdb' ? slurmdbParams(version, { from: now(), to: now() }) : null, signal);
        } catch (err) {
          if (err instanceof RestdError && err.kind === 'not-offered') continue;
          throw err;
        }
        return (cached = { api, version });
      }
    }
    throw new SlurmSourceError('restd', `slurmrestd at ${base} answers 404 for /slurmdb and /slurm jobs of every known version (v0.0.37 to v0.0.46)`);
  }

  async function query(target: Target, q: FetchJobsQuery, signal: AbortSignal): Promise<NormalizedJob[]> {
    const path = `/${target.api}/${target.version}/jobs`;
    if (target.api === 'slurmdb') {
      const jobs = parseSlurmdbJobs(await getJson(path, slurmdbParams(target.version, q), signal), target.version, {
        cluster: opts.cluster,
        where: path,
        now: now(),
      });
      return q.user ? jobs.filter((j) => j.user === q.user) : jobs;
    }
    // Last resort: slurmctld only knows jobs still in memory (MinJobAge), so history is incomplete.
    const jobs = parseSlurmJobs(await getJson(path, null, signal), target.version, { cluster: opts.cluster, where: path, now: now() });
    throw new PartialHistoryError(
      jobs.filter((j) => inQueryWindow(j, q)),
      `restd: only ${path} is offered (jobs still in slurmctld's memory), not /slurmdb: history is incomplete`,
    );
  }

  return {
    name: 'restd',
    discover,
    async fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]> {
      const timeout = AbortSignal.timeout(opts.timeoutMs);
      const signal = ctx?.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
      const wasCached = cached !== null;
      const target = await discover(signal);
      try {
        return await query(target, q, signal);
      } catch (err) {
        if (!(err instanceof RestdError && err.kind === 'not-offered') || opts.version || !wasCached) throw err;
        cached = null; // the daemon was upgraded or reconfigured since discovery
        return query(await discover(signal), q, signal);
      }
    },
  };
}
