import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type Database from 'better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { PrismaClient as PostgresClient } from '../generated/prisma-pg/client.ts';
import { postgres, useDialect } from './dialect.ts';
import { applyMigrations } from './migrate.ts';
import { applyPostgresMigrations } from './migrate-pg.ts';
import { retryOnConflict } from './retry.ts';
import { type ConnectionSlot, serializedAdapter } from './serialized-adapter.ts';

export type Db = PrismaClient;
/** The client passed to `$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const migrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations');
const postgresMigrationsDir = path.resolve(import.meta.dirname, '../../../prisma/postgres/migrations');

/**
 * Every transaction of the app runs again, a bounded number of times, when the database refuses
 * it for a conflict with another connection's write (another process on the same file), and then
 * answers RETRY_LATER instead of a driver error. Each transaction is a closed function of its
 * inputs, so running it again is safe; a single statement outside one waits on the busy timeout.
 */
function retryingTransactions(client: PrismaClient, slot: ConnectionSlot): PrismaClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === '$transaction') {
        return (...args: Parameters<PrismaClient['$transaction']>) => {
          const [run, options] = args as [unknown, never];
          // An interactive transaction's client is known as such, so statements can run on the connection it holds.
          const body = typeof run === 'function' ? (tx: Tx) => (transactions.set(tx, slot), (run as (tx: Tx) => unknown)(tx)) : run;
          return retryOnConflict(() => target.$transaction(body as never, options));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

const WAL_CHECKPOINT_PAGES = 10_000;

/** Opens the SQLite database, applying pending migrations first. */
export function openDatabase(databaseFile: string): Db {
  mkdirSync(path.dirname(databaseFile), { recursive: true });
  applyMigrations(databaseFile, migrationsDir);
  // busy timeout: concurrent writers (receipts, audit) wait for the lock instead of failing.
  const slot: ConnectionSlot = {};
  const adapter = serializedAdapter(new PrismaBetterSqlite3({ url: `file:${databaseFile}`, timeout: 10_000 }), slot, (connection) =>
    // SQLite checkpoints the WAL into the database file after 1,000 pages by default, with two fsyncs each time: a
    // sync writing its day chunks paid one every few commits (a 100k-job first sync took 9.3 s, 7.3 s with this).
    // Pages written again between checkpoints are copied once; the WAL grows to about 40 MB before it is reused.
    (connection as Database.Database).pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`),
  );
  return retryingTransactions(new PrismaClient({ adapter }), slot);
}

/**
 * Opens the configured database, applying pending migrations first: the SQLite file, or PostgreSQL when
 * DATABASE_URL names it. The PostgreSQL client is generated from the same models, so it stands behind `Db`.
 */
export async function connectDatabase(config: { databaseUrl: string; databaseFile: string | null }): Promise<Db> {
  if (config.databaseFile !== null) return openDatabase(config.databaseFile);
  await applyPostgresMigrations(config.databaseUrl, postgresMigrationsDir);
  useDialect(postgres);
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: config.databaseUrl }) });
  return retryingTransactions(client as unknown as PrismaClient, {});
}

const transactions = new WeakMap<Tx, ConnectionSlot>();

/** The connection an interactive transaction `tx` holds, while it is open: a statement run on it is part of `tx`. */
export function transactionConnection(tx: Tx | Db): Database.Database | undefined {
  const connection = transactions.get(tx as Tx)?.connection as Database.Database | undefined;
  return connection?.inTransaction ? connection : undefined;
}


/** For /healthz: the database answers. */
export async function checkDatabase(db: Db) {
  await db.$queryRawUnsafe('SELECT 1');
}
