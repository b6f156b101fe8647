import { bucketsOf, MAX_BUCKETS, type UsageBucket, type UsageFilter, type UsageGroup } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { calendarOf, labelMonths, rollupZone } from './levels.ts';
import { planParts, type RollupLevel } from './plan.ts';
import { SLOT_MS } from './store.ts';
import { sumRollups } from './sum.ts';

const aligned = (d: Date | null | undefined) => d == null || d.getTime() % SLOT_MS === 0;

/** The start of the local month (of the rollup zone) a row of each level falls in. */
const MONTH_OF: Record<RollupLevel, Prisma.Sql> = {
  month: Prisma.sql`r."bucket"`,
  day: Prisma.sql`(SELECT c."month" FROM "RollupCalendar" c WHERE c."day" = r."bucket")`,
  slot: calendarOf(Prisma.sql`r."bucket"`, 'month'),
};

/**
 * The usage tables and job totals from the rollups, when the rollups can answer exactly: the
 * window's ends fall on quarter hours (a local day, week or month always does). Otherwise null,
 * and the caller sums the jobs themselves. Months are the rollup zone's (the server's TIME_ZONE).
 */
export async function usageFromRollups(db: Db, filter: UsageFilter, groupBy: readonly UsageGroup[]): Promise<UsageBucket[] | null> {
  if (!aligned(filter.endedAfter) || !aligned(filter.endedBefore)) return null;
  const groups = [...new Set(groupBy)];
  const column: Record<UsageGroup, (level: RollupLevel) => Prisma.Sql> = {
    user: () => Prisma.sql`r."user"`,
    month: (level) => MONTH_OF[level],
    account: () => Prisma.sql`NULLIF(r."account", '')`,
    partition: () => Prisma.sql`NULLIF(r."partition", '')`,
    tier: () => Prisma.sql`r."tier"`,
  };
  const where: Prisma.Sql[] = [];
  if (filter.user) where.push(Prisma.sql`r."user" = ${filter.user}`);
  if (filter.account) where.push(Prisma.sql`r."account" = ${filter.account}`);
  if (filter.partition) where.push(Prisma.sql`r."partition" = ${filter.partition}`);
  if (filter.billed === true) where.push(Prisma.sql`r."billed"`);
  if (filter.billed === false) where.push(Prisma.sql`NOT r."billed"`);
  const from = filter.endedAfter?.getTime() ?? null;
  const to = filter.endedBefore?.getTime() ?? null;
  if (from !== null && to !== null && from >= to) return [];
  const zone = await rollupZone(db);
  const parts = planParts([{ key: 0, from, to }], zone, !groups.includes('user') && !filter.user);
  const rows = await sumRollups(
    db,
    parts,
    groups.map((g) => ({ name: g, at: column[g] })),
    where,
    MAX_BUCKETS + 1,
  );
  return labelMonths(bucketsOf(rows, groups), zone);
}
