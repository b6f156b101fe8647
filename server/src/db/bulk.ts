import type Database from 'better-sqlite3';
import { connectionOf, type Db, type Tx } from './client.ts';
import { dialect } from './dialect.ts';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * Inserts `rows` into `table`, replacing the row of an existing `key` except for the `keep` columns, inside the
 * caller's transaction `tx` on `db`. On SQLite one prepared statement runs per row on the connection the
 * transaction holds: about twice as fast as one statement reading the rows from a JSON parameter, where each
 * row's fields are found again by position. Elsewhere, the dialect's one-statement upsert.
 */
export async function upsertRows(
  db: Db,
  tx: Tx,
  table: string,
  columns: readonly string[],
  key: string,
  keep: readonly string[],
  rows: unknown[][],
) {
  const connection = connectionOf(db);
  if (!connection) {
    await tx.$executeRaw(dialect.bulkUpsert(table, columns, key, keep, rows));
    return;
  }
  const updated = columns.filter((c) => c !== key && !keep.includes(c));
  const sql = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
  ON CONFLICT (${quote(key)}) DO UPDATE SET ${updated.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = connection.prepare(sql)));
  if (!connection.inTransaction) throw new Error(`upsertRows(${table}) must run inside a transaction on its database`);
  for (const row of rows) statement.run(row.map((v) => (v === undefined ? null : v)));
}
