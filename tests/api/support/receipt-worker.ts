/**
 * One contender in the multi-process receipt race (tests/api/receipts-multiprocess.test.ts):
 * opens the SQLite file with its own connection, prints `ready`, waits for a line on stdin (the
 * start barrier), then creates one receipt and prints the outcome as one JSON line.
 *
 *   tsx tests/api/support/receipt-worker.ts <dbfile> <username> <cutoff>
 */
import { createInterface } from 'node:readline';
import { systemMeta } from '../../../server/src/audit/recorder.ts';
import { createReceipt, ReceiptError } from '../../../server/src/billing/receipts.ts';
import { openDatabase } from '../../../server/src/db/client.ts';

export type WorkerOutcome =
  | { ok: true; receiptId: number; pid: number }
  | { ok: false; pid: number; receiptError: boolean; name: string; code: unknown; message: string; meta?: unknown };

const [dbFile, username, cutoff] = process.argv.slice(2);
if (!dbFile || !username || !cutoff) {
  console.error('usage: receipt-worker.ts <dbfile> <username> <cutoff>');
  process.exit(2);
}

const db = openDatabase(dbFile);
// Connect and run one query before the barrier, so start-up cost does not spread the contenders apart.
await db.user.findUnique({ where: { username } });
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();

let outcome: WorkerOutcome;
const started = performance.now();
try {
  const receipt = await createReceipt(db, username, new Date(cutoff), systemMeta(username));
  outcome = { ok: true, receiptId: receipt.id, pid: process.pid };
} catch (error) {
  const e = error as { name?: string; code?: unknown; message?: string; meta?: unknown };
  outcome = {
    ok: false,
    pid: process.pid,
    receiptError: error instanceof ReceiptError,
    name: e?.name ?? typeof error,
    code: e?.code,
    message: e?.message ?? String(error),
    meta: e?.meta,
  };
}
console.error(`took ${Math.round(performance.now() - started)} ms`);
await db.$disconnect();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
