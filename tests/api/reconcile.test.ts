import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * The ledger against sreport for a month. sreport here is a stand-in script that prints what Slurm 22.05 prints
 * (`-t Seconds`, per account and user and TRES) and records its arguments; the real one is in tests/system.
 */
let t: TestApp;
let oper: string;
let alice: string;
let argsFile: string;

function job(id: number, user: string, account: string, start: string, end: string, cpus: number, memMiB: number, gpus = 0): NormalizedJob {
  const s = new Date(start);
  const e = new Date(end);
  return {
    cluster: 'test', jobId: String(id), user, account, partition: 'cpu', name: `job ${id}`, state: 'COMPLETED', submit: s, start: s, end: e,
    elapsedSeconds: (e.getTime() - s.getTime()) / 1000, totalCpuSeconds: 0, reqTres: {}, allocTres: { cpu: cpus, mem: memMiB, ...(gpus ? { 'gres/gpu': gpus } : {}) },
  };
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sreport-'));
  argsFile = path.join(dir, 'args');
  const script = path.join(dir, 'sreport');
  const report = [
    'test|root|||cpu|32400',
    'test|physics|||cpu|25200',
    'test|physics|alice||cpu|25200',
    'test|physics|alice||mem|51609600',
    'test|physics|alice||gres/gpu|7200',
    'test|chemistry|bob||cpu|3600',
    'test|chemistry|bob||mem|3686400',
    'test|chemistry|bob||gres/gpu|0',
  ].join('\n');
  writeFileSync(script, `#!/bin/sh\necho "$@" > '${argsFile}'\ncat <<'EOF'\n${report}\nEOF\n`);
  chmodSync(script, 0o755);
  t = await startTestApp({ SREPORT_PATH: script, TIME_ZONE: 'Asia/Bangkok' });
  oper = await t.cookieFor('oper', 'operator');
  alice = await t.cookieFor('alice');
  await upsertJobs(
    t.app.db,
    [
      // October 2026 in Bangkok is 2026-09-30T17:00Z to 2026-10-31T17:00Z.
      job(1, 'alice', 'physics', '2026-10-05T00:00:00Z', '2026-10-05T02:00:00Z', 2, 7168, 1), // 4 CPU-h, 2 GPU-h, 14 GB-h
      // Started two hours before the month: only its last 3 hours count, as sreport counts them.
      job(2, 'alice', 'physics', '2026-09-30T15:00:00Z', '2026-09-30T20:00:00Z', 1, 0), // 3 CPU-h in October
      // 2 CPU-h in the ledger where Slurm has 1: a difference to report.
      job(3, 'bob', 'chemistry', '2026-10-10T00:00:00Z', '2026-10-10T02:00:00Z', 1, 1024),
      // November: outside.
      job(4, 'bob', 'chemistry', '2026-11-10T00:00:00Z', '2026-11-10T02:00:00Z', 8, 1024),
    ],
    'csv',
  );
});
afterAll(() => t.close());

const QUERY = `query($m: String!) { reconciliation(month: $m) { cluster month from to tolerance differences
  rows { account ledger { cpuHours gpuHours memGBHours } slurm { cpuHours gpuHours memGBHours } diff { cpuHours } withinTolerance } } }`;

describe('reconciliation', () => {
  it('compares each account’s hours in the month with sreport’s and reports the differences', async () => {
    const r = await t.gql(QUERY, { m: '2026-10' }, oper);
    expect(r.errors).toBeUndefined();
    const rec = r.data.reconciliation;
    expect(rec).toMatchObject({ cluster: 'test', month: '2026-10', from: '2026-09-30T17:00:00.000Z', to: '2026-10-31T17:00:00.000Z', tolerance: 0.001, differences: 1 });
    const byAccount = Object.fromEntries(rec.rows.map((row: any) => [row.account, row]));
    expect(byAccount.physics).toMatchObject({
      ledger: { cpuHours: 7, gpuHours: 2, memGBHours: 14 },
      slurm: { cpuHours: 7, gpuHours: 2, memGBHours: 14 },
      withinTolerance: true,
    });
    expect(byAccount.chemistry).toMatchObject({ ledger: { cpuHours: 2 }, slurm: { cpuHours: 1 }, diff: { cpuHours: 1 }, withinTolerance: false });
    // sreport is asked for the same whole hours, in seconds, for the cluster.
    expect(readFileSync(argsFile, 'utf8')).toContain('-t Seconds');
    expect(readFileSync(argsFile, 'utf8')).toContain('cluster=test start=2026-09-30T17:00:00 end=2026-10-31T17:00:00');
  });

  it('is for staff, and refuses a month it cannot read', async () => {
    expect(codes(await t.gql(QUERY, { m: '2026-10' }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(QUERY, { m: 'October' }, oper))).toEqual(['BAD_INPUT']);
    expect(codes(await t.gql(QUERY, { m: '2026-13' }, oper))).toEqual(['BAD_INPUT']);
  });
});
