import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type Database from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { applyMigrations } from './migrate.ts';
import { retryOnConflict } from './retry.ts';
import { type ConnectionSlot, serializedAdapter } from './serialized-adapter.ts';

export type Db = PrismaClient;
/** The client passed to `$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const migrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations');

/**
 * Every transaction of the app runs again, a bounded number of times, when the database refuses
 * it for a conflict with another connection's write (another process on the same file), and then
 * answers RETRY_LATER instead of a driver error. Each transaction is a closed function of its
 * inputs, so running it again is safe; a single statement outside one waits on the busy timeout.
 */
function retryingTransactions(client: PrismaClient): PrismaClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === '$transaction') {
        return (...args: Parameters<PrismaClient['$transaction']>) => retryOnConflict(() => target.$transaction(...args));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Opens the SQLite database, applying pending migrations first. */
export function openDatabase(databaseFile: string): Db {
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  applyMigrations(databaseFile, migrationsDir);
  // busy timeout: concurrent writers (receipts, audit) wait for the lock instead of failing.
  const slot: ConnectionSlot = {};
  const adapter = serializedAdapter(new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: 10_000 }), slot);
  const db = retryingTransactions(new PrismaClient({ adapter }));
  connections.set(db, slot);
  return db;
}

const connections = new WeakMap<Db, ConnectionSlot>();

/**
 * The better-sqlite3 connection under `db`, once it has connected: the one the adapter runs every query and
 * transaction on, so a statement run on it inside `db.$transaction` is part of that transaction.
 */
export function connectionOf(db: Db): Database.Database | undefined {
  return connections.get(db)?.connection as Database.Database | undefined;
}

/** For /healthz: the database answers. */
export async function checkDatabase(db: Db) {
  await db.$queryRawUnsafe('SELECT 1');
}
