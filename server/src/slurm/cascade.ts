import type { Exec } from '../lib/exec.ts';
import { createCsvSource, type CsvSourceOptions } from './csv.ts';
import { createRestdSource, type FetchLike, type RestdOptions } from './restd-client.ts';
import { createSacctSource, type SacctSourceOptions } from './sacct.ts';
import { type JobSource, PartialHistoryError, type SkippedSource } from './source.ts';
import type { FetchJobsQuery, NormalizedJob, SourceName } from './types.ts';

export interface Attempt {
  source: SourceName;
  ok: boolean;
  reason?: string;
  ms: number;
  count?: number;
}

export interface CascadeResult {
  jobs: NormalizedJob[];
  source: SourceName;
  attempts: Attempt[];
  /** Only part of the window's history (slurmctld's live jobs): no source had all of it. */
  partial?: boolean;
  /** Why, when partial. */
  partialReason?: string;
}

export class AllSourcesFailedError extends Error {
  readonly code = 'SLURM_UNAVAILABLE';
  constructor(readonly attempts: Attempt[]) {
    super(
      attempts.length
        ? `no Slurm source answered: ${attempts.map((a) => `${a.source}: ${a.reason ?? 'failed'}`).join('; ')}`
        : 'no Slurm source is configured',
    );
    this.name = 'AllSourcesFailedError';
  }
}

export const DEFAULT_SOURCE_TIMEOUT_MS = 60_000;

/**
 * Asks each source in order and returns the first answer. A failure or a timeout is recorded in `attempts` and the
 * next source is tried; an empty list is an answer (nothing ran in the window), not a failure.
 */
export async function fetchJobs(
  q: FetchJobsQuery,
  sources: ReadonlyArray<JobSource | SkippedSource>,
  opts: { timeoutMs?: number } = {},
): Promise<CascadeResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const attempts: Attempt[] = [];
  let partial: { jobs: NormalizedJob[]; source: SourceName; partialReason: string } | null = null;
  for (const source of sources) {
    if ('skipped' in source) {
      attempts.push({ source: source.name, ok: false, reason: source.skipped, ms: 0 });
      continue;
    }
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const jobs = await withTimeout((signal) => source.fetchJobs(q, { signal }), timeoutMs, source.name);
      attempts.push({ source: source.name, ok: true, ms: ms(), count: jobs.length });
      return { jobs, source: source.name, attempts };
    } catch (err) {
      if (err instanceof PartialHistoryError) {
        attempts.push({ source: source.name, ok: false, reason: err.message, ms: ms(), count: err.jobs.length });
        partial ??= { jobs: err.jobs, source: source.name, partialReason: err.message };
        continue;
      }
      attempts.push({ source: source.name, ok: false, reason: reasonOf(err), ms: ms() });
    }
  }
  if (partial) return { ...partial, attempts, partial: true };
  throw new AllSourcesFailedError(attempts);
}

async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, timeoutMs: number, name: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`${name}: timed out after ${timeoutMs} ms`);
      // Settle first: a source that rejects on abort must not replace the reason.
      reject(err);
      controller.abort(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export interface CascadeConfig {
  cluster: string;
  order: SourceName[];
  restd?: Omit<RestdOptions, 'cluster' | 'fetch' | 'readFile' | 'now'> | null;
  sacct?: Omit<SacctSourceOptions, 'cluster' | 'exec'> | null;
  csv?: Omit<CsvSourceOptions, 'cluster' | 'readFile'> | null;
}

export interface CascadeDeps {
  fetch?: FetchLike;
  exec?: Exec;
  readFile?: (path: string) => Promise<string>;
  now?: () => Date;
}

/** The ordered sources from plain configuration; a source named in `order` without settings becomes a skip. */
export function sourcesFromConfig(cfg: CascadeConfig, deps: CascadeDeps = {}): Array<JobSource | SkippedSource> {
  const out: Array<JobSource | SkippedSource> = [];
  const seen = new Set<SourceName>();
  for (const name of cfg.order) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (name === 'restd') {
      out.push(
        cfg.restd
          ? createRestdSource({ ...cfg.restd, cluster: cfg.cluster, fetch: deps.fetch, readFile: deps.readFile, now: deps.now })
          : { name, skipped: 'not configured' },
      );
    } else if (name === 'sacct') {
      out.push(cfg.sacct ? createSacctSource({ ...cfg.sacct, cluster: cfg.cluster, exec: deps.exec }) : { name, skipped: 'not configured' });
    } else if (name === 'csv') {
      out.push(cfg.csv ? createCsvSource({ ...cfg.csv, cluster: cfg.cluster, readFile: deps.readFile }) : { name, skipped: 'not configured' });
    } else {
      throw new Error(`unknown Slurm source "${String(name)}" in order (expected restd, sacct or csv)`);
    }
  }
  return out;
}
