/**
 * The ledger prices jobs in 64-bit SQL integers (server/src/billing/usage.ts): per job, satang =
 * (U / D)·secs + round((U % D)·secs / D), with U = cpus·1024·cpuRate + gpus·1024·gpuRate + memMiB·memRate
 * in micro-THB and D = 3600·1024·10⁴. These bounds keep every intermediate of that formula below 2⁶³ − 1
 * for any job within LARGEST_JOB at any rates up to MAX_RATE_THB_PER_HOUR (limits.test.ts checks it). Sums over
 * many jobs are split so they never overflow (usage.ts), and receipt amounts are 64-bit columns.
 */

/**
 * The largest job the ledger holds: 4M CPUs, 256k GPUs, 2 PiB of memory, for three years. Memory stops at
 * 2³¹ − 1 MiB because the ledger and the API carry it as a 32-bit Int.
 */
export const LARGEST_JOB = {
  cpus: 2 ** 22,
  gpus: 2 ** 18,
  memMiB: 2 ** 31 - 1,
  elapsedSeconds: 3 * 365 * 86_400,
} as const;

/** The highest rate of each resource (per CPU-hour, GPU-hour, GiB-hour). */
export const MAX_RATE_THB_PER_HOUR = 1000;

export interface JobSize {
  cpus: number;
  gpus: number;
  memMiB: number;
  elapsedSeconds: number;
}

/** Whether the ledger can price this job exactly; NaN and negative sizes are outside. Field by field: a sync asks it of every job. */
export const withinLargestJob = (job: JobSize): boolean =>
  job.cpus >= 0 &&
  job.cpus <= LARGEST_JOB.cpus &&
  job.gpus >= 0 &&
  job.gpus <= LARGEST_JOB.gpus &&
  job.memMiB >= 0 &&
  job.memMiB <= LARGEST_JOB.memMiB &&
  job.elapsedSeconds >= 0 &&
  job.elapsedSeconds <= LARGEST_JOB.elapsedSeconds;
