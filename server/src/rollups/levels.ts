import type { Db, Tx } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { bucketStart, isTimeZone, localMonth, localYear } from './calendar.ts';
import { daysOfYear } from './plan.ts';

/**
 * The day and month rollups: the quarter-hour rows summed per local day (without the user) and
 * per local month (with every field) of one zone, the rollup zone. They change by the difference
 * the quarter hours made, in the same transaction, so each equals the sum of the quarter hours
 * it covers. `RollupCalendar` maps a quarter hour to its local day and month in SQL; it records
 * the zone, and it holds every day that has a quarter-hour row before that row is summed.
 */

const MEASURES = ['jobs', 'elapsedSec', 'cpuSec', 'gpuSec', 'memMiBSec', 'costSatang', 'cpuCostSatang', 'gpuCostSatang'];
const DAY_KEYS = ['cluster', 'account', 'partition', 'state', 'tier', 'billed'];
const MONTH_KEYS = ['cluster', 'user', 'account', 'partition', 'state', 'tier', 'billed'];

const q = (names: string[], prefix = '') => Prisma.raw(names.map((c) => `${prefix}"${c}"`).join(', '));

/** The local day (or month) a quarter-hour row `r` falls in: the calendar day that starts last at or before it. */
export const calendarOf = (column: Prisma.Sql, of: 'day' | 'month') =>
  Prisma.sql`(SELECT c.${Prisma.raw(`"${of}"`)} FROM "RollupCalendar" c WHERE c."day" <= ${column} ORDER BY c."day" DESC LIMIT 1)`;

/** Month keys as `YYYY-MM` in the rollup zone: a month's start instant becomes its label; a label stays. */
export function labelMonths<T extends { key: { month?: string | null } }>(buckets: T[], zone: string): T[] {
  for (const b of buckets) {
    const m = b.key.month;
    if (m != null && m.length > 7) b.key.month = localMonth(Date.parse(m), zone);
  }
  return buckets;
}

/** The zone the day and month rollups are kept in; UTC for a ledger that has none yet. */
export async function rollupZone(db: Db | Tx): Promise<string> {
  const [row] = await readQuery<{ zone: string }>(db as Db, Prisma.sql`SELECT "zone" FROM "RollupCalendar" LIMIT 1`);
  return row?.zone ?? 'UTC';
}

/** The same, inside a transaction. */
export async function zoneIn(tx: Tx | Db): Promise<string> {
  const [row] = await tx.$queryRaw<Array<{ zone: string }>>`SELECT "zone" FROM "RollupCalendar" LIMIT 1`;
  return row?.zone ?? 'UTC';
}

/**
 * Adds to the calendar the local years of `zone` that the quarter-hour rows matching `where` fall in,
 * a whole year at a time. Only the years that have rows: one job with a far-off end date adds its
 * year, not every year up to it.
 */
async function coverCalendar(tx: Tx | Db, zone: string, where: Prisma.Sql) {
  const months = await tx.$queryRaw<Array<{ m: string }>>`
    SELECT DISTINCT ${dialect.monthOf(Prisma.sql`r."bucket"`)} AS "m" FROM "UsageRollup" r WHERE ${where}`;
  const years = new Set<number>();
  // A UTC year's instants are in the local year before, the same or the one after.
  for (const { m } of months) for (const d of [-1, 0, 1]) years.add(Number(m.slice(0, 4)) + d);
  await coverYears(tx, zone, [...years]);
}

async function coverYears(tx: Tx | Db, zone: string, years: number[]) {
  const firsts = new Map(years.map((y) => [dialect.instant(new Date(bucketStart(Date.UTC(y, 0, 1, 12), 'YEAR', zone))), y]));
  const have = await tx.$queryRaw<Array<{ day: string }>>`
    SELECT "day" FROM "RollupCalendar" WHERE "day" IN ${dialect.valuesOf([...firsts.keys()])}`;
  for (const { day } of have) firsts.delete(typeof day === 'string' ? day : dialect.instant(new Date(day)));
  for (const year of firsts.values()) {
    const rows = daysOfYear(year, zone).map((d) => [dialect.instant(new Date(d.day)), dialect.instant(new Date(d.month)), zone]);
    await tx.$executeRaw(dialect.bulkUpsert('RollupCalendar', ['day', 'month', 'zone'], 'day', [], rows));
  }
}

/** The group fields a marginal row can stand for ('' is all of them summed). */
export const MARGINAL_DIMS = ['', 'user', 'account', 'partition', 'tier', 'cluster', 'state'] as const;

const DIMS = Prisma.raw(MARGINAL_DIMS.map((d) => `SELECT '${d}' AS "dim"`).join(' UNION ALL '));
const VALUE = Prisma.raw(`CASE d."dim" ${MARGINAL_DIMS.filter(Boolean).map((d) => `WHEN '${d}' THEN x."${d}"`).join(' ')} ELSE '' END`);

/** Adds (`sign` 1) or takes away (-1) the quarter-hour rows matching `where` from the day, month and marginal rows. */
async function applyDifference(tx: Tx | Db, where: Prisma.Sql, sign: 1 | -1) {
  const neg = sign < 0 ? '-' : '';
  const sums = Prisma.raw(MEASURES.map((m) => `${neg}SUM(x."${m}")`).join(', '));
  const update = Prisma.raw(MEASURES.map((m) => `"${m}" = "${m}" + excluded."${m}"`).join(', '));
  for (const of of ['day', 'month'] as const) {
    // Each changed quarter hour once with its local day (or month), then summed into each table of that grain.
    const rows = Prisma.sql`WITH x AS MATERIALIZED (SELECT ${calendarOf(Prisma.sql`r."bucket"`, of)} AS "level", r.* FROM "UsageRollup" r WHERE ${where})`;
    const [table, keys] = of === 'day' ? ['UsageRollupDay', DAY_KEYS] : ['UsageRollupMonth', MONTH_KEYS];
    await tx.$executeRaw`
      ${rows}
      INSERT INTO ${Prisma.raw(`"${table}"`)} ("bucket", ${q(keys)}, ${q(MEASURES)})
      SELECT x."level", ${q(keys, 'x.')}, ${sums} FROM x
      WHERE true
      GROUP BY x."level", ${q(keys, 'x.')}
      ON CONFLICT ("bucket", ${q(keys)}) DO UPDATE SET ${update}`;
    const marginal = of === 'day' ? 'UsageMarginalDay' : 'UsageMarginalMonth';
    await tx.$executeRaw`
      ${rows}
      INSERT INTO ${Prisma.raw(`"${marginal}"`)} ("bucket", "dim", "value", "billed", ${q(MEASURES)})
      SELECT x."level", d."dim", ${VALUE}, x."billed", ${sums} FROM x CROSS JOIN (${DIMS}) d
      WHERE true
      GROUP BY x."level", d."dim", ${VALUE}, x."billed"
      ON CONFLICT ("dim", "bucket", "value", "billed") DO UPDATE SET ${update}`;
  }
}

async function boundsOf(tx: Tx | Db, where: Prisma.Sql) {
  const [b] = await tx.$queryRaw<Array<{ lo: string | null; hi: string | null }>>`
    SELECT MIN(r."bucket") AS "lo", MAX(r."bucket") AS "hi" FROM "UsageRollup" r WHERE ${where}`;
  return b?.lo && b.hi ? { lo: b.lo, hi: b.hi } : null;
}

/**
 * Keeps the day and month rows equal to the quarter hours around a change of the quarter-hour
 * rows matching `where` (`r`): call `before` first, change the quarter hours, then `after`.
 */
export async function levelsBefore(tx: Tx | Db, where: Prisma.Sql) {
  const old = await boundsOf(tx, where);
  if (old) await applyDifference(tx, where, -1);
  return old;
}

export async function levelsAfter(tx: Tx | Db, where: Prisma.Sql, old: { lo: string; hi: string } | null) {
  const now = await boundsOf(tx, where);
  if (now) {
    await coverCalendar(tx, await zoneIn(tx), where);
    await applyDifference(tx, where, 1);
  }
  const spans = [old, now].filter((s): s is { lo: string; hi: string } => s !== null);
  if (spans.length === 0) return;
  const lo = spans.map((s) => s.lo).sort()[0];
  const hi = spans.map((s) => s.hi).sort().at(-1)!;
  // Rows the change emptied: no job left in them.
  for (const [table, of] of [
    ['UsageRollupDay', 'day'],
    ['UsageRollupMonth', 'month'],
    ['UsageMarginalDay', 'day'],
    ['UsageMarginalMonth', 'month'],
  ] as const) {
    // The marginal tables are keyed by field first: naming every field keeps this a range of their key.
    const dims = table.startsWith('UsageMarginal') ? Prisma.sql`AND "dim" IN (${Prisma.join([...MARGINAL_DIMS])})` : Prisma.empty;
    await tx.$executeRaw`
      DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "jobs" = 0 ${dims}
        AND "bucket" >= ${calendarOf(Prisma.sql`${lo}`, of)} AND "bucket" <= ${calendarOf(Prisma.sql`${hi}`, of)}`;
  }
}

/** The day and month rows summed again from every quarter hour, in `zone`'s calendar. */
export async function rebuildLevels(tx: Tx | Db, zone: string) {
  if (!isTimeZone(zone)) throw new Error(`TIME_ZONE "${zone}" is not an IANA time zone`);
  for (const table of ['UsageRollupDay', 'UsageRollupMonth', 'UsageMarginalDay', 'UsageMarginalMonth']) {
    await tx.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}"`)}`;
  }
  const current = await zoneIn(tx);
  const [row] = await tx.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "RollupCalendar"`;
  if (current !== zone || Number(row?.n ?? 0) === 0) {
    await tx.$executeRaw`DELETE FROM "RollupCalendar"`;
    // The calendar records its zone even before the ledger has a job.
    await coverYears(tx, zone, [localYear(Date.now(), zone)]);
  }
  const all = Prisma.sql`1 = 1`;
  if (await boundsOf(tx, all)) {
    await coverCalendar(tx, zone, all);
    await applyDifference(tx, all, 1);
  }
}

/** Whether the day and month rollups are kept in `zone` (a changed TIME_ZONE rebuilds them at start). */
export async function levelsInZone(db: Db, zone: string) {
  const [row] = await db.$queryRaw<Array<{ zone: string }>>`SELECT "zone" FROM "RollupCalendar" LIMIT 1`;
  return row?.zone === zone;
}
