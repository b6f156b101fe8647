import { activeOverrides, pricedJobs, splitSum, tierSql } from '../billing/usage.ts';
import type { Db, Tx } from '../db/client.ts';
import { addRows, execute, onSqliteConnection, sqliteRows } from '../db/bulk.ts';
import { dialect } from '../db/dialect.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { parseRate } from '@hpc-accounting/pricing/money';
import { type FreshJob, type FreshPricing, freshRollups, SLOT_MS } from './fresh.ts';
import { coverInstants, levelsAfter, levelsBefore, levelsInZone, rebuildLevels, zoneIn } from './levels.ts';

export { SLOT_MS };

/** The quarter hours `[start, end)` holding these end times, as the text the ledger stores. */
export function slotsOf(ends: Iterable<Date | string | null | undefined>): Array<[string, string]> {
  const starts = new Set<number>();
  for (const end of ends) {
    if (end == null) continue;
    const t = typeof end === 'string' ? Date.parse(end) : end.getTime();
    if (Number.isFinite(t)) starts.add(t - (((t % SLOT_MS) + SLOT_MS) % SLOT_MS));
  }
  return [...starts].sort((a, b) => a - b).map((s) => [dialect.instant(new Date(s)), dialect.instant(new Date(s + SLOT_MS))]);
}

/** What a read sums over rollup rows `r`, under the column names bucketsOf (billing/usage.ts) reads. */
export const ROLLUP_SUMS = Prisma.sql`SUM(r."jobs") AS "jobs",
      SUM(r."elapsedSec") AS "elapsed",
      ${splitSum('cpuSec', Prisma.sql`r."cpuSec"`)},
      ${splitSum('gpuSec', Prisma.sql`r."gpuSec"`)},
      ${splitSum('memSec', Prisma.sql`r."memMiBSec"`)},
      ${splitSum('cost', Prisma.sql`r."costSatang"`)},
      ${splitSum('cpuCost', Prisma.sql`r."cpuCostSatang"`)},
      ${splitSum('gpuCost', Prisma.sql`r."gpuCostSatang"`)}`;

const COLUMNS = ['bucket', 'cluster', 'user', 'account', 'partition', 'state', 'tier', 'billed', 'jobs', 'elapsedSec', 'cpuSec', 'gpuSec', 'memMiBSec', 'costSatang', 'cpuCostSatang', 'gpuCostSatang'];

/** Which rollup rows to compute again: some quarter hours, the unbilled jobs of one tier (a rate changed), or all. */
export type RollupScope = { slots: Array<[string, string]> } | { unbilledOfTier: string } | { users: string[] } | { accounts: string[] } | 'all';

/**
 * Recomputes rollup rows from the jobs, inside the caller's transaction: whatever changed there
 * (jobs upserted, a receipt billing some, a rate) is summed again exactly as the usage totals price
 * it, so a series always agrees with the job table.
 */
export async function rebuildRollups(tx: Tx | Db, defaultTier: string, scope: RollupScope) {
  const tier = tierSql(defaultTier);
  let where = Prisma.sql`j."end" IS NOT NULL`;
  let source: Prisma.Sql | undefined;
  // The rollup rows (`r`) the scope replaces.
  let rows: Prisma.Sql;
  if (scope === 'all') {
    rows = Prisma.sql`1 = 1`;
  } else if ('slots' in scope) {
    if (scope.slots.length === 0) return;
    const ranges = dialect.ranges(scope.slots);
    rows = Prisma.sql`r."bucket" IN (SELECT "s" FROM ${ranges} AS "slots")`;
    // The quarter hours drive the join, so each is one range of the index on the jobs' end.
    source = Prisma.sql`${ranges} q JOIN "JobRecord" j ON j."end" >= q."s" AND j."end" < q."e"`;
  } else if ('users' in scope) {
    // A user whose tier was set or changed: their jobs are priced at the new tier.
    if (scope.users.length === 0) return;
    rows = Prisma.sql`r."user" IN ${dialect.valuesOf(scope.users)}`;
    where = Prisma.sql`j."end" IS NOT NULL AND j."user" IN ${dialect.valuesOf(scope.users)}`;
  } else if ('accounts' in scope) {
    // An account whose tier was set or cleared: its jobs are priced at the new tier.
    if (scope.accounts.length === 0) return;
    rows = Prisma.sql`r."account" IN ${dialect.valuesOf(scope.accounts)}`;
    where = Prisma.sql`j."end" IS NOT NULL AND j."account" IN ${dialect.valuesOf(scope.accounts)}`;
  } else {
    rows = Prisma.sql`r."tier" = ${scope.unbilledOfTier} AND NOT r."billed"`;
    where = Prisma.sql`j."end" IS NOT NULL AND ri."id" IS NULL AND ${tier} = ${scope.unbilledOfTier}`;
  }
  const before = scope !== 'all' ? await levelsBefore(tx, rows) : undefined;
  await execute(tx, Prisma.sql`DELETE FROM "UsageRollup" AS r WHERE ${rows}`);
  const end = Prisma.sql`j."end"`;
  const priced = await pricedJobs(
    tx,
    defaultTier,
    where,
    [
      Prisma.sql`${dialect.quarterHourOf(end)} AS "g_bucket"`,
      Prisma.sql`j."cluster" AS "g_cluster"`,
      Prisma.sql`j."user" AS "g_user"`,
      Prisma.sql`COALESCE(j."account", '') AS "g_account"`,
      Prisma.sql`COALESCE(j."partition", '') AS "g_partition"`,
      Prisma.sql`j."state" AS "g_state"`,
      Prisma.sql`${tier} AS "g_tier"`,
    ],
    source,
    true,
  );
  await execute(tx, Prisma.sql`
    ${priced.with}
    INSERT INTO "UsageRollup" (${Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(', '))})
    SELECT "g_bucket", "g_cluster", "g_user", "g_account", "g_partition", "g_state", "g_tier", "billed",
      COUNT(*), SUM("secs"), SUM("cpus" * "secs"), SUM("gpus" * "secs"), SUM("mem" * "secs"), SUM("cost"), SUM("cpuCost"), SUM("gpuCost")
    FROM ${priced.from}
    GROUP BY "g_bucket", "g_cluster", "g_user", "g_account", "g_partition", "g_state", "g_tier", "billed"`);
  if (scope === 'all') await rebuildLevels(tx, await zoneIn(tx));
  else await levelsAfter(tx, rows, before);
}

/**
 * At start: a ledger that has jobs but no rollups yet (an upgrade, a restored file) gets them built once, and
 * day and month rollups kept in another zone than `timeZone` (TIME_ZONE changed) are summed again in it.
 */
export async function ensureRollups(db: Db, defaultTier: string, timeZone: string) {
  // Existence, not counts: a start must not count a million-job ledger.
  const [rolled, finished, inZone] = await Promise.all([
    db.usageRollup.findFirst({ select: { id: true } }),
    db.jobRecord.findFirst({ where: { end: { not: null } }, select: { key: true } }),
    levelsInZone(db, timeZone),
  ]);
  if (!inZone) await db.$transaction((tx) => rebuildLevels(tx, timeZone), { timeout: 600_000 });
  if (!rolled && finished) await db.$transaction((tx) => rebuildRollups(tx, defaultTier, 'all'), { timeout: 600_000 });
}

/** After a user's tier was set or changed (seeding, an admin's change): their rollups priced at it, in one transaction. */
export async function repriceUsers(db: Db, defaultTier: string, users: string[]) {
  if (users.length > 0) await db.$transaction((tx) => rebuildRollups(tx, defaultTier, { users }), { timeout: 120_000 });
}

const MEASURES = ['jobs', 'elapsedSec', 'cpuSec', 'gpuSec', 'memMiBSec', 'costSatang', 'cpuCostSatang', 'gpuCostSatang'];

/**
 * Adds the rollup rows of jobs just inserted into the ledger (`key` and the stored job), inside the caller's
 * transaction, summed in code (rollups/fresh.ts): on SQLite, the jobs that end in quarter hours holding no rollup row
 * yet and that no receipt bills. Answers the end times of the others, whose quarter hours the caller sums again in
 * SQL with rebuildRollups. Elsewhere it adds nothing and answers every end.
 */
export async function addFreshRollups(tx: Tx, defaultTier: string, jobs: ReadonlyArray<{ key: string; job: FreshJob; endText: string }>): Promise<string[]> {
  if (jobs.length === 0) return [];
  if (!onSqliteConnection(tx)) return jobs.map((j) => j.endText);
  const slots = [...new Set(jobs.map((j) => j.job.end - (((j.job.end % SLOT_MS) + SLOT_MS) % SLOT_MS)))].map((t) => dialect.instant(new Date(t)));
  const held = new Set(sqliteRows(tx, Prisma.sql`SELECT DISTINCT "bucket" FROM "UsageRollup" WHERE "bucket" IN ${dialect.valuesOf(slots)}`).map((r) => Date.parse(r[0] as string)));
  const billed = new Set(sqliteRows(tx, Prisma.sql`SELECT "billingKey" FROM "ReceiptItem" WHERE "billingKey" IN ${dialect.valuesOf(jobs.map((j) => j.key))}`).map((r) => r[0]));
  const fresh: FreshJob[] = [];
  const others: string[] = [];
  for (const j of jobs) {
    if (held.has(j.job.end - (((j.job.end % SLOT_MS) + SLOT_MS) % SLOT_MS)) || billed.has(j.key)) others.push(j.endText);
    else fresh.push(j.job);
  }
  if (fresh.length === 0) return others;
  const pricing = await freshPricing(tx, defaultTier, fresh);
  const zone = await zoneIn(tx);
  const rows = freshRollups(fresh, pricing, zone);
  if (!rows) return jobs.map((j) => j.endText);
  const at = (t: number) => dialect.instant(new Date(t));
  await coverInstants(tx, zone, [...rows.slots.values()].map((r) => r.key[0]));
  addRows(tx, 'UsageRollup', null, COLUMNS.slice(0, 8), MEASURES, [...rows.slots.values()].map(({ key: [b, ...k], sums }) => [at(b), ...k, 0, ...sums]));
  const dayKeys = ['bucket', 'cluster', 'account', 'partition', 'state', 'tier', 'billed'];
  addRows(tx, 'UsageRollupDay', dayKeys, dayKeys, MEASURES, [...rows.days.values()].map(({ key: [b, ...k], sums }) => [at(b), ...k, 0, ...sums]));
  const monthKeys = ['bucket', 'cluster', 'user', 'account', 'partition', 'state', 'tier', 'billed'];
  addRows(tx, 'UsageRollupMonth', monthKeys, monthKeys, MEASURES, [...rows.months.values()].map(({ key: [b, ...k], sums }) => [at(b), ...k, 0, ...sums]));
  const marginalKeys = ['dim', 'bucket', 'value', 'billed'];
  for (const [table, level] of [
    ['UsageMarginalDay', rows.marginalDays],
    ['UsageMarginalMonth', rows.marginalMonths],
  ] as const) {
    addRows(tx, table, marginalKeys, marginalKeys, MEASURES, [...level.values()].map(({ key: [b, dim, value], sums }) => [dim, at(b), value, 0, ...sums]));
  }
  return others;
}

/** What prices these jobs now: the rates, the overrides in force, and their owners' and accounts' tiers. */
async function freshPricing(tx: Tx, defaultTier: string, jobs: readonly FreshJob[]): Promise<FreshPricing> {
  // Rates are at most MAX_RATE_THB_PER_HOUR: a few 10⁹ µTHB, exact in a double.
  const micro = (r: { cpuPerHour: string; gpuPerHour: string; memGBPerHour: string }) => ({
    cpu: Number(parseRate(r.cpuPerHour)),
    gpu: Number(parseRate(r.gpuPerHour)),
    mem: Number(parseRate(r.memGBPerHour)),
  });
  const [rates, overrides] = [await tx.rate.findMany(), await activeOverrides(tx)];
  const users = [...new Set(jobs.map((j) => j.user))];
  const accounts = [...new Set(jobs.flatMap((j) => (j.account !== null ? [j.account] : [])))];
  const userTiers = sqliteRows(tx, Prisma.sql`SELECT "username", "tier" FROM "User" WHERE "username" IN ${dialect.valuesOf(users)}`);
  const accountTiers = accounts.length
    ? sqliteRows(tx, Prisma.sql`SELECT "name", "tier" FROM "SlurmAccount" WHERE "tier" IS NOT NULL AND "name" IN ${dialect.valuesOf(accounts)}`)
    : [];
  return {
    rates: new Map(rates.map((r) => [r.tier, micro(r)])),
    overrides: overrides.map((o) => ({ id: o.id, tier: o.tier, partition: o.partition, gpuType: o.gpuType, ...micro(o) })),
    userTiers: new Map(userTiers as Array<[string, string]>),
    accountTiers: new Map(accountTiers as Array<[string, string]>),
    defaultTier,
  };
}
