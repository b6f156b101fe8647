import { describe, expect, it } from 'vitest';
import { estimateCost } from '@hpc-accounting/pricing/cost';
import { formatSatang, MoneyError, normalizeRate, parseRate } from '@hpc-accounting/pricing/money';
import { billingUnits, costOfJob } from './cost.ts';

const rate = { cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' };
const job = (allocTres: Record<string, number>, elapsedSeconds: number, reqTres: Record<string, number> = {}, state = 'COMPLETED') => ({
  allocTres,
  reqTres,
  elapsedSeconds,
  state,
});

describe('billingUnits', () => {
  it('prefers allocated TRES over requested', () => {
    expect(billingUnits(job({ cpu: 4, mem: 8192 }, 0, { cpu: 8, mem: 16384, 'gres/gpu': 2 }))).toEqual({
      cpus: 4,
      gpus: 0,
      memMiB: 8192,
    });
  });
  it('falls back to requested TRES when nothing was allocated yet, or the record of a job that ran has no TRES', () => {
    expect(billingUnits(job({}, 0, { cpu: 8, mem: 2048, 'gres/gpu': 2 }, 'PENDING'))).toEqual({ cpus: 8, gpus: 2, memMiB: 2048 });
    expect(billingUnits(job({}, 60, { cpu: 8, mem: 2048, 'gres/gpu': 2 }))).toEqual({ cpus: 8, gpus: 2, memMiB: 2048 });
  });
  it('is zero for a job that ended without an allocation (cancelled while pending), whatever it requested', () => {
    expect(billingUnits(job({}, 0, { cpu: 8, mem: 2048, 'gres/gpu': 2 }, 'CANCELLED'))).toEqual({ cpus: 0, gpus: 0, memMiB: 0 });
    expect(costOfJob(job({}, 0, { cpu: 8, mem: 2048, 'gres/gpu': 2 }, 'CANCELLED'), rate).costSatang).toBe(0n);
    // Cancelled after it started: it held what it was given.
    expect(billingUnits(job({ cpu: 2 }, 0, { cpu: 8 }, 'CANCELLED'))).toEqual({ cpus: 2, gpus: 0, memMiB: 0 });
  });
  it('counts typed GPUs when no untyped total is given', () => {
    expect(billingUnits(job({ cpu: 1, 'gres/gpu:a100': 4 }, 0)).gpus).toBe(4);
  });
  it('does not double count a typed GPU listed beside the total', () => {
    expect(billingUnits(job({ cpu: 1, 'gres/gpu': 2, 'gres/gpu:a100': 2 }, 0)).gpus).toBe(2);
  });
  it('treats missing TRES as zero', () => {
    expect(billingUnits(job({}, 100))).toEqual({ cpus: 0, gpus: 0, memMiB: 0 });
  });
});

describe('costOfJob', () => {
  it('prices CPU, GPU and memory hours', () => {
    // 4 CPUs, 1 GPU, 16 GiB for 2 h: 8 CPU-h × 0.5 + 2 GPU-h × 12 + 32 GiB-h × 0.05 = 4 + 24 + 1.6
    const c = costOfJob(job({ cpu: 4, 'gres/gpu': 1, mem: 16 * 1024 }, 7200), rate);
    expect(c).toMatchObject({ cpuHours: 8, gpuHours: 2, memGBHours: 32 });
    expect(formatSatang(c.cpuSatang)).toBe('4.00');
    expect(formatSatang(c.gpuSatang)).toBe('24.00');
    expect(formatSatang(c.memSatang)).toBe('1.60');
    expect(formatSatang(c.costSatang)).toBe('29.60');
  });
  it('costs nothing for zero elapsed time', () => {
    const c = costOfJob(job({ cpu: 64, 'gres/gpu': 8, mem: 512000 }, 0), rate);
    expect(c.costSatang).toBe(0n);
    expect(c.cpuHours).toBe(0);
  });
  it('costs only CPU and memory for a job without GPUs', () => {
    const c = costOfJob(job({ cpu: 2, mem: 1024 }, 3600), rate);
    expect(c.gpuSatang).toBe(0n);
    expect(formatSatang(c.costSatang)).toBe('1.05');
  });
  it('rounds the exact total once, half up, not the sum of rounded parts', () => {
    // 1 CPU for 1 s at 0.5 THB/h = 0.000138.. THB; 9000 s = 1.25 THB exactly
    expect(costOfJob(job({ cpu: 1 }, 9000), rate).costSatang).toBe(125n);
    // 1 CPU for 63 s at 0.5/h = 0.00875 THB → 0.01
    expect(costOfJob(job({ cpu: 1 }, 63), rate).costSatang).toBe(1n);
    // 3 parts of 0.004 THB each round to 0 alone, but total 0.012 → 0.01
    const tiny = { cpuPerHour: '0.004', gpuPerHour: '0.004', memGBPerHour: '0.004' };
    const c = costOfJob(job({ cpu: 1, 'gres/gpu': 1, mem: 1024 }, 3600), tiny);
    expect([c.cpuSatang, c.gpuSatang, c.memSatang, c.costSatang]).toEqual([0n, 0n, 0n, 1n]);
  });
  it('adds a hundred thousand jobs without float drift', () => {
    let total = 0n;
    for (let i = 0; i < 100_000; i++) total += costOfJob(job({ cpu: 1 }, 720), { ...rate, cpuPerHour: '0.1' }).costSatang;
    // each is 0.02 THB exactly
    expect(total).toBe(200_000n);
  });
});

describe('estimateCost', () => {
  it('matches the job rule for the same quantities', () => {
    const e = estimateCost({ cpus: 4, gpus: 1, memGB: 16, hours: 2 }, rate);
    expect(formatSatang(e.costSatang)).toBe('29.60');
  });
  it('handles fractional hours exactly', () => {
    expect(formatSatang(estimateCost({ cpus: 3, gpus: 0, memGB: 0, hours: 0.1 }, { ...rate, cpuPerHour: '0.7' }).costSatang)).toBe('0.21');
  });
  it('refuses negative quantities', () => {
    expect(() => estimateCost({ cpus: -1, gpus: 0, memGB: 0, hours: 1 }, rate)).toThrow(MoneyError);
  });
});

describe('rates', () => {
  it('parses and normalizes decimal text', () => {
    expect(parseRate('12.5')).toBe(12_500_000n);
    expect(normalizeRate('0012.500')).toBe('12.5');
    expect(normalizeRate('0.000001')).toBe('0.000001');
  });
  it.each(['-1', '1e3', 'abc', '', '1.1234567', 'NaN'])('refuses %j', (v) => {
    expect(() => parseRate(v, 'cpuPerHour')).toThrow(/cpuPerHour/);
  });
});
