import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LARGEST_JOB } from '@hpc-accounting/pricing/limits';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { usageTotals } from '../../server/src/billing/usage.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { startTestApp, type TestApp } from './harness.ts';

/**
 * Sums read from the rollups are plain 64-bit SUMs; a sum that leaves 64 bits is summed again in
 * parts, exactly. Sixty jobs of the largest size in two months: each month's rows fit, the year's
 * memory total (≈1.2·10¹⁹ MiB·s) does not.
 */
let t: TestApp;
let admin: string;

function largest(i: number, end: string): NormalizedJob {
  return {
    cluster: 'test',
    jobId: String(5000 + i),
    user: 'giant',
    account: 'physics',
    partition: 'gpu',
    name: 'largest',
    state: 'COMPLETED',
    submit: new Date(Date.parse(end) - LARGEST_JOB.elapsedSeconds * 1000),
    start: new Date(Date.parse(end) - LARGEST_JOB.elapsedSeconds * 1000),
    end: new Date(end),
    elapsedSeconds: LARGEST_JOB.elapsedSeconds,
    totalCpuSeconds: 0,
    reqTres: {},
    allocTres: { cpu: LARGEST_JOB.cpus, mem: LARGEST_JOB.memMiB, 'gres/gpu': LARGEST_JOB.gpus },
  };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  const jobs = [
    ...Array.from({ length: 30 }, (_, i) => largest(i, '2026-03-15T00:00:00Z')),
    ...Array.from({ length: 30 }, (_, i) => largest(100 + i, '2026-08-15T00:00:00Z')),
  ];
  await upsertJobs(t.app.db, jobs, 'csv');
});
afterAll(() => t.close());

describe('sums past 64 bits', () => {
  it('come out exact from the rollups, equal to the jobs summed one by one', async () => {
    const memMiBSeconds = 60n * BigInt(LARGEST_JOB.memMiB) * BigInt(LARGEST_JOB.elapsedSeconds);
    expect(memMiBSeconds > 2n ** 63n).toBe(true);
    const truth = await usageTotals(t.app.db, {}, 'mu');
    expect(truth.sums.memMiBSeconds).toBe(memMiBSeconds);
    const series = await t.gql(
      '{ usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, timeZone: "UTC") { jobs memGBHours cost } }',
      {},
      admin,
    );
    expect(series.errors).toBeUndefined();
    expect(series.data.usageSeries).toEqual([{ jobs: 60, memGBHours: Number(memMiBSeconds) / 3600 / 1024, cost: formatSatang(truth.costSatang) }]);
    const totals = await t.gql('{ jobs(first: 1) { totals { jobs memGBHours cost } } }', {}, admin);
    expect(totals.errors).toBeUndefined();
    expect(totals.data.jobs.totals).toEqual({ jobs: 60, memGBHours: Number(memMiBSeconds) / 3600 / 1024, cost: formatSatang(truth.costSatang) });
  });
});
