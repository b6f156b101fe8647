/**
 * The one job record every source produces. Times are UTC `Date`s, null while unknown;
 * TRES maps use Slurm's names (`cpu`, `mem` in MiB, `node`, `billing`, `gres/gpu`, `gres/gpu:a100`, ...).
 */
export interface NormalizedJob {
  cluster: string;
  /** Canonical id: `123`, `123_4` for array tasks, `123+0` for heterogeneous components. */
  jobId: string;
  user: string;
  account: string | null;
  partition: string | null;
  name: string | null;
  /** Base state without qualifiers: COMPLETED, FAILED, CANCELLED, TIMEOUT, RUNNING, PENDING, ... */
  state: string;
  submit: Date | null;
  start: Date | null;
  end: Date | null;
  elapsedSeconds: number;
  totalCpuSeconds: number;
  reqTres: TresMap;
  allocTres: TresMap;
}

export type TresMap = Record<string, number>;

export type SourceName = 'restd' | 'sacct' | 'csv';

export interface FetchJobsQuery {
  from: Date;
  to: Date;
  /** Restrict to one user; absent means all users the credentials may see. */
  user?: string;
}

/** What a SlurmSourceError names: a job source, or one of the Slurm commands read for accounts and usage. */
export type SlurmTool = SourceName | 'sacctmgr' | 'sreport';

export class SlurmSourceError extends Error {
  constructor(
    readonly source: SlurmTool,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${message}`, options);
    this.name = 'SlurmSourceError';
  }
}
