import { Prisma } from '../generated/prisma/client.ts';
import type { Db } from '../db/client.ts';
import type { RateValues } from './cost.ts';
import { addFractions, frac, mulRate, parseRate, toSatang } from './money.ts';

/** Which ledger jobs a view covers. Only finished jobs (with an end) count as usage. */
export interface UsageFilter {
  user?: string | null;
  account?: string | null;
  partition?: string | null;
  endedAfter?: Date | null;
  endedBefore?: Date | null;
  /** true: only jobs on a receipt; false: only unbilled jobs; absent: both */
  billed?: boolean | null;
}

export const USAGE_GROUPS = ['user', 'month', 'account', 'partition', 'tier'] as const;
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

// Dates are stored as ISO text by the SQLite adapter; the same format compares correctly as text.
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

export function jobWhere(f: UsageFilter): Prisma.JobRecordWhereInput {
  return {
    user: f.user ?? undefined,
    account: f.account ?? undefined,
    partition: f.partition ?? undefined,
    end: { not: null, gte: f.endedAfter ?? undefined, lt: f.endedBefore ?? undefined },
    receiptItem: f.billed === true ? { isNot: null } : f.billed === false ? { is: null } : undefined,
  };
}

function sqlWhere(f: UsageFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`j."end" IS NOT NULL`];
  if (f.user) parts.push(Prisma.sql`j."user" = ${f.user}`);
  if (f.account) parts.push(Prisma.sql`j."account" = ${f.account}`);
  if (f.partition) parts.push(Prisma.sql`j."partition" = ${f.partition}`);
  if (f.endedAfter) parts.push(Prisma.sql`j."end" >= ${iso(f.endedAfter)}`);
  if (f.endedBefore) parts.push(Prisma.sql`j."end" < ${iso(f.endedBefore)}`);
  if (f.billed === true) parts.push(Prisma.sql`ri."id" IS NOT NULL`);
  if (f.billed === false) parts.push(Prisma.sql`ri."id" IS NULL`);
  return Prisma.join(parts, ' AND ');
}

const GROUP_SQL: Record<UsageGroup, Prisma.Sql> = {
  user: Prisma.sql`j."user"`,
  month: Prisma.sql`substr(j."end", 1, 7)`,
  account: Prisma.sql`j."account"`,
  partition: Prisma.sql`j."partition"`,
  tier: Prisma.empty,
};

export function priceSums(s: Pick<UsageSums, 'cpuSeconds' | 'gpuSeconds' | 'memMiBSeconds'>, rate: RateValues) {
  return toSatang(
    addFractions(
      mulRate(frac(s.cpuSeconds, 3600), parseRate(rate.cpuPerHour)),
      mulRate(frac(s.gpuSeconds, 3600), parseRate(rate.gpuPerHour)),
      mulRate(frac(s.memMiBSeconds, 3600 * 1024), parseRate(rate.memGBPerHour)),
    ),
  );
}

/**
 * Totals computed by the database: it sums unit-seconds per group (and per tier, since each tier
 * has its own price); only the handful of resulting rows are priced here, exactly.
 */
export async function usageBuckets(db: Db, filter: UsageFilter, groupBy: readonly UsageGroup[], defaultTier = 'mu'): Promise<UsageBucket[]> {
  const groups = [...new Set(groupBy)];
  // Someone Slurm knows but who never logged in is priced at the tier they would get at first login.
  const tierSql = Prisma.sql`COALESCE(u."tier", ${defaultTier})`;
  const groupSql = (g: UsageGroup) => (g === 'tier' ? tierSql : GROUP_SQL[g]);
  const selectGroups = groups.map((g) => Prisma.sql`${groupSql(g)} AS ${Prisma.raw(`"g_${g}"`)}`);
  const groupCols = [...groups.map(groupSql), tierSql];
  const rows = await db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT ${Prisma.join([...selectGroups, Prisma.sql`${tierSql} AS "rate_tier"`], ', ')},
      COUNT(*) AS "jobs",
      SUM(j."elapsedSeconds") AS "elapsed",
      SUM(CAST(j."cpus" AS INTEGER) * j."elapsedSeconds") AS "cpuSec",
      SUM(CAST(j."gpus" AS INTEGER) * j."elapsedSeconds") AS "gpuSec",
      SUM(CAST(j."memMiB" AS INTEGER) * j."elapsedSeconds") AS "memSec"
    FROM "JobRecord" j
    LEFT JOIN "User" u ON u."username" = j."user"
    LEFT JOIN "ReceiptItem" ri ON ri."billingKey" = j."key"
    WHERE ${sqlWhere(filter)}
    GROUP BY ${Prisma.join(groupCols, ', ')}
    ORDER BY ${Prisma.join(groupCols, ', ')}`;
  const rates = new Map((await db.rate.findMany()).map((r) => [r.tier, r]));
  const out = new Map<string, UsageBucket>();
  for (const r of rows) {
    const key = Object.fromEntries(groups.map((g) => [g, (r[`g_${g}`] as string | null) ?? null]));
    const id = JSON.stringify(key);
    const sums: UsageSums = {
      jobs: Number(r.jobs),
      elapsedSeconds: Number(r.elapsed ?? 0),
      cpuSeconds: BigInt((r.cpuSec as number | bigint | null) ?? 0),
      gpuSeconds: BigInt((r.gpuSec as number | bigint | null) ?? 0),
      memMiBSeconds: BigInt((r.memSec as number | bigint | null) ?? 0),
    };
    const rate = rates.get(String(r.rate_tier));
    const cost = rate ? priceSums(sums, rate) : 0n;
    const prev = out.get(id);
    if (prev) {
      prev.sums.jobs += sums.jobs;
      prev.sums.elapsedSeconds += sums.elapsedSeconds;
      prev.sums.cpuSeconds += sums.cpuSeconds;
      prev.sums.gpuSeconds += sums.gpuSeconds;
      prev.sums.memMiBSeconds += sums.memMiBSeconds;
      prev.costSatang += cost;
    } else {
      out.set(id, { key, sums, costSatang: cost });
    }
  }
  return [...out.values()];
}

export async function usageTotals(db: Db, filter: UsageFilter, defaultTier = 'mu'): Promise<UsageBucket> {
  const [b] = await usageBuckets(db, filter, [], defaultTier);
  return b ?? { key: {}, sums: { jobs: 0, elapsedSeconds: 0, cpuSeconds: 0n, gpuSeconds: 0n, memMiBSeconds: 0n }, costSatang: 0n };
}

/** Opaque cursor over the ledger's order (end desc, key asc). */
export const encodeCursor = (end: Date | null, key: string) =>
  Buffer.from(JSON.stringify([end?.getTime() ?? null, key])).toString('base64url');

export function decodeCursor(cursor: string): { end: Date; key: string } | null {
  try {
    const [t, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof t !== 'number' || typeof key !== 'string') return null;
    return { end: new Date(t), key };
  } catch {
    return null;
  }
}

export async function listJobs(db: Db, filter: UsageFilter, first: number, after?: string | null) {
  const where = jobWhere(filter);
  let page: Prisma.JobRecordWhereInput = where;
  if (after) {
    const c = decodeCursor(after);
    if (!c) throw new Error('the cursor is not one this server gave out');
    page = { AND: [where, { OR: [{ end: { lt: c.end } }, { end: c.end, key: { gt: c.key } }] }] };
  }
  const rows = await db.jobRecord.findMany({
    where: page,
    orderBy: [{ end: 'desc' }, { key: 'asc' }],
    take: first + 1,
    include: { receiptItem: { select: { receiptId: true } } },
  });
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, hasNextPage, endCursor: last ? encodeCursor(last.end, last.key) : null };
}
