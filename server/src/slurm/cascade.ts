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
 * next source is tried; an empty list is an answer (nothing ran in the window), not a failure. The same cascade as
 * streamJobs, each source asked for its whole answer at once.
 */
export async function fetchJobs(
  q: FetchJobsQuery,
  sources: ReadonlyArray<JobSource | SkippedSource>,
  opts: { timeoutMs?: number } = {},
): Promise<CascadeResult> {
  const stream = cascade(q, sources, opts.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS, true);
  const jobs: NormalizedJob[] = [];
  for await (const batch of stream) for (const job of batch) jobs.push(job);
  const { source, attempts, partial, partialReason } = stream.answer!;
  return partial ? { jobs, source, attempts, partial, partialReason } : { jobs, source, attempts };
}

export interface StreamAnswer {
  source: SourceName;
  attempts: Attempt[];
  partial?: boolean;
  partialReason?: string;
}

/** The cascade's answer as batches; who answered is known once a source yields (`source`) and in full at the end. */
export interface JobStream extends AsyncIterable<NormalizedJob[]> {
  /** The source whose jobs are flowing, once one has yielded (or answered empty). */
  readonly source: SourceName | null;
  /** Set when the batches have ended. */
  readonly answer: StreamAnswer | null;
}

/**
 * A source that failed after some of its jobs had been handed on: the jobs already passed stay with the reader, and
 * the next source is not asked (it would answer the same jobs again, under another source's name), so the reader
 * fails this window and asks it again later.
 */
export class SourceFailedMidwayError extends Error {
  readonly code = 'SLURM_UNAVAILABLE';
  constructor(
    readonly attempts: Attempt[],
    options?: { cause?: unknown },
  ) {
    super(attempts.map((a) => `${a.source}: ${a.reason ?? 'failed'}`).join('; '), options);
    this.name = 'SourceFailedMidwayError';
  }
}

/**
 * fetchJobs as a stream: each source in order, the first that yields serves the window. A source that fails before
 * its first batch (or times out waiting for it) is recorded and the next is tried, as in fetchJobs; one that fails
 * after it ends the stream with SourceFailedMidwayError. The timeout bounds each wait for a source's next batch, not
 * the whole stream, so the time the reader spends storing a batch is never charged to Slurm.
 */
export function streamJobs(
  q: FetchJobsQuery,
  sources: ReadonlyArray<JobSource | SkippedSource>,
  opts: { timeoutMs?: number } = {},
): JobStream {
  return cascade(q, sources, opts.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS, false);
}

/** The cascade itself; `whole`: each source answers its window at once (fetchJobs) instead of in batches. */
function cascade(q: FetchJobsQuery, sources: ReadonlyArray<JobSource | SkippedSource>, timeoutMs: number, whole: boolean): JobStream {
  const state: { source: SourceName | null; answer: StreamAnswer | null } = { source: null, answer: null };
  async function* run(): AsyncGenerator<NormalizedJob[]> {
    const attempts: Attempt[] = [];
    let partial: { jobs: NormalizedJob[]; source: SourceName; partialReason: string } | null = null;
    for (const source of sources) {
      if ('skipped' in source) {
        attempts.push({ source: source.name, ok: false, reason: source.skipped, ms: 0 });
        continue;
      }
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      const controller = new AbortController();
      const batches = (source.streamJobs && !whole ? source.streamJobs(q, { signal: controller.signal }) : once(source, q, controller.signal))[
        Symbol.asyncIterator
      ]();
      let count = 0;
      let ended = false;
      try {
        for (;;) {
          const next = await nextWithin(batches, timeoutMs, source.name, controller);
          if (next.done) break;
          if (next.value.length === 0) continue;
          state.source = source.name;
          count += next.value.length;
          yield next.value;
        }
        ended = true;
        attempts.push({ source: source.name, ok: true, ms: ms(), count });
        state.source = source.name;
        state.answer = { source: source.name, attempts };
        return;
      } catch (err) {
        ended = true;
        if (count > 0) {
          attempts.push({ source: source.name, ok: false, reason: `${reasonOf(err)} (after ${count} jobs)`, ms: ms(), count });
          throw new SourceFailedMidwayError(attempts, { cause: err });
        }
        if (err instanceof PartialHistoryError) {
          attempts.push({ source: source.name, ok: false, reason: err.message, ms: ms(), count: err.jobs.length });
          partial ??= { jobs: err.jobs, source: source.name, partialReason: err.message };
          continue;
        }
        attempts.push({ source: source.name, ok: false, reason: reasonOf(err), ms: ms() });
      } finally {
        // The reader stopped early or the source failed: let the source end its I/O (sacct is killed).
        if (!ended) void batches.return?.(undefined)?.catch(() => {});
      }
    }
    if (partial) {
      state.source = partial.source;
      if (partial.jobs.length) yield partial.jobs;
      state.answer = { source: partial.source, attempts, partial: true, partialReason: partial.partialReason };
      return;
    }
    throw new AllSourcesFailedError(attempts);
  }
  const batches = run();
  return {
    [Symbol.asyncIterator]: () => batches,
    get source() {
      return state.source;
    },
    get answer() {
      return state.answer;
    },
  };
}

async function* once(source: JobSource, q: FetchJobsQuery, signal: AbortSignal): AsyncGenerator<NormalizedJob[]> {
  yield await source.fetchJobs(q, { signal });
}

/** A source's next batch, or a timeout error (the source is aborted) when it takes longer than `timeoutMs`. */
function nextWithin<T>(it: AsyncIterator<T>, timeoutMs: number, name: string, controller: AbortController): Promise<IteratorResult<T>> {
  return within(it.next(), timeoutMs, name, controller);
}

/** `work`, or a timeout error after `timeoutMs`, on which `controller` aborts the source. */
async function within<T>(work: Promise<T>, timeoutMs: number, name: string, controller: AbortController): Promise<T> {
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
    return await Promise.race([work, timedOut]);
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
