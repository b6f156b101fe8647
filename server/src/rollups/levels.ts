import type { Db, Tx } from '../db/client.ts';
import { execute } from '../db/bulk.ts';
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

/** The zone the calendar records, if it has any day yet. */
async function storedZone(tx: Tx | Db): Promise<string | null> {
  const [row] = await tx.$queryRaw<Array<{ zone: string }>>`SELECT "zone" FROM "RollupCalendar" LIMIT 1`;
  return row?.zone ?? null;
}

/** The same as rollupZone, inside a transaction. */
export async function zoneIn(tx: Tx | Db): Promise<string> {
  return (await storedZone(tx)) ?? 'UTC';
}

/**
 * Adds to the calendar the local years of `zone` that the changed quarter hours fall in, a whole
 * year at a time. Only the years that have rows: one job with a far-off end date adds its year,
 * not every year up to it.
 */
async function coverCalendar(tx: Tx | Db, zone: string) {
  const months = await tx.$queryRaw<Array<{ m: string }>>`
    SELECT DISTINCT ${dialect.monthOf(Prisma.sql`c."bucket"`)} AS "m" FROM "RollupChange" c`;
  const years = new Set<number>();
  // A UTC year's instants are in the local year before, the same or the one after.
  for (const { m } of months) for (const d of [-1, 0, 1]) years.add(Number(m.slice(0, 4)) + d);
  await coverYears(tx, zone, [...years]);
}

/** Adds to the calendar the local years of `zone` that these instants (ms) fall in, as coverCalendar does for its rows. */
export async function coverInstants(tx: Tx | Db, zone: string, instants: Iterable<number>) {
  const years = new Set<number>();
  for (const t of instants) for (const d of [-1, 0, 1]) years.add(new Date(t).getUTCFullYear() + d);
  await coverYears(tx, zone, [...years]);
}

async function coverYears(tx: Tx | Db, zone: string, years: number[]) {
  // An empty list has no type PostgreSQL could compare with a timestamp.
  if (years.length === 0) return;
  const firsts = new Map(years.map((y) => [dialect.instant(new Date(bucketStart(Date.UTC(y, 0, 1, 12), 'YEAR', zone))), y]));
  const have = await tx.$queryRaw<Array<{ day: string }>>`
    SELECT "day" FROM "RollupCalendar" WHERE "day" IN ${dialect.valuesOf([...firsts.keys()])}`;
  for (const { day } of have) firsts.delete(typeof day === 'string' ? day : dialect.instant(new Date(day)));
  for (const year of firsts.values()) {
    const rows = daysOfYear(year, zone).map((d) => [dialect.instant(new Date(d.day)), dialect.instant(new Date(d.month)), zone]);
    await execute(tx, dialect.bulkUpsert('RollupCalendar', ['day', 'month', 'zone'], 'day', [], rows));
  }
}

/** The group fields a marginal row can stand for ('' is all of them summed). */
export const MARGINAL_DIMS = ['', 'user', 'account', 'partition', 'tier', 'cluster', 'state'] as const;

/**
 * The quarter-hour rows a change touches, gathered in a table of the transaction's own: the old
 * rows with their measures negated (`levelsBefore`), then the new rows as they are (`levelsAfter`).
 * Summed per row key, what is left is the difference the change made, and only that reaches the
 * day and month rows: a re-sync that changed nothing leaves nothing, a rate change only costs.
 */
const CHANGE_COLUMNS = ['bucket', ...MONTH_KEYS];

async function gather(tx: Tx | Db, where: Prisma.Sql, sign: 1 | -1) {
  const measures = Prisma.raw(MEASURES.map((m) => `${sign < 0 ? '-' : ''}r."${m}" AS "${m}"`).join(', '));
  const select = Prisma.sql`SELECT ${q(CHANGE_COLUMNS, 'r.')}, ${measures} FROM "UsageRollup" r WHERE ${where}`;
  if (sign < 0) {
    await execute(tx, Prisma.sql`DROP TABLE IF EXISTS "RollupChange"`);
    await execute(tx, Prisma.sql`CREATE TEMPORARY TABLE "RollupChange" AS ${select}`);
  } else {
    await execute(tx, Prisma.sql`INSERT INTO "RollupChange" (${q(CHANGE_COLUMNS)}, ${q(MEASURES)}) ${select}`);
  }
}

/**
 * Adds the gathered difference to the day, month and marginal rows of `zone`'s calendar, drops the
 * rows it left with no job, and drops the change tables. `net` sums old and new rows of a key
 * first; a full rebuild, whose rows are all new and distinct, skips that.
 */
async function applyChange(tx: Tx | Db, zone: string, net: boolean) {
  await coverCalendar(tx, zone);
  const sums = Prisma.raw(MEASURES.map((m) => `SUM(c."${m}") AS "${m}"`).join(', '));
  const changed = Prisma.raw(MEASURES.map((m) => `SUM(c."${m}") <> 0`).join(' OR '));
  // Each changed quarter hour once, with its local day and month.
  const rows = net
    ? Prisma.sql`SELECT ${q(CHANGE_COLUMNS, 'c.')}, ${sums} FROM "RollupChange" c GROUP BY ${q(CHANGE_COLUMNS, 'c.')} HAVING ${changed}`
    : Prisma.sql`SELECT * FROM "RollupChange"`;
  await execute(tx, Prisma.sql`DROP TABLE IF EXISTS "RollupNet"`);
  // The calendar is looked up once per quarter hour, not once per row: a day's rows share its 96 quarter hours.
  await execute(tx, Prisma.sql`
    CREATE TEMPORARY TABLE "RollupNet" AS
    WITH x AS (${rows}),
      b AS (SELECT DISTINCT "bucket" FROM x),
      cal AS (SELECT b."bucket", ${calendarOf(Prisma.sql`b."bucket"`, 'day')} AS "day", ${calendarOf(Prisma.sql`b."bucket"`, 'month')} AS "month" FROM b)
    SELECT cal."day", cal."month", x.* FROM x JOIN cal ON cal."bucket" = x."bucket"`);
  const add = Prisma.raw(MEASURES.map((m) => `SUM(x."${m}") AS "${m}"`).join(', '));
  // PostgreSQL takes a bare column in DO UPDATE for ambiguous between the row and the SELECT's own.
  const update = (table: string) => {
    const own = dialect.name === 'postgresql' ? `${table}.` : '';
    return Prisma.raw(MEASURES.map((m) => `"${m}" = ${own}"${m}" + excluded."${m}"`).join(', '));
  };
  for (const of of ['day', 'month'] as const) {
    const level = Prisma.raw(`x."${of}"`);
    const [table, keys] = of === 'day' ? ['UsageRollupDay', DAY_KEYS] : ['UsageRollupMonth', MONTH_KEYS];
    await execute(tx, Prisma.sql`
      INSERT INTO ${Prisma.raw(`"${table}"`)} ("bucket", ${q(keys)}, ${q(MEASURES)})
      SELECT ${level}, ${q(keys, 'x.')}, ${add} FROM "RollupNet" x
      WHERE true
      GROUP BY ${level}, ${q(keys, 'x.')}
      ON CONFLICT ("bucket", ${q(keys)}) DO UPDATE SET ${update(`"${table}"`)}`);
  }
  // The marginal rows: each field's grouping of the changed rows per day, once (the day's month rides along, as it
  // is the day's own), added to the day rows as they are and to the month rows summed per month.
  const groupings = MARGINAL_DIMS.map((dim) => {
    const value = dim ? Prisma.raw(`x."${dim}"`) : Prisma.sql`''`;
    // PostgreSQL reads a constant in GROUP BY as a position: the whole-sum grouping leaves it out.
    return Prisma.sql`SELECT x."day", x."month", ${Prisma.raw(`'${dim}'`)} AS "dim", ${value} AS "value", x."billed", ${add}
      FROM "RollupNet" x GROUP BY x."day", x."month", ${dim ? Prisma.sql`${value}, ` : Prisma.empty}x."billed"`;
  });
  await execute(tx, Prisma.sql`DROP TABLE IF EXISTS "MarginalNet"`);
  await execute(tx, Prisma.sql`CREATE TEMPORARY TABLE "MarginalNet" AS ${Prisma.join(groupings, ' UNION ALL ')}`);
  const again = Prisma.raw(MEASURES.map((m) => `SUM(m."${m}")`).join(', '));
  for (const [table, of, sum] of [
    ['"UsageMarginalDay"', 'day', false],
    ['"UsageMarginalMonth"', 'month', true],
  ] as const) {
    const level = Prisma.raw(`m."${of}"`);
    await execute(tx, Prisma.sql`
      INSERT INTO ${Prisma.raw(table)} ("bucket", "dim", "value", "billed", ${q(MEASURES)})
      SELECT ${level}, m."dim", m."value", m."billed", ${sum ? again : q(MEASURES, 'm.')} FROM "MarginalNet" m
      WHERE true
      ${sum ? Prisma.sql`GROUP BY ${level}, m."dim", m."value", m."billed"` : Prisma.empty}
      ON CONFLICT ("dim", "bucket", "value", "billed") DO UPDATE SET ${update(table)}`);
  }
  const [b] = await tx.$queryRaw<Array<{ lo: string | null; hi: string | null }>>`
    SELECT MIN("day") AS "lo", MAX("day") AS "hi" FROM "RollupNet" WHERE "jobs" < 0`;
  await execute(tx, Prisma.sql`DROP TABLE "RollupNet"`);
  await execute(tx, Prisma.sql`DROP TABLE "MarginalNet"`);
  await execute(tx, Prisma.sql`DROP TABLE "RollupChange"`);
  // Only rows a change took jobs away from can be left empty.
  if (!b?.lo || !b.hi) return;
  for (const [table, of] of [
    ['UsageRollupDay', 'day'],
    ['UsageRollupMonth', 'month'],
    ['UsageMarginalDay', 'day'],
    ['UsageMarginalMonth', 'month'],
  ] as const) {
    // The marginal tables are keyed by field first: naming every field keeps this a range of their key.
    const dims = table.startsWith('UsageMarginal') ? Prisma.sql`AND "dim" IN (${Prisma.join([...MARGINAL_DIMS])})` : Prisma.empty;
    await execute(tx, Prisma.sql`
      DELETE FROM ${Prisma.raw(`"${table}"`)} WHERE "jobs" = 0 ${dims}
        AND "bucket" >= ${calendarOf(Prisma.sql`${b.lo}`, of)} AND "bucket" <= ${calendarOf(Prisma.sql`${b.hi}`, of)}`);
  }
}

/**
 * Keeps the day and month rows equal to the quarter hours around a change of the quarter-hour
 * rows matching `where` (`r`): call `before` first, change the quarter hours, then `after`.
 */
export async function levelsBefore(tx: Tx | Db, where: Prisma.Sql): Promise<{ replaced: boolean }> {
  await gather(tx, where, -1);
  const some = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "RollupChange" LIMIT 1`;
  return { replaced: some.length > 0 };
}

/**
 * `before` is what levelsBefore answered: when the change replaced no quarter-hour row (new jobs in quarter hours
 * that had none, as most of a first sync is), the new rows are the difference as they are and need no netting.
 */
export async function levelsAfter(tx: Tx | Db, where: Prisma.Sql, before: { replaced: boolean } = { replaced: true }) {
  await gather(tx, where, 1);
  await applyChange(tx, await zoneIn(tx), before.replaced);
}

/** The day and month rows summed again from every quarter hour, in `zone`'s calendar. */
export async function rebuildLevels(tx: Tx | Db, zone: string) {
  if (!isTimeZone(zone)) throw new Error(`TIME_ZONE "${zone}" is not an IANA time zone`);
  for (const table of ['UsageRollupDay', 'UsageRollupMonth', 'UsageMarginalDay', 'UsageMarginalMonth']) {
    await execute(tx, Prisma.sql`DELETE FROM ${Prisma.raw(`"${table}"`)}`);
  }
  const current = await zoneIn(tx);
  const [row] = await tx.$queryRaw<Array<{ n: number | bigint }>>`SELECT COUNT(*) AS "n" FROM "RollupCalendar"`;
  if (current !== zone || Number(row?.n ?? 0) === 0) {
    await execute(tx, Prisma.sql`DELETE FROM "RollupCalendar"`);
    // The calendar records its zone even before the ledger has a job.
    await coverYears(tx, zone, [localYear(Date.now(), zone)]);
  }
  await execute(tx, Prisma.sql`DROP TABLE IF EXISTS "RollupChange"`);
  await execute(tx, Prisma.sql`CREATE TEMPORARY TABLE "RollupChange" AS SELECT ${q(CHANGE_COLUMNS)}, ${q(MEASURES)} FROM "UsageRollup"`);
  await applyChange(tx, zone, false);
}

/** Whether the day and month rollups are kept in `zone` (a changed TIME_ZONE rebuilds them at start). */
export async function levelsInZone(db: Db, zone: string) {
  return (await storedZone(db)) === zone;
}
