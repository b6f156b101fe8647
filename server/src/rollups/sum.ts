import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { calendarOf, rollupZone } from './levels.ts';
import { type KeyedWindow, type PlanMode, planParts, type RollupLevel } from './plan.ts';
import { ROLLUP_SUMS } from './store.ts';

const TABLE: Record<RollupLevel, string> = {
  slot: '"UsageRollup"',
  day: '"UsageRollupDay"',
  month: '"UsageRollupMonth"',
  dayDim: '"UsageMarginalDay"',
  monthDim: '"UsageMarginalMonth"',
};

/** The group fields every rollup row carries (the day rows all but the user). */
export const ROLLUP_FIELDS = ['user', 'account', 'partition', 'tier', 'cluster', 'state'] as const;
export type RollupField = (typeof ROLLUP_FIELDS)[number];

/** What to sum: the columns to group by (a field, or the local month), and the rows to keep. */
export interface RollupSelect {
  groups: ReadonlyArray<{ name: string; of: RollupField | 'month'; nullIfEmpty?: boolean }>;
  filter: Partial<Record<RollupField, string | null | undefined>>;
  billed?: boolean | null;
}

/** The start of the local month (of the rollup zone) a row of each level falls in. */
const MONTH_OF: Record<RollupLevel, Prisma.Sql> = {
  month: Prisma.sql`r."bucket"`,
  monthDim: Prisma.sql`r."bucket"`,
  day: Prisma.sql`(SELECT c."month" FROM "RollupCalendar" c WHERE c."day" = r."bucket")`,
  dayDim: Prisma.sql`(SELECT c."month" FROM "RollupCalendar" c WHERE c."day" = r."bucket")`,
  slot: calendarOf(Prisma.sql`r."bucket"`, 'month'),
};

const marginalLevel = (level: RollupLevel) => level === 'dayDim' || level === 'monthDim';

/**
 * Sums the rollups over each window, per window key (`t`, zero-padded so that it sorts as a
 * number) and group, on the reader: the aggregate columns bucketsOf reads, ordered by key then
 * groups, at most `limit` rows. Each window is split over the levels that answer it exactly
 * (planParts); a query of at most one field reads the marginal rows of that field.
 */
export async function sumRollups(db: Db, windows: readonly KeyedWindow[], select: RollupSelect, limit: number) {
  const filtered = ROLLUP_FIELDS.filter((f) => select.filter[f] != null && select.filter[f] !== '');
  const fields = new Set<RollupField>([...filtered, ...select.groups.flatMap((g) => (g.of === 'month' ? [] : [g.of]))]);
  const mode: PlanMode = fields.size <= 1 ? 'marginal' : fields.has('user') ? 'user' : 'noUser';
  const dim = [...fields][0] ?? '';
  const parts = planParts(windows, await rollupZone(db), mode);

  const column = (level: RollupLevel, field: RollupField) => Prisma.raw(marginalLevel(level) ? 'r."value"' : `r."${field}"`);
  const text = (ms: number | null, open: string) => (ms === null ? open : dialect.instant(new Date(ms)));
  const branches: Prisma.Sql[] = [];
  const ranges: Prisma.Sql[] = [];
  for (const level of Object.keys(TABLE) as RollupLevel[]) {
    const mine = parts.filter((p) => p.level === level);
    if (mine.length === 0) continue;
    const name = Prisma.raw(`"p_${level}"`);
    // Materialized: the ends are read once from the JSON, not again for every row compared with them.
    ranges.push(
      Prisma.sql`${name} AS MATERIALIZED ${dialect.keyedRanges(mine.map((p) => [String(p.key).padStart(16, '0'), text(p.from, dialect.earliest), text(p.to, dialect.latest)]))}`,
    );
    const cols = select.groups.map((g) => {
      const value = g.of === 'month' ? MONTH_OF[level] : column(level, g.of);
      return Prisma.sql`${g.nullIfEmpty ? Prisma.sql`NULLIF(${value}, '')` : value} AS ${Prisma.raw(`"g_${g.name}"`)}`;
    });
    const where: Prisma.Sql[] = filtered.map((f) => Prisma.sql`${column(level, f)} = ${select.filter[f]!}`);
    if (marginalLevel(level)) where.push(Prisma.sql`r."dim" = ${dim}`);
    if (select.billed === true) where.push(Prisma.sql`r."billed"`);
    if (select.billed === false) where.push(Prisma.sql`NOT r."billed"`);
    // CROSS JOIN keeps the parts the outer loop (SQLite does not reorder it), so each part is one range of an index
    // on the bucket: `(user, bucket)` when a user is asked for, `(dim, bucket)` for the marginal rows. PostgreSQL's
    // CROSS JOIN takes no ON; its planner picks the order itself.
    const join = Prisma.raw(dialect.name === 'postgresql' ? 'JOIN' : 'CROSS JOIN');
    branches.push(Prisma.sql`
      SELECT ${Prisma.join([Prisma.sql`p."k" AS "t"`, ...cols], ', ')},
        r."jobs", r."elapsedSec", r."cpuSec", r."gpuSec", r."memMiBSec", r."costSatang", r."cpuCostSatang", r."gpuCostSatang"
      FROM ${name} p ${join} ${Prisma.raw(TABLE[level])} r ON r."bucket" >= p."s" AND r."bucket" < p."e"
      WHERE ${Prisma.join(where.length ? where : [Prisma.sql`1 = 1`], ' AND ')}`);
  }
  if (branches.length === 0) return [];
  const keys = [Prisma.raw('"t"'), ...select.groups.map((g) => Prisma.raw(`"g_${g.name}"`))];
  const query = (sums: Prisma.Sql) =>
    readQuery(
      db,
      Prisma.sql`
      WITH ${Prisma.join(ranges, ', ')}
      SELECT ${Prisma.join(keys, ', ')}, 1 AS "one", ${sums}
      FROM (${Prisma.join(branches, ' UNION ALL ')}) r
      GROUP BY ${Prisma.join(keys, ', ')}
      ORDER BY ${Prisma.join(keys, ', ')}
      LIMIT ${limit}`,
    );
  // Plain sums are exact or fail; only a sum past 64 bits (centuries of the largest jobs) needs the split ones.
  return query(PLAIN_SUMS).catch((error) => {
    if (!dialect.isOverflow(error)) throw error;
    return query(ROLLUP_SUMS);
  });
}

/** ROLLUP_SUMS without the split: each sum in its `_lo` column, which joinSplit reads alone when there is no `_hi`. */
const PLAIN_SUMS = Prisma.sql`SUM(r."jobs") AS "jobs", SUM(r."elapsedSec") AS "elapsed", SUM(r."cpuSec") AS "cpuSec_lo",
      SUM(r."gpuSec") AS "gpuSec_lo", SUM(r."memMiBSec") AS "memSec_lo", SUM(r."costSatang") AS "cost_lo",
      SUM(r."cpuCostSatang") AS "cpuCost_lo", SUM(r."gpuCostSatang") AS "gpuCost_lo"`;
