export const AccountMemberRole = {
  /** A coordinator of the account in Slurm: sees and bills its jobs */
  coordinator: 'coordinator',
  /** Has an association with the account in Slurm */
  member: 'member',
  /** Named the account’s principal investigator by an admin: sees and bills its jobs */
  pi: 'pi'
} as const;

export type AccountMemberRole = typeof AccountMemberRole[keyof typeof AccountMemberRole];
export const BudgetPeriod = {
  month: 'month',
  quarter: 'quarter',
  year: 'year'
} as const;

export type BudgetPeriod = typeof BudgetPeriod[keyof typeof BudgetPeriod];
/** The `extensions.code` of every error this API answers with */
export const ErrorCode = {
  ALREADY_BILLED: 'ALREADY_BILLED',
  ALREADY_PAID: 'ALREADY_PAID',
  BAD_INPUT: 'BAD_INPUT',
  CSRF: 'CSRF',
  FORBIDDEN: 'FORBIDDEN',
  INTERNAL: 'INTERNAL',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  LIMIT_REACHED: 'LIMIT_REACHED',
  LOCKED: 'LOCKED',
  NOTHING_TO_BILL: 'NOTHING_TO_BILL',
  NOT_FOUND: 'NOT_FOUND',
  RETRY_LATER: 'RETRY_LATER',
  SLURM_UNAVAILABLE: 'SLURM_UNAVAILABLE',
  SYNC_BUSY: 'SYNC_BUSY',
  TIMEOUT: 'TIMEOUT',
  TOO_COMPLEX: 'TOO_COMPLEX',
  UNAUTHENTICATED: 'UNAUTHENTICATED'
} as const;

export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];
/** A column to order jobs by; ties go by job key */
export const JobSort = {
  account: 'account',
  elapsed: 'elapsed',
  end: 'end',
  jobId: 'jobId',
  name: 'name',
  partition: 'partition',
  state: 'state',
  user: 'user'
} as const;

export type JobSort = typeof JobSort[keyof typeof JobSort];
export const QuoteInputKind = {
  /** An sbatch, srun or salloc command line */
  command: 'command',
  /** A script with an sbatch command line whose options win */
  mixed: 'mixed',
  /** #SBATCH lines of a job script */
  script: 'script'
} as const;

export type QuoteInputKind = typeof QuoteInputKind[keyof typeof QuoteInputKind];
/** A column to order receipts by; ties go newest first */
export const ReceiptSort = {
  createdAt: 'createdAt',
  cutoff: 'cutoff',
  id: 'id',
  itemCount: 'itemCount',
  paidAt: 'paidAt',
  status: 'status',
  total: 'total',
  user: 'user'
} as const;

export type ReceiptSort = typeof ReceiptSort[keyof typeof ReceiptSort];
export const ReceiptStatus = {
  paid: 'paid',
  pending: 'pending'
} as const;

export type ReceiptStatus = typeof ReceiptStatus[keyof typeof ReceiptStatus];
export const Role = {
  admin: 'admin',
  operator: 'operator',
  user: 'user'
} as const;

export type Role = typeof Role[keyof typeof Role];
/** What gave a user their role, at their last login */
export const RoleSource = {
  /** Nothing named them: the plain user role */
  default: 'default',
  /** A local account (the seeded admin, a demo user) keeping the role it was created with */
  local: 'local',
  /** Their AdminLevel in Slurm (sacctmgr), with ROLES_FROM_SLURM=1 */
  slurm: 'slurm',
  /** ADMIN_USERS or OPERATOR_USERS in the server’s configuration */
  static: 'static'
} as const;

export type RoleSource = typeof RoleSource[keyof typeof RoleSource];
/** A calendar bucket in the query’s time zone (weeks start on Monday) */
export const SeriesBucket = {
  DAY: 'DAY',
  HOUR: 'HOUR',
  MONTH: 'MONTH',
  QUARTER: 'QUARTER',
  WEEK: 'WEEK',
  YEAR: 'YEAR'
} as const;

export type SeriesBucket = typeof SeriesBucket[keyof typeof SeriesBucket];
export const SeriesGroup = {
  account: 'account',
  cluster: 'cluster',
  partition: 'partition',
  state: 'state',
  tier: 'tier',
  user: 'user'
} as const;

export type SeriesGroup = typeof SeriesGroup[keyof typeof SeriesGroup];
export const SortDirection = {
  ASC: 'ASC',
  DESC: 'DESC'
} as const;

export type SortDirection = typeof SortDirection[keyof typeof SortDirection];
export const Tier = {
  gov: 'gov',
  mu: 'mu',
  private: 'private'
} as const;

export type Tier = typeof Tier[keyof typeof Tier];
export const UsageGroup = {
  account: 'account',
  cluster: 'cluster',
  month: 'month',
  partition: 'partition',
  tier: 'tier',
  user: 'user'
} as const;

export type UsageGroup = typeof UsageGroup[keyof typeof UsageGroup];
export const UsageMeasure = {
  cost: 'cost',
  cpuHours: 'cpuHours',
  elapsedHours: 'elapsedHours',
  gpuHours: 'gpuHours',
  jobs: 'jobs',
  memGBHours: 'memGBHours'
} as const;

export type UsageMeasure = typeof UsageMeasure[keyof typeof UsageMeasure];