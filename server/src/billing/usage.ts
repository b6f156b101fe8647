import { Prisma, type Rate } from '../generated/prisma/client.ts';
import type { Db, Tx } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { calendarOf, labelMonths, rollupZone } from '../rollups/levels.ts';
import { badInput, DomainError } from '../errors.ts';
import { parseRate } from '@hpc-accounting/pricing/money';
import { type RateOverride, specificity } from './rate-rules.ts';

/** Which ledger jobs a view covers. Only finished jobs (with an end) count as usage. */
export interface UsageFilter {
  user?: string | null;
  account?: string | null;
  partition?: string | null;
  cluster?: string | null;
  endedAfter?: Date | null;
  endedBefore?: Date | null;
  /** true: only jobs on a receipt; false: only unbilled jobs; absent: both */
  billed?: boolean | null;
}

export const USAGE_GROUPS = ['user', 'month', 'account', 'partition', 'tier', 'cluster'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

export interface UsageSums {
  jobs: number;
  elapsedSeconds: number;
  cpuSeconds: bigint;
  gpuSeconds: bigint;
  memMiBSeconds: bigint;
}

export interface UsageBucket {
  key: Partial<Record<UsageGroup, string | null>>;
  sums: UsageSums;
  /** Exact sum at each job owner's current tier rate, rounded once. */
  costSatang: bigint;
}

const iso = (d: Date) => dialect.instant(d);

export function jobWhere(f: UsageFilter): Prisma.JobRecordWhereInput {
  return {
    user: f.user ?? undefined,
    account: f.account ?? undefined,
    partition: f.partition ?? undefined,
    cluster: f.cluster ?? undefined,
    end: { not: null, gte: f.endedAfter ?? undefined, lt: f.endedBefore ?? undefined },
    receiptItem: f.billed === true ? { isNot: null } : f.billed === false ? { is: null } : undefined,
  };
}

function sqlWhere(f: UsageFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`j."end" IS NOT NULL`];
  if (f.user) parts.push(Prisma.sql`j."user" = ${f.user}`);
  if (f.account) parts.push(Prisma.sql`j."account" = ${f.account}`);
  if (f.partition) parts.push(Prisma.sql`j."partition" = ${f.partition}`);
  if (f.cluster) parts.push(Prisma.sql`j."cluster" = ${f.cluster}`);
  if (f.endedAfter) parts.push(Prisma.sql`j."end" >= ${iso(f.endedAfter)}`);
  if (f.endedBefore) parts.push(Prisma.sql`j."end" < ${iso(f.endedBefore)}`);
  if (f.billed === true) parts.push(Prisma.sql`ri."id" IS NOT NULL`);
  if (f.billed === false) parts.push(Prisma.sql`ri."id" IS NULL`);
  return Prisma.join(parts, ' AND ');
}

// `tier` is not here: it depends on the default tier of the query (see usageBuckets).
// A function, as the dialect is known once the database is open. On PostgreSQL both sides of the COALESCE are
// timestamps (the UTC month's start where the calendar has no day), labelled as months by labelMonths.
const GROUP_SQL = (): Record<Exclude<UsageGroup, 'tier'>, Prisma.Sql> => ({
  user: Prisma.sql`j."user"`,
  // The local month of the rollup zone, from the calendar the rollups keep for every finished job's day (UTC where it has none).
  month: Prisma.sql`COALESCE(${calendarOf(Prisma.sql`j."end"`, 'month')}, ${
    dialect.name === 'postgresql' ? Prisma.sql`date_trunc('month', j."end")` : dialect.monthOf(Prisma.sql`j."end"`)
  })`,
  account: Prisma.sql`j."account"`,
  partition: Prisma.sql`j."partition"`,
  cluster: Prisma.sql`j."cluster"`,
});

// Satang of one job, exactly as costOfUnits computes it, in 64-bit integers:
// satang = round(secs × U / D) with U = cpus·1024·cpuRate + gpus·1024·gpuRate + MiB·memRate (µTHB)
// and D = 3600 s × 1024 MiB × 10⁴ µTHB per satang; split as q·secs + round(r·secs / D) so that no
// intermediate leaves 64 bits for any realistic job (a year of 10⁵ CPUs at 1000 THB/h).
const D = 3600n * 1024n * 10_000n;

/**
 * Each job's value fits 64 bits (LARGEST_JOB), but a sum over many need not, and SQLite's SUM fails
 * on overflow: sum the quotient and the remainder by 10⁹ apart (each sum fits for billions of jobs)
 * and join them exactly in BigInt.
 */
const SPLIT = 1_000_000_000n;

/** Most groups one usage answer holds (every list the API answers is bounded). */
export const MAX_BUCKETS = 10_000;
const SPLIT_SUMS: Array<[string, Prisma.Sql]> = [
  ['cpuSec', Prisma.sql`"cpus" * "secs"`],
  ['gpuSec', Prisma.sql`"gpus" * "secs"`],
  ['memSec', Prisma.sql`"mem" * "secs"`],
  ['cost', Prisma.sql`"cost"`],
];
export const splitSum = (name: string, expr: Prisma.Sql) =>
  Prisma.sql`SUM((${expr}) / ${Prisma.raw(SPLIT.toString())}) AS ${Prisma.raw(`"${name}_hi"`)}, SUM((${expr}) % ${Prisma.raw(SPLIT.toString())}) AS ${Prisma.raw(`"${name}_lo"`)}`;
export const joinSplit = (row: Record<string, unknown>, name: string) =>
  BigInt((row[`${name}_hi`] as number | bigint | null) ?? 0) * SPLIT + BigInt((row[`${name}_lo`] as number | bigint | null) ?? 0);

/**
 * The tier a job is priced at: its Slurm account's when an admin set one, else its owner's, or the one someone Slurm
 * knows but who never logged in would get. Reads `acct` and `u`, which pricedJobs joins.
 */
export const tierSql = (defaultTier: string) => Prisma.sql`COALESCE(acct."tier", u."tier", ${defaultTier})`;

/** Pricing other than the ledger's now, for a preview of a change: other rates, or every job's owner on one tier (an account's own tier still wins). */
export interface WhatIf {
  rates?: ReadonlyArray<Pick<Rate, 'tier' | 'cpuPerHour' | 'gpuPerHour' | 'memGBPerHour'>>;
  tier?: string;
}

/**
 * Every finished job matching `where` as one row of a subquery: the `columns` asked for, its
 * quantities (`secs`, `cpus`, `gpus`, `mem`), whether it is billed, and `cost`, its satang: as its
 * receipt billed it, else at the current rate of its tier, exactly as costOfUnits computes it, in
 * 64-bit integers. `with` must open the statement that uses `from`; `source` may join the jobs (`j`) to
 * a table that picks them. With `components`, also `cpuCost` and `gpuCost`, the CPU and GPU shares of `cost`.
 */
// SQLite's INTEGER is 64 bits, PostgreSQL's 32: µTHB products need BIGINT there. PostgreSQL also wants every
// subquery in FROM named, and a boolean where SQLite takes 0.
const int = () => Prisma.raw(dialect.name === 'postgresql' ? 'BIGINT' : 'INTEGER');
const no = () => Prisma.raw(dialect.name === 'postgresql' ? 'false' : '0');
const alias = (name: string) => (dialect.name === 'postgresql' ? Prisma.raw(` AS "${name}"`) : Prisma.empty);

export async function pricedJobs(
  db: Db | Tx,
  defaultTier: string,
  where: Prisma.Sql,
  columns: Prisma.Sql[],
  source = Prisma.sql`"JobRecord" j`,
  components = false,
  what: WhatIf = {},
) {
  const rates = what.rates ?? (await db.rate.findMany());
  const overrides = await activeOverrides(db);
  const text = Prisma.raw('TEXT');
  const micros = (v: string) => Prisma.sql`CAST(${parseRate(v).toString()} AS ${int()})`;
  // The tiers' own rates under ids of their own below zero, the overrides in force under theirs.
  const rows = [
    ...rates.map(
      (r, i) =>
        Prisma.sql`SELECT ${-1 - i} AS "id", ${r.tier} AS "tier", CAST(NULL AS ${text}) AS "partition", CAST(NULL AS ${text}) AS "gpuType", 0 AS "spec", ${micros(r.cpuPerHour)} AS "rc", ${micros(r.gpuPerHour)} AS "rg", ${micros(r.memGBPerHour)} AS "rm"`,
    ),
    ...overrides.map(
      (o) =>
        Prisma.sql`SELECT ${o.id} AS "id", ${o.tier} AS "tier", CAST(${o.partition} AS ${text}) AS "partition", CAST(${o.gpuType} AS ${text}) AS "gpuType", ${specificity(o)} AS "spec", ${micros(o.cpuPerHour)} AS "rc", ${micros(o.gpuPerHour)} AS "rg", ${micros(o.memGBPerHour)} AS "rm"`,
    ),
  ];
  const rateRows = rows.length === 0 ? Prisma.sql`SELECT NULL AS "id", NULL AS "tier", NULL AS "partition", NULL AS "gpuType", 0 AS "spec", 0 AS "rc", 0 AS "rg", 0 AS "rm" WHERE ${no()}` : Prisma.join(rows, ' UNION ALL ');
  const d = Prisma.raw(D.toString());
  // A what-if tier stands for the owners' tier: a job in an account priced at a tier of its own keeps that one.
  const tier = what.tier !== undefined ? Prisma.sql`COALESCE(acct."tier", ${what.tier})` : tierSql(defaultTier);
  // Without overrides a job's rate is its tier's; with them, the most specific one that matches it (rate-rules.ts).
  const rateJoin =
    overrides.length === 0
      ? Prisma.sql`LEFT JOIN "rates" r ON r."tier" = ${tier}`
      : Prisma.sql`LEFT JOIN "rates" r ON r."id" = (
          SELECT x."id" FROM "rates" x
          WHERE x."tier" = ${tier}
            AND (x."partition" IS NULL OR x."partition" = j."partition")
            AND (x."gpuType" IS NULL OR j."allocTres" LIKE '%"gres/gpu:' || x."gpuType" || '"%')
          ORDER BY x."spec" DESC, x."id" ASC LIMIT 1)`;
  const round = (u: string) => Prisma.raw(`("${u}" / ${D}) * "secs" + (2 * ("${u}" % ${D}) * "secs" + ${D}) / (2 * ${D})`);
  // The CPU and GPU shares of a job's cost, each rounded as the whole is, at the rates it was (or would be) billed at;
  // the memory share is the rest, so the three always add up to the cost.
  const share = (count: string, billedRate: string, rate: string) =>
    Prisma.sql`CASE WHEN ri."id" IS NOT NULL THEN CAST(j.${Prisma.raw(`"${count}"`)} AS ${int()}) * 1024 * ${dialect.rateMicros(Prisma.raw(`ri."${billedRate}"`))}
                ELSE COALESCE(CAST(j.${Prisma.raw(`"${count}"`)} AS ${int()}) * 1024 * r.${Prisma.raw(`"${rate}"`)}, 0) END`;
  const inner = components ? Prisma.sql`, ${share('cpus', 'cpuPerHour', 'rc')} AS "Uc", ${share('gpus', 'gpuPerHour', 'rg')} AS "Ug"` : Prisma.empty;
  const outer = components ? Prisma.sql`, ${round('Uc')} AS "cpuCost", ${round('Ug')} AS "gpuCost"` : Prisma.empty;
  return {
    with: Prisma.sql`WITH "rates" AS (${rateRows})`,
    from: Prisma.sql`(
      SELECT *, CASE WHEN "billedCost" IS NOT NULL THEN "billedCost"
                ELSE ("U" / ${d}) * "secs" + (2 * ("U" % ${d}) * "secs" + ${d}) / (2 * ${d}) END AS "cost"${outer}
      FROM (
        SELECT ${Prisma.join([...columns, Prisma.sql`1 AS "one"`], ', ')},
          CAST(j."elapsedSeconds" AS ${int()}) AS "secs",
          CAST(j."cpus" AS ${int()}) AS "cpus",
          CAST(j."gpus" AS ${int()}) AS "gpus",
          CAST(j."memMiB" AS ${int()}) AS "mem",
          ri."id" IS NOT NULL AS "billed",
          ri."costSatang" AS "billedCost",
          COALESCE(CAST(j."cpus" AS ${int()}) * 1024 * r."rc" + CAST(j."gpus" AS ${int()}) * 1024 * r."rg" + CAST(j."memMiB" AS ${int()}) * r."rm", 0) AS "U"${inner}
        FROM ${source}
        LEFT JOIN "User" u ON u."username" = j."user"
        LEFT JOIN "SlurmAccount" acct ON acct."name" = j."account"
        LEFT JOIN "ReceiptItem" ri ON ri."billingKey" = j."key"
        ${rateJoin}
        WHERE ${where}
      )${alias('p')}
    )${alias('q')}`,
  };
}

/**
 * Totals computed by the database: each job's cost rounded to the satang (at the rate of its
 * owner's tier now, or as its receipt billed it), then summed per group. A total therefore always
 * equals the sum of the per-job costs shown beside it, and a receipt's total the sum of its items.
 */
export function usageBuckets(db: Db | Tx, filter: UsageFilter, groupBy: readonly UsageGroup[], defaultTier = 'mu'): Promise<UsageBucket[]> {
  return bucketsWhere(db, sqlWhere(filter), groupBy, defaultTier);
}

/** usageBuckets of the jobs `where` picks, a condition on the jobs (`j`) and their receipt items (`ri`). */
async function bucketsWhere(
  db: Db | Tx,
  where: Prisma.Sql,
  groupBy: readonly UsageGroup[],
  defaultTier: string,
  what?: WhatIf,
): Promise<UsageBucket[]> {
  const groups = [...new Set(groupBy)];
  const groupSql = (g: UsageGroup) => (g === 'tier' ? tierSql(defaultTier) : GROUP_SQL()[g]);
  const priced = await pricedJobs(db, defaultTier, where, groups.map((g) => Prisma.sql`${groupSql(g)} AS ${Prisma.raw(`"g_${g}"`)}`), undefined, false, what);
  const outerGroups = groups.map((g) => Prisma.raw(`"g_${g}"`));
  const rows = await readQuery(db, Prisma.sql`
    ${priced.with}
    SELECT ${Prisma.join([...outerGroups, Prisma.sql`1 AS "one"`], ', ')},
      COUNT(*) AS "jobs",
      SUM("secs") AS "elapsed",
      ${Prisma.join(SPLIT_SUMS.map(([name, expr]) => splitSum(name, expr)), ',\n      ')}
    FROM ${priced.from}
    ${groups.length ? Prisma.sql`GROUP BY ${Prisma.join(outerGroups, ', ')} ORDER BY ${Prisma.join(outerGroups, ', ')}` : Prisma.empty}
    LIMIT ${MAX_BUCKETS + 1}`);
  return groups.includes('month') ? labelMonths(bucketsOf(rows, groups), await rollupZone(db)) : bucketsOf(rows, groups);
}

/**
 * The unbilled finished jobs of each of these users (a bucket per user who has any), priced as usageBuckets prices
 * them (or, with `asTier`, as if they were all on that tier): one statement for a whole Slurm account's users.
 */
export function unbilledByUser(db: Db | Tx, users: readonly string[], defaultTier = 'mu', asTier?: string): Promise<UsageBucket[]> {
  if (users.length === 0) return Promise.resolve([]);
  return bucketsWhere(db, Prisma.sql`j."end" IS NOT NULL AND ri."id" IS NULL AND j."user" IN ${dialect.valuesOf(users)}`, ['user'], defaultTier, { tier: asTier });
}

/**
 * The unbilled finished jobs priced at this tier (their owner's, or the default for someone without a row), as one
 * bucket: at the ledger's rates, or at `rates` given instead.
 */
export async function unbilledOfTier(
  db: Db | Tx,
  tier: string,
  defaultTier = 'mu',
  rates?: WhatIf['rates'],
): Promise<UsageBucket | undefined> {
  const [bucket] = await bucketsWhere(db, Prisma.sql`j."end" IS NOT NULL AND ri."id" IS NULL AND ${tierSql(defaultTier)} = ${tier}`, [], defaultTier, { rates });
  return bucket;
}

/** No jobs at all: what a total of nothing is. */
const asKey = (v: unknown) => (v instanceof Date ? v.toISOString() : ((v as string | null) ?? null));

export const EMPTY_BUCKET: UsageBucket = { key: {}, sums: { jobs: 0, elapsedSeconds: 0, cpuSeconds: 0n, gpuSeconds: 0n, memMiBSeconds: 0n }, costSatang: 0n };

/**
 * Usage buckets from aggregate rows with the columns `g_<group>`, `jobs`, `elapsed` and the split sums
 * `cpuSec`, `gpuSec`, `memSec`, `cost`, whether the jobs or the rollups were summed; more than
 * MAX_BUCKETS rows is refused.
 */
export function bucketsOf(rows: Array<Record<string, unknown>>, groups: readonly UsageGroup[]): UsageBucket[] {
  if (rows.length > MAX_BUCKETS) {
    throw new DomainError('TOO_COMPLEX', `this grouping has more than ${MAX_BUCKETS} groups: narrow the filter or group by fewer fields`, { maxBuckets: MAX_BUCKETS });
  }
  return rows
    .filter((r) => Number(r.jobs ?? 0) > 0)
    .map((r) => ({
      // PostgreSQL answers a month's start as a Date: keys are text, as SQLite's are.
      key: Object.fromEntries(groups.map((g) => [g, asKey(r[`g_${g}`])])),
      sums: {
        jobs: Number(r.jobs),
        elapsedSeconds: Number(r.elapsed ?? 0),
        cpuSeconds: joinSplit(r, 'cpuSec'),
        gpuSeconds: joinSplit(r, 'gpuSec'),
        memMiBSeconds: joinSplit(r, 'memSec'),
      },
      costSatang: joinSplit(r, 'cost'),
    }));
}

export async function usageTotals(db: Db | Tx, filter: UsageFilter, defaultTier = 'mu'): Promise<UsageBucket> {
  const [b] = await usageBuckets(db, filter, [], defaultTier);
  return b ?? EMPTY_BUCKET;
}

/** Opaque cursor over the ledger's order (end desc, key asc). */
export const encodeCursor = (end: Date | null, key: string) =>
  Buffer.from(JSON.stringify([end?.getTime() ?? null, key])).toString('base64url');

export function decodeCursor(cursor: string): { end: Date; key: string } | null {
  try {
    const [t, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof t !== 'number' || !Number.isFinite(t) || typeof key !== 'string') return null;
    const end = new Date(t);
    return Number.isNaN(end.getTime()) ? null : { end, key };
  } catch {
    return null;
  }
}

export const JOB_SORTS = ['end', 'jobId', 'user', 'name', 'account', 'partition', 'state', 'elapsed'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

/** A job list's order: a column and a direction, ties by key. Absent: the ledger's order, newest first. */
export interface JobOrder {
  by: JobSort;
  direction: 'ASC' | 'DESC';
}

const JOB_COLUMNS: Record<JobSort, keyof Prisma.JobRecordOrderByWithRelationInput> = {
  end: 'end',
  jobId: 'jobId',
  user: 'user',
  name: 'name',
  account: 'account',
  partition: 'partition',
  state: 'state',
  elapsed: 'elapsedSeconds',
};

/** Most jobs an ordered list skips: past it, narrow the filter instead. */
export const MAX_JOB_OFFSET = 100_000;

const isLedgerOrder = (o?: JobOrder | null) => !o || (o.by === 'end' && o.direction === 'DESC');
const orderName = (o: JobOrder) => `${o.by}:${o.direction}`;

/** A cursor of an ordered list: how many jobs the pages so far showed, and the order it belongs to. */
export const encodeOffsetCursor = (o: JobOrder, offset: number) => Buffer.from(JSON.stringify({ o: orderName(o), n: offset })).toString('base64url');

function decodeOffsetCursor(cursor: string, o: JobOrder): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const c = parsed as { o?: unknown; n?: unknown } | null;
  if (!c || typeof c !== 'object' || typeof c.o !== 'string' || typeof c.n !== 'number') {
    throw badInput(`the cursor "${cursor.slice(0, 40)}" is not one this server gave out for orderBy ${orderName(o)}`);
  }
  if (c.o !== orderName(o)) throw badInput(`the cursor belongs to orderBy ${c.o}, not ${orderName(o)}: start again without after`);
  if (!Number.isInteger(c.n) || c.n < 0 || c.n > MAX_JOB_OFFSET) throw badInput(`a list ordered by ${o.by} pages at most ${MAX_JOB_OFFSET} jobs in: narrow the filter`);
  return c.n;
}

/**
 * A page of finished jobs. In the ledger's order (end desc, key asc) the cursor is the last job's place, so pages
 * stay right while jobs arrive; in another order it counts the jobs shown, and the list is paged by offset.
 */
export async function listJobs(db: Db, filter: UsageFilter, first: number, after?: string | null, order?: JobOrder | null) {
  const where = jobWhere(filter);
  if (!isLedgerOrder(order)) {
    const o = order!;
    const offset = after ? decodeOffsetCursor(after, o) : 0;
    const dir = o.direction === 'ASC' ? 'asc' : 'desc';
    const rows = await db.jobRecord.findMany({
      where,
      orderBy: [{ [JOB_COLUMNS[o.by]]: dir }, { key: 'asc' }],
      skip: offset,
      take: first + 1,
    });
    const hasNextPage = rows.length > first;
    const nodes = rows.slice(0, first);
    const cursors = nodes.map((_n, i) => encodeOffsetCursor(o, offset + i + 1));
    return { nodes, cursors, hasNextPage, endCursor: cursors[cursors.length - 1] ?? null };
  }
  let page: Prisma.JobRecordWhereInput = where;
  if (after) {
    const c = decodeCursor(after);
    if (!c) throw badInput(`the cursor "${after.slice(0, 40)}" is not one this server gave out`);
    page = { AND: [where, { OR: [{ end: { lt: c.end } }, { end: c.end, key: { gt: c.key } }] }] };
  }
  const rows = await db.jobRecord.findMany({
    where: page,
    orderBy: [{ end: 'desc' }, { key: 'asc' }],
    take: first + 1,
  });
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const cursors = nodes.map((n) => encodeCursor(n.end, n.key));
  return { nodes, cursors, hasNextPage, endCursor: cursors[cursors.length - 1] ?? null };
}

export const USAGE_MEASURES = ['jobs', 'elapsedHours', 'cpuHours', 'gpuHours', 'memGBHours', 'cost'] as const;
export type UsageMeasure = (typeof USAGE_MEASURES)[number];

const measureOf: Record<UsageMeasure, (b: UsageBucket) => bigint> = {
  jobs: (b) => BigInt(b.sums.jobs),
  elapsedHours: (b) => BigInt(b.sums.elapsedSeconds),
  cpuHours: (b) => b.sums.cpuSeconds,
  gpuHours: (b) => b.sums.gpuSeconds,
  memGBHours: (b) => b.sums.memMiBSeconds,
  cost: (b) => b.costSatang,
};

/** Buckets ordered by a measure (exactly, on the integer sums; ties keep the groups' order), then the first `limit`. */
export function topOf(buckets: UsageBucket[], order?: { by: UsageMeasure; direction?: 'ASC' | 'DESC' | null }, limit?: number) {
  let out = buckets;
  if (order) {
    const value = measureOf[order.by];
    const sign = order.direction === 'ASC' ? 1 : -1;
    out = [...buckets].sort((a, b) => {
      const d = value(a) - value(b);
      return d === 0n ? 0 : d > 0n ? sign : -sign;
    });
  }
  return limit === undefined ? out : out.slice(0, limit);
}

/** The overrides of tiers' rates in force (applied rules that name a partition or a GPU type). */
export async function activeOverrides(db: Db | Tx): Promise<RateOverride[]> {
  return db.rateRule.findMany({
    where: { appliedAt: { not: null }, OR: [{ partition: { not: null } }, { gpuType: { not: null } }] },
    select: { id: true, tier: true, partition: true, gpuType: true, cpuPerHour: true, gpuPerHour: true, memGBPerHour: true },
    orderBy: { id: 'asc' },
  });
}
