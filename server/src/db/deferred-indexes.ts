import type Database from 'better-sqlite3';

/**
 * The indexes a first sync into an empty SQLite ledger drops and builds once at its end. Each is keyed by a user or
 * an account, so every batch of a sync inserts into hundreds of places in it, and its commit writes all those pages
 * again (about 4,300 WAL pages a day's batch). A 1M-job first sync took 37.7 and 43.9 s this way, building them in
 * about 3 s at its end, against 40.2 and 48.1 s keeping them (alternating runs on one machine). The jobs' end and the
 * quarter hours' bucket stay: every batch reads by them.
 */
const DEFERRABLE = ['JobRecord_user_end_idx', 'JobRecord_account_idx', 'UsageRollup_user_bucket_idx'];

/** Where the dropped definitions wait, so a process killed before building them has them built at the next open. */
const PARKED = '_deferred_indexes';

interface Definition {
  name: string;
  sql: string;
}

/** Drops the deferrable indexes on `connection`, in the caller's transaction, keeping their definitions. */
export function parkDeferrableIndexes(connection: Database.Database): void {
  connection.exec(`CREATE TABLE IF NOT EXISTS "${PARKED}" ("name" TEXT PRIMARY KEY NOT NULL, "sql" TEXT NOT NULL)`);
  const defined = connection
    .prepare(`SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'index' AND "name" IN (${DEFERRABLE.map(() => '?').join(', ')})`)
    .all(...DEFERRABLE) as Definition[];
  for (const { name, sql } of defined) {
    connection.prepare(`INSERT OR REPLACE INTO "${PARKED}" ("name", "sql") VALUES (?, ?)`).run(name, sql);
    connection.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
  }
}

/** Builds the indexes parkDeferrableIndexes dropped, in the caller's transaction. */
export function buildParkedIndexes(connection: Database.Database): void {
  if (!connection.prepare(`SELECT 1 FROM sqlite_master WHERE "type" = 'table' AND "name" = ?`).get(PARKED)) return;
  for (const { name, sql } of connection.prepare(`SELECT "name", "sql" FROM "${PARKED}"`).all() as Definition[]) {
    // Another process may have built it already (it opened the ledger during the sync).
    if (connection.prepare(`SELECT 1 FROM sqlite_master WHERE "type" = 'index' AND "name" = ?`).get(name)) continue;
    connection.exec(sql);
  }
  connection.exec(`DROP TABLE "${PARKED}"`);
}
