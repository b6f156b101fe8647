import { builder } from '../builder.ts';
import type { SyncProgressEvent } from '../jobs/sync-progress.ts';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { JOB_SORTS, type listJobs, MAX_BUCKETS, topOf, USAGE_GROUPS, USAGE_MEASURES, type UsageBucket, type UsageFilter } from '../billing/usage.ts';
import { pageSize } from './paging.ts';
import { JobRef } from './job.ts';
import { TierEnum } from './user.ts';

/** What a field that aggregates the ledger counts against the cost budget (graphql/cost.ts). */
export const LEDGER_SCAN_COST = 20_000;

const UsageGroupEnum = builder.enumType('UsageGroup', { values: USAGE_GROUPS });

export const JobFilterInput = builder.inputType('JobFilter', {
  description: 'Finished jobs of the ledger; every field narrows the set',
  fields: (t) => ({
    user: t.string(),
    account: t.string(),
    partition: t.string(),
    cluster: t.string({ description: 'The cluster the jobs ran on (the first part of their billing key)' }),
    endedAfter: t.field({ type: 'DateTime' }),
    endedBefore: t.field({ type: 'DateTime', description: 'The "completed before" cut-off' }),
    billed: t.boolean({ description: 'true: only jobs on a receipt; false: only unbilled' }),
  }),
});

type Totals = UsageBucket;

export const UsageTotalsRef = builder.objectRef<Totals>('UsageTotals').implement({
  description: "Sums computed by the database; cost at each job owner's current tier rate",
  fields: (t) => ({
    jobs: t.int({ resolve: (b) => b.sums.jobs }),
    elapsedHours: t.float({ resolve: (b) => b.sums.elapsedSeconds / 3600 }),
    cpuHours: t.float({ resolve: (b) => Number(b.sums.cpuSeconds) / 3600 }),
    gpuHours: t.float({ resolve: (b) => Number(b.sums.gpuSeconds) / 3600 }),
    memGBHours: t.float({ resolve: (b) => Number(b.sums.memMiBSeconds) / 3600 / 1024 }),
    cost: t.field({ type: 'Decimal', resolve: (b) => formatSatang(b.costSatang) }),
  }),
});

const UsageBucketRef = builder.objectRef<UsageBucket>('UsageBucket').implement({
  description: 'Totals of one group; the grouping fields not asked for are null',
  fields: (t) => ({
    user: t.string({ nullable: true, resolve: (b) => b.key.user ?? null }),
    month: t.string({ nullable: true, description: "YYYY-MM of the end time, in the server’s TIME_ZONE", resolve: (b) => b.key.month ?? null }),
    account: t.string({ nullable: true, resolve: (b) => b.key.account ?? null }),
    partition: t.string({ nullable: true, resolve: (b) => b.key.partition ?? null }),
    tier: t.field({ type: TierEnum, nullable: true, resolve: (b) => (b.key.tier as 'mu' | undefined) ?? null }),
    cluster: t.string({ nullable: true, resolve: (b) => b.key.cluster ?? null }),
    totals: t.field({ type: UsageTotalsRef, resolve: (b) => b }),
  }),
});

interface JobPage {
  filter: UsageFilter;
  page: Awaited<ReturnType<typeof listJobs>>;
}

export const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const JobEdgeRef = builder.objectRef<{ cursor: string; node: JobPage['page']['nodes'][number] }>('JobEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: JobRef, resolve: (e) => e.node }),
  }),
});

const JobConnectionRef = builder.objectRef<JobPage>('JobConnection').implement({
  fields: (t) => ({
    edges: t.field({
      type: [JobEdgeRef],
      resolve: ({ page }) =>
        page.nodes.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    }),
    pageInfo: t.field({ type: PageInfoRef, resolve: ({ page }) => page }),
    totals: t.field({
      type: UsageTotalsRef,
      description: 'Of the whole filtered set, not only this page',
      extensions: { cost: LEDGER_SCAN_COST },
      resolve: ({ filter }, _a, ctx) => ctx.loaders.usageTotals.load(filter),
    }),
  }),
});

const UsageMeasureEnum = builder.enumType('UsageMeasure', { values: USAGE_MEASURES });
export const SortDirectionEnum = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

const UsageOrderInput = builder.inputType('UsageOrder', {
  fields: (t) => ({
    by: t.field({ type: UsageMeasureEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'DESC' }),
  }),
});

const JobSortEnum = builder.enumType('JobSort', {
  description: 'A column to order jobs by; ties go by job key',
  values: JOB_SORTS,
});

const JobOrderInput = builder.inputType('JobOrder', {
  fields: (t) => ({
    by: t.field({ type: JobSortEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'DESC', required: true }),
  }),
});

/**
 * A filter without a user or account is everyone's usage: staff only. A user may ask for their own, and for a Slurm
 * account's they coordinate (or are PI of).
 */
const scopeOf = (filter: { user?: string | null; account?: string | null } | null | undefined) =>
  filter?.user && filter.account
    ? { $any: { ownerOf: filter.user, managerOf: filter.account } }
    : filter?.user
      ? { ownerOf: filter.user }
      : filter?.account
        ? { managerOf: filter.account }
        : { staff: true };

builder.queryField('jobs', (t) =>
  t.field({
    type: JobConnectionRef,
    description: 'Finished jobs from the ledger, newest first unless ordered, a page at a time',
    args: {
      filter: t.arg({ type: JobFilterInput }),
      first: t.arg.int({ defaultValue: 50 }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page, asked with the same orderBy' }),
      orderBy: t.arg({ type: JobOrderInput, description: 'By end time, newest first, unless given' }),
    },
    authScopes: (_root, args) => scopeOf(args.filter),
    resolve: async (_root, { filter, first, after, orderBy }, ctx) => {
      const f: UsageFilter = { ...(filter ?? {}) };
      const size = pageSize('first', first, 50, 1000);
      return { filter: f, page: await ctx.loaders.jobPage.load({ filter: f, first: size, after, order: orderBy }) };
    },
  }),
);

builder.queryField('usage', (t) =>
  t.field({
    type: [UsageBucketRef],
    description: 'Usage totals grouped by user, month, account, partition, tier and/or cluster; ordered by the groups, or by a measure for a top-N',
    extensions: { cost: LEDGER_SCAN_COST },
    args: {
      filter: t.arg({ type: JobFilterInput }),
      groupBy: t.arg({ type: [UsageGroupEnum], required: true }),
      orderBy: t.arg({ type: UsageOrderInput, description: 'e.g. { by: gpuHours } for the biggest GPU users first' }),
      limit: t.arg.int({ description: 'At most this many groups (after ordering)' }),
    },
    authScopes: (_root, args) => scopeOf(args.filter),
    resolve: async (_root, { filter, groupBy, orderBy, limit }, ctx) => {
      const buckets = await ctx.loaders.usage.load({ filter: { ...(filter ?? {}) }, groupBy });
      const limited = limit == null ? undefined : pageSize('limit', limit, limit, MAX_BUCKETS);
      return topOf(buckets, orderBy ?? undefined, limited);
    },
  }),
);

export interface SyncRunShape {
  id: number;
  cluster: string;
  source: string | null;
  jobCount: number;
  status: string;
  trigger: string;
  rangeFrom: Date;
  rangeTo: Date;
  startedAt: Date;
  finishedAt: Date | null;
  attempts: string;
  error: string | null;
  partialReason: string | null;
}

const AttemptRef = builder
  .objectRef<{ source: string; ok: boolean; reason?: string; ms: number; count?: number }>('SourceAttempt')
  .implement({
    description: 'One source the cascade tried, and why it did or did not serve',
    fields: (t) => ({
      source: t.exposeString('source'),
      ok: t.exposeBoolean('ok'),
      reason: t.string({ nullable: true, resolve: (a) => a.reason ?? null }),
      ms: t.exposeInt('ms'),
      count: t.int({ nullable: true, resolve: (a) => a.count ?? null }),
    }),
  });

export const SyncRunRef = builder.objectRef<SyncRunShape>('SyncRun').implement({
  description: 'One fill of the ledger from Slurm',
  fields: (t) => ({
    id: t.exposeInt('id'),
    cluster: t.exposeString('cluster', { description: 'The cluster whose sources were asked' }),
    source: t.exposeString('source', { nullable: true, description: 'restd, sacct or csv: what served the jobs' }),
    jobCount: t.exposeInt('jobCount'),
    status: t.exposeString('status', {
      description: 'running, ok, failed, or partial: the jobs seen were stored, but the run does not count as covering its window',
    }),
    trigger: t.exposeString('trigger'),
    rangeFrom: t.field({ type: 'DateTime', resolve: (r) => r.rangeFrom }),
    rangeTo: t.field({ type: 'DateTime', resolve: (r) => r.rangeTo }),
    startedAt: t.field({ type: 'DateTime', resolve: (r) => r.startedAt }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.finishedAt }),
    // Reasons can name hosts, paths and Slurm's error output: for staff only.
    error: t.exposeString('error', { nullable: true, authScopes: { staff: true } }),
    attempts: t.field({ type: [AttemptRef], authScopes: { staff: true }, resolve: (r) => JSON.parse(r.attempts) }),
    partialReason: t.exposeString('partialReason', {
      nullable: true,
      authScopes: { staff: true },
      description: 'Why a partial run saw only part of the window (e.g. the Slurm account sees only its own jobs)',
    }),
  }),
});

builder.queryField('dataSource', (t) =>
  t.field({
    type: SyncRunRef,
    nullable: true,
    authScopes: { loggedIn: true },
    description: 'The sync that last filled the ledger (covering the range, when one is given; of the cluster, when one is named): which source served it, and when',
    args: { from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }), cluster: t.arg.string() },
    resolve: (_root, { from, to, cluster }, ctx) => ctx.services.sync.latest({ from, to }, cluster),
  }),
);

builder.mutationField('syncJobs', (t) =>
  t.field({
    type: [SyncRunRef],
    authScopes: { admin: true },
    description:
      'Fill the ledger from Slurm for a window now: the cluster named, or every configured cluster one after the other, a run each. ' +
      'A cluster whose sources fail has its failed run in the answer; only when every run failed is the answer SLURM_UNAVAILABLE',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime' }),
      cluster: t.arg.string({ description: 'One configured cluster; all of them when absent' }),
    },
    resolve: (_root, { from, to, cluster }, ctx) => ctx.services.sync.run(from, to ?? new Date(), ctx.meta, cluster),
  }),
);

const SyncProgressRef = builder.objectRef<SyncProgressEvent>('SyncProgress').implement({
  description: 'How far a running sync has got: sent after each chunk of its window, and while one is being stored',
  fields: (t) => ({
    trigger: t.exposeString('trigger', { description: 'interval, startup, admin or cli' }),
    cluster: t.exposeString('cluster', { description: 'The cluster being synced' }),
    from: t.expose('from', { type: 'DateTime', description: 'The window the run covers' }),
    to: t.expose('to', { type: 'DateTime' }),
    chunksDone: t.exposeInt('chunksDone'),
    chunksTotal: t.exposeInt('chunksTotal'),
    chunksFailed: t.exposeInt('chunksFailed'),
    jobsStored: t.exposeInt('jobsStored'),
    jobsPerSecond: t.exposeInt('jobsPerSecond'),
    etaSeconds: t.exposeInt('etaSeconds', { nullable: true, description: 'The time left at the pace so far; null before the first chunk ends and after the last' }),
    chunkFrom: t.expose('chunkFrom', { type: 'DateTime', description: 'The chunk this report is about' }),
    chunkTo: t.expose('chunkTo', { type: 'DateTime' }),
    chunkStatus: t.exposeString('chunkStatus', { nullable: true, description: 'ok, partial or failed once the chunk has ended; null while it is stored' }),
    source: t.exposeString('source', { nullable: true, description: 'restd, sacct or csv: what served the chunk' }),
  }),
});

builder.subscriptionField('syncProgress', (t) =>
  t.field({
    type: SyncProgressRef,
    authScopes: { staff: true },
    description: 'The progress of every sync as it runs: the interval one and an admin’s syncJobs alike',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('syncProgress'),
    resolve: (event) => event,
  }),
);
