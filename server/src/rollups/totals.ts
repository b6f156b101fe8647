import { joinSplit, MAX_BUCKETS, splitSum, type UsageBucket, type UsageFilter, type UsageGroup } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { DomainError } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { SLOT_MS } from './store.ts';

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
      SUM(r."jobs") AS "jobs",
      ${splitSum('elapsed', Prisma.sql`r."elapsedSec"`)},
      ${splitSum('cpuSec', Prisma.sql`r."cpuSec"`)},
      ${splitSum('gpuSec', Prisma.sql`r."gpuSec"`)},
      ${splitSum('memSec', Prisma.sql`r."memMiBSec"`)},
      ${splitSum('cost', Prisma.sql`r."costSatang"`)}
    FROM "UsageRollup" r
    WHERE ${Prisma.join(where, ' AND ')}
    ${groups.length ? Prisma.sql`GROUP BY ${Prisma.join(keys, ', ')} ORDER BY ${Prisma.join(keys, ', ')}` : Prisma.empty}
    LIMIT ${MAX_BUCKETS + 1}`,
  );
  if (rows.length > MAX_BUCKETS) {
    throw new DomainError('TOO_COMPLEX', `this grouping has more than ${MAX_BUCKETS} groups: narrow the filter or group by fewer fields`, { maxBuckets: MAX_BUCKETS });
  }
  return rows
    .filter((r) => Number(r.jobs ?? 0) > 0)
    .map((r) => ({
      key: Object.fromEntries(groups.map((g) => [g, (r[`g_${g}`] as string | null) ?? null])),
      sums: {
        jobs: Number(r.jobs),
        elapsedSeconds: Number(joinSplit(r, 'elapsed')),
        cpuSeconds: joinSplit(r, 'cpuSec'),
        gpuSeconds: joinSplit(r, 'gpuSec'),
        memMiBSeconds: joinSplit(r, 'memSec'),
      },
      costSatang: joinSplit(r, 'cost'),
    }));
}
