import { type BillingUnits, costOfUnits, type RateValues } from '@hpc-accounting/pricing/cost';
import { gpuCount } from '../slurm/tres.ts';
import type { NormalizedJob, TresMap } from '../slurm/types.ts';

/** Allocated TRES when the source reports any, else requested: a pending or never-started job has only the request. */
export function billingUnits(job: Pick<NormalizedJob, 'allocTres' | 'reqTres'>): BillingUnits {
  const tres: TresMap = Object.keys(job.allocTres).length > 0 ? job.allocTres : job.reqTres;
  return {
    cpus: Math.max(0, Math.round(tres.cpu ?? 0)),
    gpus: Math.max(0, Math.round(gpuCount(tres))),
    memMiB: Math.max(0, Math.round(tres.mem ?? 0)),
  };
}

export function costOfJob(job: Pick<NormalizedJob, 'allocTres' | 'reqTres' | 'elapsedSeconds'>, rate: RateValues) {
  return costOfUnits(billingUnits(job), job.elapsedSeconds, rate);
}
