import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Prisma } from '../generated/prisma/client.ts';
import type { Db, Tx } from './client.ts';

/**
 * Aggregate reads (usage totals, series) on a connection of their own in a worker thread, so a
 * heavy query never holds the event loop that every other request and /healthz need. SQLite in
 * WAL mode lets this reader see every committed write while the main connection keeps writing;
 * integers come back as BigInt, as through Prisma's adapter, so sums stay exact.
 */
export interface Reader {
  query<T = Record<string, unknown>>(sql: Prisma.Sql): Promise<T[]>;
  close(): Promise<void>;
}

const workerFile = fileURLToPath(new URL('./reader-worker.mjs', import.meta.url));
const readers = new WeakMap<object, Reader>();

export function openReader(databaseFile: string): Reader {
  const worker = new Worker(workerFile, { workerData: { databaseFile } });
  worker.unref();
  let next = 0;
  const pending = new Map<number, { resolve: (rows: never[]) => void; reject: (e: Error) => void }>();
  worker.on('message', (m: { id: number; rows?: never[]; error?: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error !== undefined) p.reject(new Error(m.error));
    else p.resolve(m.rows!);
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', (error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  return {
    query(sql) {
      const id = next++;
      worker.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as never, reject });
        worker.postMessage({ id, sql: sql.sql, values: sql.values });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

export const attachReader = (db: Db, reader: Reader) => void readers.set(db, reader);

/**
 * A read-only aggregate: on the database's reader thread when it has one, else on the client. Given a transaction,
 * it runs inside it, so it sees that transaction's own writes.
 */
export function readQuery<T = Record<string, unknown>>(db: Db | Tx, sql: Prisma.Sql): Promise<T[]> {
  const reader = readers.get(db);
  return reader ? reader.query<T>(sql) : (db.$queryRaw(sql) as Promise<T[]>);
}
