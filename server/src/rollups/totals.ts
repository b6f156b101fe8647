import { bucketsOf, MAX_BUCKETS, type UsageBucket, type UsageFilter, type UsageGroup } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { labelMonths, rollupZone } from './levels.ts';
import { SLOT_MS } from './store.ts';
import { sumRollups } from './sum.ts';

const aligned = (d: Date | null | undefined) => d == null || d.getTime() % SLOT_MS === 0;

/**
 * The usage tables and job totals from the rollups, when the rollups can answer exactly: the
 * window's ends fall on quarter hours (a local day, week or month always does). Otherwise null,
 * and the caller sums the jobs themselves. Months are the rollup zone's (the server's TIME_ZONE).
 */
export async function usageFromRollups(db: Db, filter: UsageFilter, groupBy: readonly UsageGroup[]): Promise<UsageBucket[] | null> {
  if (!aligned(filter.endedAfter) || !aligned(filter.endedBefore)) return null;
  const groups = [...new Set(groupBy)];
  const from = filter.endedAfter?.getTime() ?? null;
  const to = filter.endedBefore?.getTime() ?? null;
  if (from !== null && to !== null && from >= to) return [];
  const rows = await sumRollups(
    db,
    [{ key: 0, from, to }],
    {
      groups: groups.map((g) => ({ name: g, of: g, nullIfEmpty: g === 'account' || g === 'partition' })),
      filter: { user: filter.user, account: filter.account, partition: filter.partition, cluster: filter.cluster },
      billed: filter.billed,
    },
    MAX_BUCKETS + 1,
  );
  const zone = await rollupZone(db);
  return labelMonths(bucketsOf(rows, groups), zone);
}
