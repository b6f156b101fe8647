/** Helpers of the quote page: what it shows of a job request, and answers taken in the order they were asked. */

/** Memory as Slurm users write it: MiB below 1 GiB, else GiB (or TiB) to at most two decimals. */
export function formatMemory(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  if (gib < 1024) return `${Number(gib.toFixed(2))} GiB`;
  return `${Number((gib / 1024).toFixed(2))} TiB`;
}

/** A time limit in Slurm's own form: D-HH:MM:SS, or HH:MM:SS under a day. */
export function formatTimeLimit(seconds: number | null): string {
  if (seconds === null) return '—';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d}-${hms}` : hms;
}

/**
 * Numbers requests so that only the newest one's answer is kept: an older, slower answer arriving after a newer one
 * must not overwrite it while the user types.
 */
export function latestOnly() {
  let newest = 0;
  return {
    next: () => ++newest,
    isLatest: (ticket: number) => ticket === newest,
  };
}

export const QUOTE_EXAMPLE = `#!/bin/bash
#SBATCH --job-name=train
#SBATCH --partition=gpu
#SBATCH --gres=gpu:a100:2
#SBATCH --cpus-per-task=16
#SBATCH --mem=128G
#SBATCH --time=1-00:00:00

srun python train.py`;
