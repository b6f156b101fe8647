import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import { systemMeta, verifyAuditChain } from '../../server/src/audit/recorder.ts';
import { connectDatabase, type Db, openDatabase } from '../../server/src/db/client.ts';
import { COPIED_MODELS, copyDatabase, resetPostgresSequence } from '../../server/src/db/copy.ts';
import { Prisma } from '../../server/src/generated/prisma/client.ts';
import { onPostgres, postgresFor, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let dir: string;
let target: Db;
let dropTarget: (() => Promise<void>) | undefined;

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  await t.app.syncNow('startup');
  const alice = await t.cookieFor('alice');
  const admin = await t.cookieFor('admin', 'admin');
  const made = await t.gql('mutation { createReceipt(input: { cutoff: "2026-11-25T00:00:00Z" }) { id } }', {}, alice);
  expect(made.errors).toBeUndefined();
  const rate = await t.gql('mutation { updateRate(input: { tier: mu, cpuPerHour: "0.6", gpuPerHour: "12", memGBPerHour: "0.05" }) { tier } }', {}, admin);
  expect(rate.errors).toBeUndefined();
  // Accounts, a budget with an alert, a rate rule: every table holds rows to move.
  await applyAssociations(
    t.app.db,
    {
      accounts: [{ name: 'physics', description: 'Physics', organization: null, parent: null, coordinators: ['alice'] }],
      associations: [{ cluster: 'test', account: 'physics', user: 'alice', parentAccount: null, partition: null }],
    },
    systemMeta('test'),
  );
  expect((await t.gql('mutation { setBudget(input: { account: "physics", period: year, limit: "0.01" }) { id } }', {}, admin)).errors).toBeUndefined();
  expect((await t.gql('mutation { checkBudgets { threshold } }', {}, admin)).errors).toBeUndefined();
  expect(
    (await t.gql('mutation { createRateRule(input: { tier: mu, gpuType: "h100", cpuPerHour: "1", gpuPerHour: "40", memGBPerHour: "0.05" }) { id } }', {}, admin)).errors,
  ).toBeUndefined();
  dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-copy-'));
  // Into the database the suite runs on: a PostgreSQL database of its own under TEST_DATABASE_URL.
  if (onPostgres) {
    const database = await postgresFor(dir);
    dropTarget = database.drop;
    target = await connectDatabase({ databaseUrl: database.url, databaseFile: null });
  } else target = openDatabase(path.join(dir, 'copy.db'));
});
afterAll(async () => {
  await target?.$disconnect();
  await dropTarget?.();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('copying an installation into another database', () => {
  it('moves every table, row for row, ids included, and the audit chain still verifies', async () => {
    expect([...COPIED_MODELS].sort()).toEqual(Object.values(Prisma.ModelName).map(lowerFirst).sort());
    const afterTable = onPostgres ? (model: string, auto: boolean) => resetPostgresSequence(target, model, auto) : undefined;
    const counts = await copyDatabase(t.app.db, target, { batch: 7, afterTable });
    expect(counts.jobRecord).toBeGreaterThan(0);
    expect(counts.receiptItem).toBeGreaterThan(0);
    expect(counts.auditEntry).toBeGreaterThan(1);
    for (const model of COPIED_MODELS) {
      const read = (db: Db) => (db as any)[model].findMany();
      const [a, b] = await Promise.all([read(t.app.db), read(target)]);
      const byKey = (rows: any[]) => rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
      expect(byKey(b), model).toEqual(byKey(a));
    }
    expect(await verifyAuditChain(target)).toMatchObject({ ok: true, checked: counts.auditEntry });
    // New rows take the ids after the copied ones.
    const next = await target.rateHistory.create({ data: { tier: 'mu', changedBy: 'admin', newCpu: '1', newGpu: '1', newMem: '1' } });
    expect(next.id).toBe(Math.max(...(await t.app.db.rateHistory.findMany()).map((r) => r.id)) + 1);
  });

  it('refuses a target that already holds rows, and leaves it as it was', async () => {
    const before = await target.jobRecord.count();
    await expect(copyDatabase(t.app.db, target)).rejects.toThrow(/not empty: user has \d+ rows/);
    expect(await target.jobRecord.count()).toBe(before);
  });
});
