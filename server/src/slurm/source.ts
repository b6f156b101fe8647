import type { FetchJobsQuery, NormalizedJob, SourceName } from './types.ts';

/**
 * What a Slurm source is, apart from the cascade that orders them: the sources implement this and the cascade
 * imports the sources, so neither has to import the other's module.
 */

export interface SourceContext {
  /** Aborted when the cascade gives up on this source (its timeout); sources stop their I/O. */
  signal?: AbortSignal;
}

export interface JobSource {
  name: SourceName;
  /** The whole window's jobs at once, deduplicated (tests, and callers that want an array). */
  fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]>;
  /**
   * The window's jobs in batches as they are read, holding no more than the source must (sacct: a line and a job;
   * slurmrestd: one answer). A job's records are deduplicated where they are adjacent; one seen again in a later
   * batch is the newer view of it. Without it, the cascade streams `fetchJobs`'s answer as one batch.
   */
  streamJobs?(q: FetchJobsQuery, ctx?: SourceContext): AsyncIterable<NormalizedJob[]>;
  /**
   * Reads everything it has for any window (a file), so a sync asks it once for its whole window instead of once
   * per chunk: chunks would only read the same file again.
   */
  wholeWindow?: boolean;
}

/** A source named in the order but not configured: recorded as an attempt, never called. */
export interface SkippedSource {
  name: SourceName;
  skipped: string;
}

/**
 * A source that could answer only part of the window's history (slurmrestd offering only
 * slurmctld's /slurm/vX/jobs, which forgets finished jobs after MinJobAge). The cascade keeps
 * asking the next sources, and uses these jobs only when none of them answers.
 */
export class PartialHistoryError extends Error {
  constructor(
    readonly jobs: NormalizedJob[],
    message: string,
  ) {
    super(message);
    this.name = 'PartialHistoryError';
  }
}
