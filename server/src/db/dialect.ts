import { Prisma } from '../generated/prisma/client.ts';

/**
 * What the store modules need to know about the database they talk to, in one place: how an
 * instant is written so it compares with what the ORM stored, how a time bucket is computed, how
 * rows are upserted in bulk, and how a conflict or a busy database is recognised: SQLite through
 * the better-sqlite3 adapter, or PostgreSQL through the pg adapter.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgresql';
  /** An instant as a bound parameter that compares (and sorts) like the stored DateTime column. */
  instant(d: Date): string;
  /** Text that sorts before, and after, every instant `instant` writes: the open ends of a range. */
  readonly earliest: string;
  readonly latest: string;
  /** `YYYY-MM` (UTC) of a DateTime column. */
  monthOf(column: Prisma.Sql): Prisma.Sql;
  /** The start of the UTC quarter hour of a DateTime column, as the same text `instant` writes. */
  quarterHourOf(column: Prisma.Sql): Prisma.Sql;
  /** A list of values, given as one JSON parameter, as a one-column table (`value`) for `IN (…)`. */
  valuesOf(values: readonly unknown[]): Prisma.Sql;
  /** Pairs `[start, end]` of text instants, given as one JSON parameter, as a table of columns `s`, `e`. */
  ranges(pairs: Array<[string, string]>): Prisma.Sql;
  /** Triples `[key, start, end]` (text), given as one JSON parameter, as a table of columns `k`, `s`, `e`. */
  keyedRanges(triples: Array<[string, string, string]>): Prisma.Sql;
  /**
   * One statement that upserts every row of `rows` (arrays of column values, in `columns` order)
   * into `table`, keyed by `key`; the columns in `keep` are written only on insert.
   */
  bulkUpsert(table: string, columns: readonly string[], key: string, keep: readonly string[], rows: unknown[][]): Prisma.Sql;
  /** The database refused for now (lock held, snapshot outdated): the same transaction may succeed if run again. */
  isBusy(error: unknown): boolean;
  /** A UNIQUE constraint refused the write. */
  isUniqueViolation(error: unknown): boolean;
  /** A rate column's text (THB per hour, as formatRate writes it: "0.55", "12") as integer µTHB per hour, exactly. */
  rateMicros(column: Prisma.Sql): Prisma.Sql;
  /** A SUM left 64 bits: the same sum split in parts (splitSum) does not. */
  isOverflow(error: unknown): boolean;
  /**
   * A statement that makes the rest of the transaction the only one holding `key` (null where writers are
   * serialized anyway: SQLite has one writer at a time).
   */
  exclusive(key: number): Prisma.Sql | null;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The text the Prisma SQLite adapter stores for a DateTime (its default `iso8601` format: `…T04:48:45.000+00:00`),
 * so values written or compared in raw SQL match rows the ORM wrote
 * (`mapArg` in https://github.com/prisma/prisma/blob/main/packages/adapter-better-sqlite3/src/conversion.ts).
 */
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** `toISOString` with `+00:00` for `Z`, built field by field: a sync formats three instants a job, and this is 3× faster. */
export function sqliteInstant(d: Date): string {
  const year = d.getUTCFullYear();
  // toISOString writes years outside 0000–9999 with a sign and six digits (and throws for an invalid date).
  if (!(year >= 1000 && year <= 9999)) return d.toISOString().replace('Z', '+00:00');
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}+00:00`;
}

export const sqlite: Dialect = {
  name: 'sqlite',
  instant: sqliteInstant,
  earliest: '',
  latest: '~',
  monthOf: (column) => Prisma.sql`substr(${column}, 1, 7)`,
  quarterHourOf: (column) =>
    Prisma.sql`substr(${column}, 1, 14) || printf('%02d', (CAST(substr(${column}, 15, 2) AS INTEGER) / 15) * 15) || ':00.000+00:00'`,
  valuesOf: (values) => Prisma.sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`,
  ranges: (pairs) => Prisma.sql`(SELECT value ->> 0 AS "s", value ->> 1 AS "e" FROM json_each(${JSON.stringify(pairs)}))`,
  keyedRanges: (triples) =>
    Prisma.sql`(SELECT value ->> 0 AS "k", value ->> 1 AS "s", value ->> 2 AS "e" FROM json_each(${JSON.stringify(triples)}))`,
  /**
   * One statement fed one JSON array of rows: Prisma's raw path costs far more per bound parameter than SQLite's
   * json_each does per value (≈3× the throughput of a multi-row VALUES list with 21 parameters a row), and one
   * parameter never meets SQLite's bound-parameter limit. `WHERE true` settles the INSERT … SELECT … ON CONFLICT
   * parse ambiguity (https://www.sqlite.org/lang_upsert.html#parsing_ambiguity).
   */
  bulkUpsert(table, columns, key, keep, rows) {
    const updated = columns.filter((c) => c !== key && !keep.includes(c));
    const head = Prisma.raw(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')})
  SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(`);
    const tail = Prisma.raw(`) WHERE true
  ON CONFLICT (${quote(key)}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`);
    return Prisma.sql`${head}${JSON.stringify(rows)}${tail}`;
  },
  /**
   * A deferred transaction that has read cannot wait for another connection's write lock, nor write on a snapshot
   * another connection has since committed over: SQLite fails it at once with SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT,
   * without the busy timeout (https://www.sqlite.org/c3ref/busy_handler.html,
   * https://www.sqlite.org/rescode.html#busy_snapshot). The better-sqlite3 adapter reports every SQLITE_BUSY* as
   * P1008 "Operation has timed out" with the SQLite code in the driver adapter error's cause.
   */
  isBusy(error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P1008') return false;
    const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
    return typeof cause?.originalCode === 'string' && cause.originalCode.startsWith('SQLITE_BUSY');
  },
  isUniqueViolation: (error) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002',
  rateMicros: (c) =>
    Prisma.sql`(CAST(substr(${c}, 1, instr(${c} || '.', '.') - 1) AS INTEGER) * 1000000 + CAST(substr(substr(${c}, instr(${c} || '.', '.') + 1) || '000000', 1, 6) AS INTEGER))`,
  // SQLite's SUM fails with "integer overflow" rather than lose precision (https://www.sqlite.org/lang_aggfunc.html#sumunc);
  // the reader thread passes SQLite's message on, Prisma wraps it in its own.
  isOverflow: (error) => error instanceof Error && /\binteger overflow\b/.test(error.message),
  exclusive: () => null,
};

/** The SQLSTATE of a driver adapter error, which Prisma keeps in the cause of its own. */
function sqlState(error: unknown): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
    if (typeof cause?.originalCode === 'string') return cause.originalCode;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * PostgreSQL: DateTime columns are `timestamp(3)` holding UTC, so an instant is bound as ISO text, which the server
 * reads as a timestamp from the column it is compared with (the zone designator is ignored for `timestamp`).
 * Lists arrive as one jsonb parameter, as on SQLite.
 */
const isoInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export const postgres: Dialect = {
  name: 'postgresql',
  instant: (d) => d.toISOString(),
  earliest: '-infinity',
  latest: 'infinity',
  monthOf: (column) => Prisma.sql`to_char(${column}, 'YYYY-MM')`,
  quarterHourOf: (column) => Prisma.sql`date_bin('15 minutes', ${column}, TIMESTAMP '2000-01-01')`,
  // PostgreSQL compares no text with a timestamp or an integer: the list takes the type of what it holds.
  valuesOf(values) {
    if (values.length === 0) return Prisma.sql`(SELECT NULL AS value WHERE false)`;
    const type = values.length > 0 && values.every((v) => typeof v === 'number' || typeof v === 'bigint')
      ? '::bigint'
      : values.length > 0 && values.every((v) => v instanceof Date || (typeof v === 'string' && isoInstant.test(v)))
        ? '::timestamp(3)'
        : '';
    const json = JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    return Prisma.sql`(SELECT value${Prisma.raw(type)} AS value FROM jsonb_array_elements_text(${json}::jsonb))`;
  },
  ranges: (pairs) =>
    Prisma.sql`(SELECT (value ->> 0)::timestamp(3) AS "s", (value ->> 1)::timestamp(3) AS "e" FROM jsonb_array_elements(${JSON.stringify(pairs)}::jsonb))`,
  keyedRanges: (triples) =>
    Prisma.sql`(SELECT value ->> 0 AS "k", (value ->> 1)::timestamp(3) AS "s", (value ->> 2)::timestamp(3) AS "e" FROM jsonb_array_elements(${JSON.stringify(triples)}::jsonb))`,
  /**
   * One jsonb parameter of row objects, read as rows of the table's own type by jsonb_populate_recordset, so each
   * value is parsed by its column's type: a VALUES list would need a parameter per value, and the protocol allows
   * 65,535 (https://www.postgresql.org/docs/current/functions-json.html#FUNCTIONS-JSON-PROCESSING-TABLE).
   */
  bulkUpsert(table, columns, key, keep, rows) {
    const updated = columns.filter((c) => c !== key && !keep.includes(c));
    const list = columns.map(quote).join(', ');
    const objects = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i] === undefined ? null : row[i]])));
    const json = JSON.stringify(objects, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
    const head = Prisma.raw(`INSERT INTO ${quote(table)} (${list})
  SELECT ${list} FROM jsonb_populate_recordset(NULL::${quote(table)}, `);
    const tail = Prisma.raw(`::jsonb)
  ON CONFLICT (${quote(key)}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`);
    return Prisma.sql`${head}${json}${tail}`;
  },
  // serialization_failure and deadlock_detected: the transaction was rolled back and may succeed if run again
  // (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
  isBusy: (error) =>
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2034') || ['40001', '40P01'].includes(sqlState(error) ?? ''),
  isUniqueViolation: (error) =>
    (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') || sqlState(error) === '23505',
  rateMicros: (c) => Prisma.sql`CAST(CAST(${c} AS NUMERIC) * 1000000 AS BIGINT)`,
  // Held to the end of the transaction (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
  exclusive: (key) => Prisma.sql`SELECT pg_advisory_xact_lock(${key}::bigint)`,
  isOverflow: (error) => sqlState(error) === '22003' || (error instanceof Error && /\bout of range\b/.test(error.message)),
};

/** The dialect of the configured database: SQLite unless connectDatabase opened PostgreSQL. */
export let dialect: Dialect = sqlite;

/** One database per process: set once, when it is opened. */
export function useDialect(d: Dialect) {
  dialect = d;
}
