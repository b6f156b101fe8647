import { describe, expect, it } from 'vitest';
import { costOfUnits, estimateCost, price } from './cost.js';
import { frac, MoneyError } from './money.js';

const rate = { cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' };

describe('price', () => {
  it('rounds each line for display and the exact total once', () => {
    const tiny = { cpuPerHour: '0.004', gpuPerHour: '0.004', memGBPerHour: '0.004' };
    const c = price(frac(1), frac(1), frac(1), tiny);
    expect([c.cpuSatang, c.gpuSatang, c.memSatang, c.costSatang]).toEqual([0n, 0n, 0n, 1n]);
  });

  it('names the rate it cannot read', () => {
    expect(() => price(frac(1), frac(1), frac(1), { ...rate, gpuPerHour: '1,5' })).toThrow(/^gpuPerHour must be a non-negative decimal/);
  });
});

describe('costOfUnits', () => {
  it('prices CPU-, GPU- and GiB-hours', () => {
    // 4 CPUs, 1 GPU, 16 GiB for 2 h: 8 × 0.5 + 2 × 12 + 32 × 0.05 = 29.60
    const c = costOfUnits({ cpus: 4, gpus: 1, memMiB: 16 * 1024 }, 7200, rate);
    expect(c).toMatchObject({ cpuHours: 8, gpuHours: 2, memGBHours: 32, costSatang: 2960n });
  });

  it('bills whole seconds, never negative ones', () => {
    expect(costOfUnits({ cpus: 1, gpus: 0, memMiB: 0 }, 8999.6, rate).costSatang).toBe(125n);
    expect(costOfUnits({ cpus: 1, gpus: 0, memMiB: 0 }, -60, rate).costSatang).toBe(0n);
  });
});

describe('estimateCost', () => {
  it('matches costOfUnits for the same job', () => {
    expect(estimateCost({ cpus: 4, gpus: 1, memGB: 16, hours: 2 }, rate)).toEqual(
      costOfUnits({ cpus: 4, gpus: 1, memMiB: 16 * 1024 }, 7200, rate),
    );
  });

  it('takes decimal quantities exactly', () => {
    // 0.1 h × 3 CPUs × 0.7 = 0.21, where doubles give 0.21000000000000002
    expect(estimateCost({ cpus: 3, gpus: 0, memGB: 0, hours: 0.1 }, { ...rate, cpuPerHour: '0.7' }).costSatang).toBe(21n);
  });

  it('refuses negative quantities', () => {
    expect(() => estimateCost({ cpus: 0, gpus: 0, memGB: -1, hours: 1 }, rate)).toThrow(MoneyError);
  });
});
