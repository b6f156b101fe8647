import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildParkedIndexes } from './deferred-indexes.ts';

/**
 * Applies prisma/migrations at start-up, the way `prisma migrate deploy` does: each pending
 * migration.sql in name order, recorded in Prisma's own `_prisma_migrations` table with the same
 * checksum (SHA-256 of the file), so the Prisma CLI sees the database as migrated where it runs.
 * Done here because the CLI's schema engine is a native download that fails offline.
 */
export function applyMigrations(dbFile: string, migrationsDir: string): string[] {
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`);
    const rows = db
      .prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL')
      .all() as Array<{ migration_name: string; checksum: string; finished_at: number | null }>;
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const names = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const applied: string[] = [];
    for (const name of names) {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const prior = done.get(name);
      if (prior) {
        if (prior.finished_at == null) {
          throw new Error(`migration ${name} failed earlier and was not rolled back; fix the database, then mark it rolled back`);
        }
        if (prior.checksum !== checksum) {
          throw new Error(`migration ${name} was modified after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      // The text form Prisma's schema engine writes through the SQLite driver adapter.
      const stamp = () => new Date().toISOString().replace('Z', '+00:00');
      db.transaction(() => {
        db.prepare(
          'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)',
        ).run(id, checksum, name, stamp());
        db.exec(sql);
        db.prepare('UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?').run(stamp(), id);
      })();
      applied.push(name);
    }
    // A first sync killed before it built the indexes it had deferred (db/deferred-indexes.ts).
    db.transaction(() => buildParkedIndexes(db))();
    return applied;
  } finally {
    db.close();
  }
}
