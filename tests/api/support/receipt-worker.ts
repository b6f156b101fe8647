/**
 * One contender in the multi-process receipt race (tests/api/receipts-multiprocess.test.ts), driven
 * line by line over stdin so one process serves several rounds:
 *
 *   tsx tests/api/support/receipt-worker.ts <username> <cutoff>   → prints `up` once loaded
 *   stdin `open <dbfile>` → opens the file with its own connection, prints `ready`
 *   stdin `go`            → creates one receipt, prints the outcome as one JSON line, closes the file
 *
 * The parent waits for every `ready` before it sends any `go`: that is the start barrier.
 */
import { createInterface } from 'node:readline';
import { systemMeta } from '../../../server/src/audit/recorder.ts';
import { createReceipt, ReceiptError } from '../../../server/src/billing/receipts.ts';
import { connectDatabase, type Db } from '../../../server/src/db/client.ts';

/** `startedAt`/`endedAt` (epoch ms) bracket the createReceipt call, so the test can see that the calls overlapped. */
export type WorkerOutcome = { startedAt: number; endedAt: number } & (
  | { ok: true; receiptId: number }
  | { ok: false; receiptError: boolean; name: string; code: unknown; message: string; meta?: unknown }
);

const clock = () => performance.timeOrigin + performance.now();

const [username, cutoff] = process.argv.slice(2);
if (!username || !cutoff) {
  console.error('usage: receipt-worker.ts <username> <cutoff>, then `open <dbfile>` and `go` on stdin');
  process.exit(2);
}

async function attempt(db: Db): Promise<WorkerOutcome> {
  const startedAt = clock();
  try {
    const receipt = await createReceipt(db, username, new Date(cutoff), systemMeta(username));
    return { startedAt, endedAt: clock(), ok: true, receiptId: receipt.id };
  } catch (error) {
    const e = error as { name?: string; code?: unknown; message?: string; meta?: unknown };
    return {
      startedAt,
      endedAt: clock(),
      ok: false,
      receiptError: error instanceof ReceiptError,
      name: e?.name ?? typeof error,
      code: e?.code,
      message: e?.message ?? String(error),
      meta: e?.meta,
    };
  }
}

// Loading tsx, Prisma and the modules is the slow part of a start: the parent waits for this line once.
process.stdout.write('up\n');
let db: Db | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.startsWith('open ')) {
    // A SQLite file, or a PostgreSQL URL when the suite runs on PostgreSQL.
    const target = line.slice('open '.length);
    db = await connectDatabase(
      /^postgres(ql)?:\/\//.test(target) ? { databaseUrl: target, databaseFile: null } : { databaseUrl: `file:${target}`, databaseFile: target },
    );
    // Connect and run one query before the barrier, so opening the file does not spread the contenders apart.
    await db.user.findUnique({ where: { username } });
    process.stdout.write('ready\n');
  } else if (line === 'go' && db) {
    const outcome = await attempt(db);
    await db.$disconnect();
    db = undefined;
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
  } else {
    throw new Error(`unexpected command: ${line}`);
  }
}
