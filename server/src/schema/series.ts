import { formatSatang } from '@hpc-accounting/pricing/money';
import { builder } from '../builder.ts';
import { DomainError } from '../errors.ts';
import { bucketForInterval, SERIES_BUCKETS } from '../rollups/calendar.ts';
import { SERIES_GROUPS, type SeriesRow } from '../rollups/series.ts';
import { LEDGER_SCAN_COST } from './usage.ts';
import { TierEnum } from './user.ts';

const SeriesBucketEnum = builder.enumType('SeriesBucket', {
  description: 'A calendar bucket in the query’s time zone (weeks start on Monday)',
  values: SERIES_BUCKETS,
});
const SeriesGroupEnum = builder.enumType('SeriesGroup', { values: SERIES_GROUPS });

const SeriesFilterInput = builder.inputType('SeriesFilter', {
  description: 'Every field narrows the series',
  fields: (t) => ({
    user: t.string(),
    account: t.string(),
    partition: t.string(),
    tier: t.field({ type: TierEnum }),
    cluster: t.string(),
    state: t.string({ description: 'e.g. COMPLETED, FAILED, CANCELLED, TIMEOUT' }),
    billed: t.boolean({ description: 'true: only jobs on a receipt; false: only unbilled' }),
  }),
});

const hours = (seconds: bigint, per = 3600n) => Number(seconds) / Number(per);

/** A row as the API answers it, computed once: its fields are plain properties, the cheapest thing for GraphQL to read. */
interface SeriesRowOut {
  time: Date;
  user: string | null;
  account: string | null;
  partition: string | null;
  tier: string | null;
  cluster: string | null;
  state: string | null;
  jobs: number;
  elapsedHours: number;
  cpuHours: number;
  gpuHours: number;
  memGBHours: number;
  cost: string;
  costValue: number;
  cpuCost: string;
  gpuCost: string;
  memCost: string;
  cpuCostValue: number;
  gpuCostValue: number;
  memCostValue: number;
}

function rowOut(r: SeriesRow, none: string | null): SeriesRowOut {
  const mem = r.costSatang - r.cpuCostSatang - r.gpuCostSatang;
  const g = (k: keyof SeriesRow['group']) => (k in r.group ? (r.group[k] ?? none) : null);
  return {
    time: r.time,
    user: g('user'),
    account: g('account'),
    partition: g('partition'),
    tier: g('tier'),
    cluster: g('cluster'),
    state: g('state'),
    jobs: r.jobs,
    elapsedHours: hours(r.elapsedSeconds),
    cpuHours: hours(r.cpuSeconds),
    gpuHours: hours(r.gpuSeconds),
    memGBHours: hours(r.memMiBSeconds, 3600n * 1024n),
    cost: formatSatang(r.costSatang),
    costValue: Number(r.costSatang) / 100,
    cpuCost: formatSatang(r.cpuCostSatang),
    gpuCost: formatSatang(r.gpuCostSatang),
    memCost: formatSatang(mem),
    cpuCostValue: Number(r.cpuCostSatang) / 100,
    gpuCostValue: Number(r.gpuCostSatang) / 100,
    memCostValue: Number(mem) / 100,
  };
}

const SeriesRowRef = builder.objectRef<SeriesRowOut>('UsageSeriesRow').implement({
  description: 'One bucket of one group: flat, so Grafana and pandas read it as a row',
  fields: (t) => ({
    time: t.expose('time', { type: 'DateTime', description: 'Start of the bucket' }),
    user: t.exposeString('user', { nullable: true }),
    account: t.exposeString('account', { nullable: true }),
    partition: t.exposeString('partition', { nullable: true }),
    tier: t.exposeString('tier', { nullable: true }),
    cluster: t.exposeString('cluster', { nullable: true }),
    state: t.exposeString('state', { nullable: true }),
    jobs: t.exposeInt('jobs'),
    elapsedHours: t.exposeFloat('elapsedHours'),
    cpuHours: t.exposeFloat('cpuHours'),
    gpuHours: t.exposeFloat('gpuHours'),
    memGBHours: t.exposeFloat('memGBHours'),
    cost: t.expose('cost', { type: 'Decimal', description: 'Exact, in THB' }),
    costValue: t.exposeFloat('costValue', { description: 'The same cost as a number, for plotting' }),
    cpuCost: t.expose('cpuCost', { type: 'Decimal', description: 'The CPU share of cost: each job’s rounded as its cost is' }),
    gpuCost: t.expose('gpuCost', { type: 'Decimal', description: 'The GPU share of cost' }),
    memCost: t.expose('memCost', { type: 'Decimal', description: 'The memory share of cost: the rest, so that the three add up to cost exactly' }),
    cpuCostValue: t.exposeFloat('cpuCostValue', { description: 'cpuCost as a number, for plotting' }),
    gpuCostValue: t.exposeFloat('gpuCostValue', { description: 'gpuCost as a number, for plotting' }),
    memCostValue: t.exposeFloat('memCostValue', { description: 'memCost as a number, for plotting' }),
  }),
});

builder.queryField('usageSeries', (t) =>
  t.field({
    type: [SeriesRowRef],
    authScopes: { loggedIn: true },
    description:
      'Usage of finished jobs (by end time) per calendar bucket, sorted by time: a user sees their own jobs (and a whole Slurm account’s when the filter names one they coordinate), staff everyone’s. ' +
      'Buckets cover the window whole: the first holds `from`, the last the instant before `to`.',
    extensions: { cost: LEDGER_SCAN_COST },
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      bucket: t.arg({ type: SeriesBucketEnum, description: 'DAY unless intervalMs is given' }),
      intervalMs: t.arg.float({ description: "Grafana's $__interval_ms: the smallest calendar bucket at least this long" }),
      groupBy: t.arg({ type: [SeriesGroupEnum], defaultValue: [] }),
      filter: t.arg({ type: SeriesFilterInput }),
      timeZone: t.arg.string({ description: 'IANA zone for days, weeks and months; the server’s TIME_ZONE by default' }),
      fillZeros: t.arg.boolean({ defaultValue: false, description: 'A row of zeros for every bucket a group has no jobs in' }),
      noneLabel: t.arg.string({
        description: 'Shown instead of null where a job has no account or partition (Wild GraphQL cannot label a series null)',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = ctx.viewer!;
      const filter = { ...(args.filter ?? {}) };
      const manages = filter.account ? (await ctx.loaders.managedAccounts.load(viewer.username)).includes(filter.account) : false;
      if (viewer.role === 'user' && !manages) {
        if (filter.user && filter.user !== viewer.username) throw new DomainError('FORBIDDEN', 'You can only see your own usage');
        filter.user = viewer.username;
      }
      const bucket = args.bucket ?? (args.intervalMs != null ? bucketForInterval(args.intervalMs) : 'DAY');
      const rows = await ctx.services.series({
        from: args.from,
        to: args.to,
        bucket,
        timeZone: args.timeZone ?? ctx.config.timeZone,
        groupBy: args.groupBy ?? [],
        filter,
        fillZeros: args.fillZeros ?? false,
        maxRows: ctx.config.seriesMaxRows,
      });
      return rows.map((r) => rowOut(r, args.noneLabel ?? null));
    },
  }),
);
