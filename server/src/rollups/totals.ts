import { bucketsOf, MAX_BUCKETS, type UsageBucket, type UsageFilter, type UsageGroup } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { ROLLUP_SUMS, SLOT_MS } from './store.ts';

const aligned = (d: Date | null | undefined) => d == null || d.getTime() % SLOT_MS === 0;

/**
 * The usage tables and job totals from the rollups, when the rollups can answer exactly: the
 * window's ends fall on quarter hours (a local day, week or month always does). Otherwise null,
 * and the caller sums the jobs themselves.
 */
export async function usageFromRollups(db: Db, filter: UsageFilter, groupBy: readonly UsageGroup[]): Promise<UsageBucket[] | null> {
  if (!aligned(filter.endedAfter) || !aligned(filter.endedBefore)) return null;
  const groups = [...new Set(groupBy)];
  const column: Record<UsageGroup, Prisma.Sql> = {
    user: Prisma.sql`r."user"`,
    month: dialect.monthOf(Prisma.sql`r."bucket"`),
    account: Prisma.sql`NULLIF(r."account", '')`,
    partition: Prisma.sql`NULLIF(r."partition", '')`,
    tier: Prisma.sql`r."tier"`,
  };
  const where: Prisma.Sql[] = [Prisma.sql`1 = 1`];
  if (filter.user) where.push(Prisma.sql`r."user" = ${filter.user}`);
  if (filter.account) where.push(Prisma.sql`r."account" = ${filter.account}`);
  if (filter.partition) where.push(Prisma.sql`r."partition" = ${filter.partition}`);
  if (filter.endedAfter) where.push(Prisma.sql`r."bucket" >= ${dialect.instant(filter.endedAfter)}`);
  if (filter.endedBefore) where.push(Prisma.sql`r."bucket" < ${dialect.instant(filter.endedBefore)}`);
  if (filter.billed === true) where.push(Prisma.sql`r."billed"`);
  if (filter.billed === false) where.push(Prisma.sql`NOT r."billed"`);
  const selected = groups.map((g) => Prisma.sql`${column[g]} AS ${Prisma.raw(`"g_${g}"`)}`);
  const keys = groups.map((g) => Prisma.raw(`"g_${g}"`));
  const rows = await readQuery(
    db,
    Prisma.sql`
    SELECT ${Prisma.join([...selected, Prisma.sql`1 AS "one"`], ', ')},
      ${ROLLUP_SUMS}
    FROM "UsageRollup" r
    WHERE ${Prisma.join(where, ' AND ')}
    ${groups.length ? Prisma.sql`GROUP BY ${Prisma.join(keys, ', ')} ORDER BY ${Prisma.join(keys, ', ')}` : Prisma.empty}
    LIMIT ${MAX_BUCKETS + 1}`,
  );
  return bucketsOf(rows, groups);
}
