import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations } from './migrate.ts';
import { serializedAdapter } from './serialized-adapter.ts';

export type Db = PrismaClient;
/** The client passed to `$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const migrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations');

/** Opens the SQLite database, applying pending migrations first. */
export function openDatabase(databaseFile: string): Db {
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  applyMigrations(databaseFile, migrationsDir);
  // busy timeout: concurrent writers (receipts, audit) wait for the lock instead of failing.
  const adapter = serializedAdapter(new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: 10_000 }));
  return new PrismaClient({ adapter });
}
