import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWindow } from '../../server/src/jobs/sync.ts';
import { startTestApp, type TestApp } from './harness.ts';

/**
 * An account that may see only its own jobs (PrivateData=jobs, not an operator) gets a silent subset from Slurm. The
 * sync stores what it saw, but records the run as partial with the reason and leaves the watermark where it was.
 */

const sacctTime = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 19);
const HOUR = 3_600_000;
/** The fixture's jobs, plus one of alice's and one of bob's that ended within the interval sync's lookback. */
const FULL = [
  readFileSync(path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), 'utf8').trimEnd(),
  `test,300,alice,physics,cpu,recent,COMPLETED,${sacctTime(4 * HOUR)},${sacctTime(3 * HOUR)},${sacctTime(2 * HOUR)},01:00:00,00:30:00,"cpu=1,mem=2G,node=1","cpu=1,mem=2G,node=1"`,
  `test,301,bob,chemistry,cpu,recent,COMPLETED,${sacctTime(3 * HOUR)},${sacctTime(2 * HOUR)},${sacctTime(HOUR)},01:00:00,00:30:00,"cpu=1,mem=2G,node=1","cpu=1,mem=2G,node=1"`,
].join('\n');
/** The same export as alice would see it: bob's jobs are not there. */
const ALICE_ONLY = FULL.split('\n')
  .filter((line) => !line.includes(',bob,'))
  .join('\n');

const RUN_FIELDS = 'id status source jobCount partialReason rangeFrom rangeTo';

let t: TestApp;
let csv: string;
let admin: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-test-'));
  csv = path.join(dir, 'jobs.csv');
  writeFileSync(csv, FULL);
  t = await startTestApp({ JOBS_CSV: csv }, dir);
  await t.app.syncNow('startup');
  admin = await t.cookieFor('admin', 'admin');
});
afterAll(() => t.close());

describe('a sync that sees only some users’ jobs', () => {
  it('the first, complete sync is ok and moves the watermark', async () => {
    const run = await t.app.db.syncRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(run).toMatchObject({ status: 'ok', jobCount: 7, partialReason: null });
  });

  it('is partial when users the ledger holds in the window are missing, stores what it saw, and says why', async () => {
    writeFileSync(csv, ALICE_ONLY);
    const before = await nextWindow(t.app.db, 3600, null);
    const aliceJob = await t.app.db.jobRecord.findUniqueOrThrow({ where: { key: 'test:100' } });

    const r = await t.gql(`mutation { syncJobs(from: "2026-01-01T00:00:00Z") { ${RUN_FIELDS} } }`, {}, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.syncJobs).toHaveLength(1);
    expect(r.data.syncJobs[0]).toMatchObject({ status: 'partial', source: 'csv', jobCount: 5 });
    expect(r.data.syncJobs[0].partialReason).toMatch(/only alice's jobs/);
    expect(r.data.syncJobs[0].partialReason).toMatch(/1 other user\(s\).*\(bob\)/);
    expect(r.data.syncJobs[0].partialReason).toMatch(/PrivateData=jobs/);

    // Nothing lost: alice's jobs were written again, bob's stay as they were.
    const again = await t.app.db.jobRecord.findUniqueOrThrow({ where: { key: 'test:100' } });
    expect(again.syncedAt.getTime()).toBeGreaterThanOrEqual(aliceJob.syncedAt.getTime());
    expect(await t.app.db.jobRecord.count({ where: { user: 'bob' } })).toBe(2);
    expect(await t.app.db.jobRecord.count()).toBe(7);

    expect(await nextWindow(t.app.db, 3600, null)).toEqual({ ...before, to: expect.any(Date) });
    const audit = await t.app.db.auditEntry.findFirstOrThrow({ where: { action: 'jobs.sync' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(audit.extra)).toMatchObject({ partial: true, partialReason: expect.stringMatching(/bob/) });
  });

  it('an interval run that sees the same subset never moves the watermark, and is not the data source', async () => {
    const before = await nextWindow(t.app.db, 3600, null);
    await t.app.syncNow('interval');
    const run = await t.app.db.syncRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(run).toMatchObject({ status: 'partial', trigger: 'interval' });
    expect(run.partialReason).toMatch(/bob/);
    expect((await nextWindow(t.app.db, 3600, null)).from).toEqual(before.from);

    const source = await t.gql('{ dataSource { id status } }', {}, admin);
    expect(source.data.dataSource).toMatchObject({ status: 'ok' });
    expect(source.data.dataSource.id).not.toBe(run.id);
  });

  it('shows the reason to staff only', async () => {
    const operator = await t.cookieFor('oper', 'operator');
    const alice = await t.cookieFor('alice', 'user');
    const asOperator = await t.gql('{ dataSource { status partialReason } }', {}, operator);
    expect(asOperator.errors).toBeUndefined();
    const asAlice = await t.gql('{ dataSource { status partialReason } }', {}, alice);
    expect(asAlice.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('is ok again once the whole view is back', async () => {
    writeFileSync(csv, FULL);
    const before = await nextWindow(t.app.db, 3600, null);
    await t.app.syncNow('interval');
    const run = await t.app.db.syncRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(run).toMatchObject({ status: 'ok', partialReason: null });
    expect((await nextWindow(t.app.db, 3600, null)).from.getTime()).toBeGreaterThan(before.from.getTime());
  });
});
