// The reader thread of db/reader.ts: one read-only connection, one query at a time.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.databaseFile, { readonly: true, fileMustExist: true, timeout: 10_000 });
db.defaultSafeIntegers(true);

parentPort.on('message', ({ id, sql, values }) => {
  try {
    // Prisma's raw SQL for SQLite numbers its placeholders `?`; bind them in order.
    const rows = db.prepare(sql).all(...values.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
    parentPort.postMessage({ id, rows });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
