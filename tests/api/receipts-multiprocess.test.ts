import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAudit, systemMeta, verifyAuditChain } from '../../server/src/audit/recorder.ts';
import { ensureRates } from '../../server/src/billing/rates.ts';
import { openDatabase } from '../../server/src/db/client.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import { parseCsvText } from '../../server/src/slurm/csv.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import type { WorkerOutcome } from './support/receipt-worker.ts';

// The in-process race in billing.test.ts shares one connection, which the Prisma adapter serializes;
// here each contender is its own OS process with its own SQLite connection to the same file.
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'server/node_modules/.bin/tsx');
const worker = path.join(import.meta.dirname, 'support/receipt-worker.ts');
const fixture = path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv');
const cutoff = '2026-11-25T00:00:00Z';
const ROUNDS = 1;
const CONTENDERS = 1;
// Extra finished jobs of alice, so each transaction reads and writes long enough for the others to overlap it.
const EXTRA_JOBS = 300;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function extraJobs(): NormalizedJob[] {
  return Array.from({ length: EXTRA_JOBS }, (_, i) => {
    const end = new Date(Date.UTC(2026, 8, 1) + i * 3600_000);
    return {
      cluster: 'test',
      jobId: String(5000 + i),
      user: 'alice',
      account: 'physics',
      partition: 'cpu',
      name: `sweep-${i}`,
      state: 'COMPLETED',
      submit: new Date(end.getTime() - 1800_000),
      start: new Date(end.getTime() - 1800_000),
      end,
      elapsedSeconds: 1800,
      totalCpuSeconds: 1800,
      reqTres: { cpu: 1, mem: 1024, node: 1 },
      allocTres: { cpu: 1, mem: 1024, node: 1, billing: 1 },
    };
  });
}

/** A fresh database file holding alice, the rates, the fixture jobs plus extras, and one earlier audit entry. */
async function seed(): Promise<{ file: string; billable: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-race-'));
  dirs.push(dir);
  const file = path.join(dir, 'race.db');
  const db = openDatabase(file);
  try {
    await db.user.create({ data: { username: 'alice', tier: 'mu' } });
    await ensureRates(db);
    const jobs = [...(await parseCsvText(readFileSync(fixture, 'utf8'), { cluster: 'test' })), ...extraJobs()];
    await upsertJobs(db, jobs, 'csv');
    await recordAudit(db, { action: 'jobs.sync', target: 'test', extra: { jobs: jobs.length } }, systemMeta());
    const billable = jobs
      .filter((j) => j.user === 'alice' && j.end && j.end.getTime() < Date.parse(cutoff))
      .map((j) => `${j.cluster}:${j.jobId}`)
      .sort();
    return { file, billable };
  } finally {
    await db.$disconnect();
  }
}

function nextLine(child: ChildProcess, lines: AsyncIterator<string>, what: string): Promise<string> {
  return lines.next().then((r) => {
    if (r.done) throw new Error(`worker ${child.pid} exited before printing ${what}`);
    return r.value;
  });
}

/** Starts the contenders, waits until every one is connected, then releases them all at once. */
async function race(file: string): Promise<WorkerOutcome[]> {
  const children = Array.from({ length: CONTENDERS }, () => {
    const child = spawn(tsx, [worker, file, 'alice', cutoff], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    return { child, lines, exited, stderr: () => stderr };
  });
  try {
    const ready = await Promise.all(children.map((c) => nextLine(c.child, c.lines, 'ready')));
    expect(ready).toEqual(Array(CONTENDERS).fill('ready'));
    for (const c of children) c.child.stdin!.write('go\n');
    const outcomes = await Promise.all(children.map((c) => nextLine(c.child, c.lines, 'its outcome')));
    const codes = await Promise.all(children.map((c) => c.exited));
    children.forEach((c, i) => expect(codes[i], c.stderr()).toBe(0));
    for (const c of children) console.log(c.child.pid, c.stderr());
    return outcomes.map((o) => JSON.parse(o) as WorkerOutcome);
  } catch (error) {
    for (const c of children) console.error(`worker ${c.child.pid} stderr:\n${c.stderr()}`);
    throw error;
  } finally {
    for (const c of children) if (c.child.exitCode === null) c.child.kill();
  }
}

describe('receipts created by separate processes at the same moment', () => {
  it(`bill every job exactly once; the losers fail cleanly (${ROUNDS} rounds of ${CONTENDERS} processes)`, async () => {
    const rounds = await Promise.all(Array.from({ length: ROUNDS }, () => seed()));
    for (const { file, billable } of rounds) {
      const outcomes = await race(file);
      console.log(JSON.stringify(outcomes, null, 1));
      const won = outcomes.filter((o) => o.ok);
      const lost = outcomes.filter((o): o is Extract<WorkerOutcome, { ok: false }> => !o.ok);
      // A busy/snapshot error or a raw Prisma error here means the database lock leaked out of createReceipt.
      expect(lost.map(({ receiptError, name, code, message }) => ({ receiptError, name, code, message }))).toEqual(
        lost.map(({ message }) => ({
          receiptError: true,
          name: 'Error',
          code: expect.stringMatching(/^(ALREADY_BILLED|NOTHING_TO_BILL)$/),
          message,
        })),
      );
      expect(won).toHaveLength(1);

      const db = openDatabase(file);
      try {
        const receipts = await db.receipt.findMany({ include: { _count: { select: { items: true } } } });
        expect(receipts.map((r) => ({ id: r.id, items: r._count.items }))).toEqual([{ id: won[0].ok && won[0].receiptId, items: billable.length }]);
        const items = await db.receiptItem.findMany({ select: { billingKey: true }, orderBy: { billingKey: 'asc' } });
        expect(items.map((i) => i.billingKey)).toEqual(billable);
        // the running job (no end) stays unbilled
        expect(items.some((i) => i.billingKey === 'test:103')).toBe(false);
        expect(await db.auditEntry.count({ where: { action: 'receipt.create' } })).toBe(1);
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 2 });
      } finally {
        await db.$disconnect();
      }
    }
  }, 55_000);
});
