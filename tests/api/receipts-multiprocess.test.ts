import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, systemMeta, verifyAuditChain } from '../../server/src/audit/recorder.ts';
import { ensureRates } from '../../server/src/billing/rates.ts';
import { connectDatabase } from '../../server/src/db/client.ts';
import { jobKey, upsertJobs } from '../../server/src/jobs/ledger.ts';
import { parseCsvText } from '../../server/src/slurm/csv.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { postgresFor } from './harness.ts';
import type { WorkerOutcome } from './support/receipt-worker.ts';

// The in-process race in billing.test.ts shares one connection, which the Prisma adapter serializes;
// here each contender is its own OS process with its own SQLite connection to the same file.
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'server/node_modules/.bin/tsx');
const workerScript = path.join(import.meta.dirname, 'support/receipt-worker.ts');
const fixture = path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv');
const cutoff = '2026-11-25T00:00:00Z';
const CONTENDERS = 5;
// The first round runs cold (each process compiles its queries), the later ones warm and tighter.
const ROUNDS = 5;
// Extra finished jobs of alice, so that a transaction lasts long enough for the others to run into it.
const EXTRA_JOBS = 40;

interface Contender {
  child: ChildProcess;
  lines: AsyncIterator<string>;
  stderr: () => string;
  exited: Promise<number | null>;
}

let contenders: Contender[] = [];
const dirs: string[] = [];
const drops: Array<() => Promise<void>> = [];
const outcomesByRound: WorkerOutcome[][] = [];

beforeAll(async () => {
  contenders = Array.from({ length: CONTENDERS }, () => {
    const child = spawn(tsx, [workerScript, 'alice', cutoff], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    return { child, lines, exited, stderr: () => stderr };
  });
  expect(await Promise.all(contenders.map((c) => nextLine(c, 'up')))).toEqual(Array(CONTENDERS).fill('up'));
});

afterAll(async () => {
  for (const c of contenders) c.child.stdin!.end();
  // A worker exits once its stdin closes, however long a loaded machine takes for that; the deadline, well inside
  // the hook timeout, only keeps a hung one from outliving the run.
  const deadline = new Promise<'hung'>((r) => setTimeout(r, 40_000, 'hung').unref());
  const codes = await Promise.all(contenders.map((c) => Promise.race([c.exited, deadline])));
  for (const c of contenders) if (c.child.exitCode === null) c.child.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  for (const drop of drops) await drop();
  expect(codes, contenders.map((c) => c.stderr()).join('\n')).toEqual(Array(CONTENDERS).fill(0));
});

function extraJobs(): NormalizedJob[] {
  return Array.from({ length: EXTRA_JOBS }, (_, i) => {
    const end = new Date(Date.UTC(2026, 8, 1) + i * 3600_000);
    const start = new Date(end.getTime() - 1800_000);
    return {
      cluster: 'test',
      jobId: String(5000 + i),
      user: 'alice',
      account: 'physics',
      partition: 'cpu',
      name: `sweep-${i}`,
      state: 'COMPLETED',
      submit: start,
      start,
      end,
      elapsedSeconds: 1800,
      totalCpuSeconds: 1800,
      reqTres: { cpu: 1, mem: 1024, node: 1 },
      allocTres: { cpu: 1, mem: 1024, node: 1, billing: 1 },
    };
  });
}

/**
 * A fresh database (a file, or a PostgreSQL database under TEST_DATABASE_URL): alice, the rates, the fixture jobs
 * plus extras, and one earlier audit entry.
 */
async function seed(): Promise<{ file: string; billable: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-race-'));
  dirs.push(dir);
  const pg = process.env.TEST_DATABASE_URL ? await postgresFor(dir) : null;
  if (pg) drops.push(pg.drop);
  const file = pg ? pg.url : path.join(dir, 'race.db');
  const db = await open(file);
  try {
    await db.user.create({ data: { username: 'alice', tier: 'mu' } });
    await ensureRates(db);
    const jobs = [...(await parseCsvText(readFileSync(fixture, 'utf8'), { cluster: 'test' })), ...extraJobs()];
    await upsertJobs(db, jobs, 'csv');
    await recordAudit(db, { action: 'jobs.sync', target: 'test', extra: { jobs: jobs.length } }, systemMeta());
    // The running job (no end) and bob's are not alice's to bill.
    const billable = jobs.filter((j) => j.user === 'alice' && j.end && j.end < new Date(cutoff)).map(jobKey);
    return { file, billable: billable.sort() };
  } finally {
    await db.$disconnect();
  }
}

const open = (target: string) =>
  connectDatabase(target.startsWith('postgres') ? { databaseUrl: target, databaseFile: null } : { databaseUrl: `file:${target}`, databaseFile: target });

async function nextLine(c: Contender, what: string): Promise<string> {
  const r = await c.lines.next();
  if (r.done) throw new Error(`worker ${c.child.pid} ended before printing ${what}:\n${c.stderr()}`);
  return r.value;
}

/** Points every contender at the file, waits until each has it open, then releases them all at once. */
async function race(file: string): Promise<WorkerOutcome[]> {
  for (const c of contenders) c.child.stdin!.write(`open ${file}\n`);
  expect(await Promise.all(contenders.map((c) => nextLine(c, 'ready')))).toEqual(Array(CONTENDERS).fill('ready'));
  for (const c of contenders) c.child.stdin!.write('go\n');
  const lines = await Promise.all(contenders.map((c) => nextLine(c, 'its outcome')));
  return lines.map((l) => JSON.parse(l) as WorkerOutcome);
}

describe(`receipts created by ${CONTENDERS} processes at the same moment`, () => {
  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))(
    'round %i: bill every job exactly once, and the losers fail cleanly',
    async () => {
      const { file, billable } = await seed();
      const outcomes = await race(file);
      outcomesByRound.push(outcomes);

      // A busy/snapshot error or a raw Prisma error here means the lock conflict leaked out of createReceipt.
      for (const o of outcomes.filter((x) => !x.ok)) {
        expect({ receiptError: o.receiptError, code: o.code }, JSON.stringify(o)).toEqual({
          receiptError: true,
          code: expect.stringMatching(/^(ALREADY_BILLED|NOTHING_TO_BILL)$/),
        });
      }
      const won = outcomes.filter((o) => o.ok);
      expect(won).toHaveLength(1);

      const db = await open(file);
      try {
        // one receipt with every billable job on it: none empty, none partial
        const receipts = await db.receipt.findMany({ include: { _count: { select: { items: true } } } });
        expect(receipts.map((r) => ({ id: r.id, items: r._count.items }))).toEqual([{ id: won[0].ok && won[0].receiptId, items: billable.length }]);
        const items = await db.receiptItem.findMany({ select: { billingKey: true }, orderBy: { billingKey: 'asc' } });
        expect(items.map((i) => i.billingKey)).toEqual(billable);
        expect(items.map((i) => i.billingKey)).not.toContain('test:103');
        expect(await db.auditEntry.count({ where: { action: 'receipt.create' } })).toBe(1);
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 2 });
      } finally {
        await db.$disconnect();
      }
    },
  );

  // Guards the test itself: without overlapping calls the rounds above would prove nothing.
  it('really raced: in most rounds a loser was inside createReceipt while the winner was', () => {
    const overlapped = outcomesByRound.filter((outcomes) => {
      const winner = outcomes.find((o) => o.ok);
      return winner && outcomes.some((o) => !o.ok && o.startedAt < winner.endedAt && winner.startedAt < o.endedAt);
    });
    expect(overlapped.length).toBeGreaterThanOrEqual(Math.ceil(ROUNDS / 2));
  });
});
