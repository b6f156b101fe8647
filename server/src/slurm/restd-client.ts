import { readFile as fsReadFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { inQueryWindow } from './normalize.ts';
import {
  assertKnown,
  describeErrors,
  isKnownVersion,
  KNOWN_VERSIONS,
  minorOf,
  parseSlurmdbJobs,
  parseSlurmJobs,
  type RestdApi,
  versionsFromOpenapi,
} from './restd-parse.ts';
import { type JobSource, PartialHistoryError, type SourceContext } from './source.ts';
import type { FetchJobsQuery, NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

/**
 * The slurmrestd source: finds the OpenAPI version the daemon speaks, asks it over undici with the token and TLS
 * settings, and hands the bodies to restd-parse.ts.
 */

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
  /** Any other GET (accounts, associations) with the same token, TLS settings and classified errors. */
  getJson(path: string, params?: URLSearchParams | null, signal?: AbortSignal): Promise<unknown>;
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

  async function fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]> {
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
  }

  return {
    name: 'restd',
    discover,
    getJson: (path, params = null, signal = AbortSignal.timeout(opts.timeoutMs)) => getJson(path, params, signal),
    fetchJobs,
    // One answer is one JSON document, parsed whole: a sync asks for a chunk of its window at a time, so only that
    // chunk's answer is held.
    async *streamJobs(q: FetchJobsQuery, ctx?: SourceContext): AsyncGenerator<NormalizedJob[]> {
      yield await fetchJobs(q, ctx);
    },
  };
}
