import { describe, expect, it } from 'vitest';
import { costOfUnits } from './cost.js';
import { LARGEST_JOB, MAX_RATE_THB_PER_HOUR, withinLargestJob } from './limits.js';
import { parseRate } from './money.js';

const INT64_MAX = 2n ** 63n - 1n;
// server/src/billing/usage.ts: 3600 s × 1024 MiB × 10⁴ µTHB per satang
const D = 3600n * 1024n * 10_000n;
const max = String(MAX_RATE_THB_PER_HOUR);
const maxRates = { cpuPerHour: max, gpuPerHour: max, memGBPerHour: max };

/** Every value the ledger's SQL computes for one job, in the order SQLite evaluates it. */
function sqlIntermediates(job: typeof LARGEST_JOB, rates: typeof maxRates) {
  const [rc, rg, rm] = [rates.cpuPerHour, rates.gpuPerHour, rates.memGBPerHour].map((r) => parseRate(r));
  const [cpus, gpus, mem, secs] = [job.cpus, job.gpus, job.memMiB, job.elapsedSeconds].map(BigInt);
  const cpuTerm = cpus * 1024n * rc;
  const gpuTerm = gpus * 1024n * rg;
  const memTerm = mem * rm;
  const U = cpuTerm + gpuTerm + memTerm;
  const quotient = (U / D) * secs;
  const rounding = 2n * (U % D) * secs + D;
  return {
    values: { cpuTerm, gpuTerm, memTerm, U, quotient, twiceRemainder: 2n * (U % D), rounding },
    satang: quotient + rounding / (2n * D),
  };
}

describe('LARGEST_JOB at MAX_RATE_THB_PER_HOUR', () => {
  it('keeps every intermediate of the ledger SQL in a signed 64-bit integer, all three rates at the maximum', () => {
    const { values, satang } = sqlIntermediates(LARGEST_JOB, maxRates);
    for (const [name, value] of Object.entries({ ...values, satang })) {
      expect(value >= 0n && value < INT64_MAX, `${name} = ${value}`).toBe(true);
    }
  });

  it('keeps the rounding term in range for any remainder, so every smaller job and rate fits too', () => {
    // (U / D)·secs grows with U and secs; 2·(U % D)·secs + D is largest for the largest remainder, D − 1.
    const secs = BigInt(LARGEST_JOB.elapsedSeconds);
    expect(2n * (D - 1n) * secs + D < INT64_MAX).toBe(true);
  });

  it('is priced alike by the SQL and by costOfUnits', () => {
    expect(costOfUnits(LARGEST_JOB, LARGEST_JOB.elapsedSeconds, maxRates).costSatang).toBe(
      sqlIntermediates(LARGEST_JOB, maxRates).satang,
    );
  });
});

describe('withinLargestJob', () => {
  it('holds the largest job and anything smaller', () => {
    expect(withinLargestJob(LARGEST_JOB)).toBe(true);
    expect(withinLargestJob({ cpus: 0, gpus: 0, memMiB: 0, elapsedSeconds: 0 })).toBe(true);
  });

  it.each(['cpus', 'gpus', 'memMiB', 'elapsedSeconds'] as const)('refuses one %s too many', (field) => {
    expect(withinLargestJob({ ...LARGEST_JOB, [field]: LARGEST_JOB[field] + 1 })).toBe(false);
  });

  it('refuses negative and non-numeric sizes', () => {
    expect(withinLargestJob({ ...LARGEST_JOB, cpus: -1 })).toBe(false);
    expect(withinLargestJob({ ...LARGEST_JOB, memMiB: Number.NaN })).toBe(false);
    expect(withinLargestJob({ ...LARGEST_JOB, elapsedSeconds: Number.POSITIVE_INFINITY })).toBe(false);
  });
});
