import { type BillingUnits, costOfUnits, type RateValues } from '@hpc-accounting/pricing/cost';
import { neverAllocated } from '../slurm/normalize.ts';
import { gpuCount } from '../slurm/tres.ts';
import type { NormalizedJob, TresMap } from '../slurm/types.ts';

type UnitsOf = Pick<NormalizedJob, 'allocTres' | 'reqTres' | 'state' | 'elapsedSeconds'>;

/**
 * Allocated TRES when the source reports any, else requested (a pending job has only its request). A job that ended
 * without ever being allocated (cancelled while pending) held nothing: zero, not what it asked for.
 */
export function billingUnits(job: UnitsOf): BillingUnits {
  if (neverAllocated(job)) return { cpus: 0, gpus: 0, memMiB: 0 };
  const tres: TresMap = Object.keys(job.allocTres).length > 0 ? job.allocTres : job.reqTres;
  return {
    cpus: Math.max(0, Math.round(tres.cpu ?? 0)),
    gpus: Math.max(0, Math.round(gpuCount(tres))),
    memMiB: Math.max(0, Math.round(tres.mem ?? 0)),
  };
}

export function costOfJob(job: UnitsOf, rate: RateValues) {
  return costOfUnits(billingUnits(job), job.elapsedSeconds, rate);
}
