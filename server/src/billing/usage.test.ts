import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { upsertJobs } from '../jobs/ledger.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { costOfJob } from './cost.ts';
import { usageBuckets } from './usage.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'usage-sql-'));
const db = openDatabase(path.join(dir, 'u.db'));
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

// A small deterministic generator, so a failure can be replayed.
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

describe('usage totals computed in SQL', () => {
  it('equal the sum of the per-job costs the cost engine computes, to the satang', async () => {
    const rates = {
      mu: { cpuPerHour: '0.333333', gpuPerHour: '12.5', memGBPerHour: '0.012345' },
      gov: { cpuPerHour: '999.999999', gpuPerHour: '0.000001', memGBPerHour: '7' },
    };
    for (const [tier, r] of Object.entries(rates)) await db.rate.create({ data: { tier, ...r } });
    await db.user.create({ data: { username: 'g', tier: 'gov' } });
    const jobs: NormalizedJob[] = Array.from({ length: 600 }, (_, i) => ({
      cluster: 'c',
      jobId: String(i),
      user: i % 3 === 0 ? 'g' : 'm',
      account: 'a',
      partition: 'p',
      name: null,
      state: 'COMPLETED',
      submit: null,
      start: null,
      end: new Date(Date.UTC(2026, rand(12), 1 + rand(28))),
      elapsedSeconds: rand(3) === 0 ? rand(100) : rand(40 * 86400),
      totalCpuSeconds: 0,
      reqTres: {},
      allocTres: { cpu: 1 + rand(2048), mem: rand(4 * 1024 * 1024), 'gres/gpu': rand(3) === 0 ? rand(16) : 0 },
    }));
    await upsertJobs(db, jobs, 'csv');

    const expected = new Map<string, bigint>();
    for (const j of jobs) {
      const month = j.end!.toISOString().slice(0, 7);
      const c = costOfJob(j, j.user === 'g' ? rates.gov : rates.mu).costSatang;
      expected.set(month, (expected.get(month) ?? 0n) + c);
    }
    const buckets = await usageBuckets(db, {}, ['month']);
    expect(Object.fromEntries(buckets.map((b) => [b.key.month, b.costSatang]))).toEqual(Object.fromEntries(expected));
  });
});
