import { describe, expect, it } from 'vitest';
import { parseDecimal, sum, toFixed, toPlain } from './decimal';
import { estimateCost, parsePlainQuantity, parseQuantity, QUANTITY_MAX } from './estimate';

const usage = (cpus: string, gpus: string, memGB: string, hours: string) => ({
  cpus: parseQuantity(cpus)!,
  gpus: parseQuantity(gpus)!,
  memGB: parseQuantity(memGB)!,
  hours: parseQuantity(hours)!,
});

describe('decimal', () => {
  it('parses and prints exactly', () => {
    expect(toPlain(parseDecimal('0012.500')!)).toBe('12.5');
    expect(toPlain(parseDecimal('.5')!)).toBe('0.5');
    expect(toPlain(parseDecimal('1e3')!)).toBe('1000');
    expect(toPlain(parseDecimal('1.5e-2')!)).toBe('0.015');
    expect(parseDecimal('1,5')).toBeNull();
    expect(parseDecimal('')).toBeNull();
    expect(parseDecimal('.')).toBeNull();
  });
  it('rounds half-up (away from zero)', () => {
    expect(toFixed(parseDecimal('0.005')!, 2)).toBe('0.01');
    expect(toFixed(parseDecimal('0.00499')!, 2)).toBe('0.00');
    expect(toFixed(parseDecimal('-0.005')!, 2)).toBe('-0.01');
    expect(toFixed(parseDecimal('2')!, 2)).toBe('2.00');
  });
  it('adds without float error', () => {
    expect(toPlain(sum(['0.1', '0.2'].map((s) => parseDecimal(s)!)))).toBe('0.3');
  });
});

describe('estimateCost', () => {
  it('rounds once at the end', () => {
    // each line is 0.005 THB: rounded per line it would be 0.03, exactly it is 0.015 → 0.02
    const estimate = estimateCost(usage('1', '1', '1', '1'), {
      cpuPerHour: '0.005',
      gpuPerHour: '0.005',
      memGBPerHour: '0.005',
    });
    expect(estimate).toMatchObject({ cpuCost: '0.01', gpuCost: '0.01', memCost: '0.01', cost: '0.02' });
  });
  it('multiplies quantities by hours and rates', () => {
    const estimate = estimateCost(usage('4', '1', '16', '2.5'), {
      cpuPerHour: '1.25',
      gpuPerHour: '30',
      memGBPerHour: '0.10',
    });
    expect(estimate).toEqual({
      cpuHours: '10',
      gpuHours: '2.5',
      memGBHours: '40',
      cpuCost: '12.50',
      gpuCost: '75.00',
      memCost: '4.00',
      cost: '91.50',
    });
  });
  it('rejects what is not a non-negative number', () => {
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('0x10')).toBeNull();
    expect(parseQuantity('1e400')).toBeNull();
    expect(parseQuantity('0')).not.toBeNull();
  });
  it('reads quantities as the API reads a Float', () => {
    expect(toPlain(parseQuantity('0.10000000000000000001')!)).toBe('0.1');
    expect(toPlain(parseQuantity('2.50')!)).toBe('2.5');
  });
});

describe('parsePlainQuantity', () => {
  it('takes plain decimals up to the limit', () => {
    expect(toPlain(parsePlainQuantity('12', 100)!)).toBe('12');
    expect(toPlain(parsePlainQuantity(' 2.50 ', 100)!)).toBe('2.5');
    expect(toPlain(parsePlainQuantity('.5', 100)!)).toBe('0.5');
    expect(toPlain(parsePlainQuantity('100', 100)!)).toBe('100');
  });
  it('refuses exponents, signs, grouping and numbers past the limit', () => {
    for (const text of ['1e9', '1E3', '-1', '+1', '1,000', '100.01', 'Infinity', '0x10', '', '.']) {
      expect(parsePlainQuantity(text, 100), text).toBeNull();
    }
  });
  it('stops each quantity at the largest job the ledger prices', () => {
    expect(QUANTITY_MAX).toEqual({ cpus: 4194304, gpus: 262144, memGB: 2097151, hours: 26280 });
    expect(parsePlainQuantity('4194305', QUANTITY_MAX.cpus)).toBeNull();
  });
});
