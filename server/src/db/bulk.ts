import type Database from 'better-sqlite3';
import { Prisma } from '../generated/prisma/client.ts';
import { type Db, transactionConnection, type Tx } from './client.ts';
import { dialect } from './dialect.ts';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement per SQL text and connection: the adapter prepares each statement anew every time it runs. */
function prepared(connection: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

/** A value as the adapter would bind it: booleans as 1 and 0, instants as the ledger's text. */
const bindable = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v instanceof Date ? dialect.instant(v) : v === undefined ? null : v);

/**
 * Runs a writing statement inside the transaction `tx`: on SQLite as a statement prepared once on the connection
 * the transaction holds (the rollups run the same few statements for every chunk of a sync), elsewhere through
 * Prisma. Returns how many rows it changed.
 */
export async function execute(tx: Tx | Db, sql: Prisma.Sql): Promise<number> {
  const connection = transactionConnection(tx);
  if (!connection) return tx.$executeRaw(sql);
  return prepared(connection, sql.sql).run(sql.values.map(bindable)).changes;
}

/**
 * The stored values of `columns` of the rows of `table` whose `key` is in `keys`, by key, in the form the caller
 * binds them (instants as the dialect's text, integers as JS numbers: the callers' columns are bounded well below
 * 2^53), so they compare with the values about to be written. On SQLite read on the connection the transaction `tx`
 * holds, as SQLite holds them; elsewhere through Prisma, its dates and big integers put back in that form.
 */
export async function storedRows(tx: Tx, table: string, columns: readonly string[], key: string, keys: readonly string[]): Promise<Map<string, unknown[]>> {
  const query = Prisma.sql`${Prisma.raw(`SELECT ${quote(key)}, ${columns.map(quote).join(', ')} FROM ${quote(table)} WHERE ${quote(key)} IN `)}${dialect.valuesOf(keys)}`;
  const stored = new Map<string, unknown[]>();
  const connection = transactionConnection(tx);
  if (connection) {
    const statement = prepared(connection, query.sql).raw(true).safeIntegers(false);
    for (const row of statement.all(query.values) as unknown[][]) stored.set(row[0] as string, row.slice(1));
    return stored;
  }
  const asBound = (v: unknown) => (v instanceof Date ? dialect.instant(v) : typeof v === 'bigint' ? Number(v) : v);
  for (const row of await tx.$queryRaw<Array<Record<string, unknown>>>(query)) stored.set(row[key] as string, columns.map((c) => asBound(row[c])));
  return stored;
}

/**
 * Inserts `rows` into `table`, replacing the row of an existing `key` except for the `keep` columns, inside the
 * transaction `tx`. The rows hold text, numbers and nulls only, bound as they are. On SQLite one prepared statement runs per row on the connection the transaction holds: about
 * twice as fast as one statement reading the rows from a JSON parameter, where each row's fields are found again by
 * position. Elsewhere, the dialect's one-statement upsert.
 */
export async function upsertRows(tx: Tx, table: string, columns: readonly string[], key: string, keep: readonly string[], rows: unknown[][]) {
  const connection = transactionConnection(tx);
  if (!connection) {
    await tx.$executeRaw(dialect.bulkUpsert(table, columns, key, keep, rows));
    return;
  }
  const updated = columns.filter((c) => c !== key && !keep.includes(c));
  insertMany(connection, `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES`, columns.length,
    ` ON CONFLICT (${quote(key)}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`, rows);
}

/**
 * Runs `head (…)tail` once per row of `rows` (arrays of `width` values), prepared once. One row a statement: a
 * multi-row VALUES list of 16 or 64 rows made a sync about 10 % slower.
 */
function insertMany(connection: Database.Database, head: string, width: number, tail: string, rows: Iterable<unknown[]>) {
  const statement = prepared(connection, `${head} (${Array(width).fill('?').join(', ')})${tail}`);
  for (const row of rows) statement.run(row);
}

/** Whether `tx` runs on a SQLite connection this module can prepare statements on (the bulk paths below need one). */
export const onSqliteConnection = (tx: Tx | Db) => transactionConnection(tx) !== undefined;

function connectionOf(tx: Tx | Db): Database.Database {
  const connection = transactionConnection(tx);
  if (!connection) throw new Error('a SQLite transaction is required here');
  return connection;
}

/** The rows a read answers on the SQLite connection `tx` holds, as arrays in the order of its columns. */
export function sqliteRows(tx: Tx | Db, sql: Prisma.Sql): unknown[][] {
  return prepared(connectionOf(tx), sql.sql).raw(true).safeIntegers(false).all(sql.values.map(bindable)) as unknown[][];
}

/**
 * Adds `rows` (key columns, then `measures`) to `table` on the SQLite connection `tx` holds: a new key is inserted,
 * an existing one has each measure increased by the row's. Without `keys`, every row is inserted as it is.
 */
export function addRows(tx: Tx | Db, table: string, keys: readonly string[] | null, columns: readonly string[], measures: readonly string[], rows: Iterable<unknown[]>) {
  const all = [...columns, ...measures];
  const conflict = keys
    ? ` ON CONFLICT (${keys.map(quote).join(', ')}) DO UPDATE SET ${measures.map((m) => `${quote(m)} = ${quote(m)} + excluded.${quote(m)}`).join(', ')}`
    : '';
  insertMany(connectionOf(tx), `INSERT INTO ${quote(table)} (${all.map(quote).join(', ')}) VALUES`, all.length, conflict, rows);
}
