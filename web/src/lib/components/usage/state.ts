/** Badge tone of a Slurm job state ("CANCELLED by 1001" reads as CANCELLED). */
export function stateTone(state: string): string {
  const base = state.split(' ')[0];
  if (base === 'COMPLETED') return 'badge-success';
  if (base === 'RUNNING' || base === 'PENDING' || base === 'REQUEUED') return 'badge-info';
  if (base === 'CANCELLED' || base === 'PREEMPTED' || base === 'TIMEOUT') return 'badge-warning';
  return 'badge-danger';
}

/** Slurm's job states (https://slurm.schedmd.com/job_state_codes.html) that have a translated name. */
export const JOB_STATES = [
  'BOOT_FAIL',
  'CANCELLED',
  'COMPLETED',
  'DEADLINE',
  'FAILED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'PENDING',
  'PREEMPTED',
  'RUNNING',
  'REQUEUED',
  'RESIZING',
  'REVOKED',
  'SUSPENDED',
  'TIMEOUT',
] as const;

/** The i18n key of a state's name ("CANCELLED by 1001" → job_state_cancelled); pages fall back to the state itself. */
export function stateKey(state: string): string {
  return `job_state_${state.split(' ')[0].toLowerCase()}`;
}
