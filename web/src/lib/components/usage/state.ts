/** Badge tone of a Slurm job state ("CANCELLED by 1001" reads as CANCELLED). */
export function stateTone(state: string): string {
  const base = state.split(' ')[0];
  if (base === 'COMPLETED') return 'badge-success';
  if (base === 'RUNNING' || base === 'PENDING' || base === 'REQUEUED') return 'badge-info';
  if (base === 'CANCELLED' || base === 'PREEMPTED' || base === 'TIMEOUT') return 'badge-warning';
  return 'badge-danger';
}
