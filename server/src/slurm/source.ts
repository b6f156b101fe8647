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
  fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]>;
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
