import { describe, expect, it } from 'vitest';
import { MAX_RATE_THB_PER_HOUR } from './limits.js';
import { addFractions, formatRate, formatSatang, frac, fromNumber, MoneyError, normalizeRate, parseNewRate, parseRate, toSatang } from './money.js';

describe('rates', () => {
  it('reads decimal text as micro-THB and prints it back canonically', () => {
    expect(parseRate(' 12.5 ')).toBe(12_500_000n);
    expect(formatRate(12_500_000n)).toBe('12.5');
    expect(formatRate(3_000_000n)).toBe('3');
    expect(normalizeRate('0.012500')).toBe('0.0125');
  });

  it.each(['-1', '1e3', 'abc', '', '1.1234567', 'NaN', '0x10'])('refuses %j, naming the field', (v) => {
    expect(() => parseRate(v, 'gpuPerHour')).toThrow(MoneyError);
    expect(() => parseRate(v, 'gpuPerHour')).toThrow(/^gpuPerHour must be a non-negative decimal/);
  });

  it('accepts the highest rate and refuses a micro-THB more, naming the field and the bound', () => {
    expect(parseNewRate(String(MAX_RATE_THB_PER_HOUR))).toBe(BigInt(MAX_RATE_THB_PER_HOUR) * 1_000_000n);
    expect(() => parseNewRate(`${MAX_RATE_THB_PER_HOUR}.000001`, 'memGBPerHour')).toThrow(MoneyError);
    expect(() => normalizeRate('999999999.999999', 'cpuPerHour')).toThrow(
      'cpuPerHour must be at most 1000 THB per hour (so the largest job the ledger holds still fits in 64-bit satang), got "999999999.999999"',
    );
  });

  it('still reads a rate above the bound that an older version stored, so usage keeps pricing', () => {
    expect(parseRate('999999999.999999')).toBe(999_999_999_999_999n);
  });
});

describe('satang', () => {
  it('formats with two decimals and a sign', () => {
    expect(formatSatang(0n)).toBe('0.00');
    expect(formatSatang(123456)).toBe('1234.56');
    expect(formatSatang(-5n)).toBe('-0.05');
  });

  it('rounds a THB fraction half-up once', () => {
    expect(toSatang(frac(5, 1000))).toBe(1n); // 0.005 THB
    expect(toSatang(frac(4999, 1_000_000))).toBe(0n);
    expect(toSatang(addFractions(frac(1, 3), frac(1, 6)))).toBe(50n);
  });
});

describe('fromNumber', () => {
  it('takes the shortest decimal text of a double exactly', () => {
    expect(fromNumber(0.1)).toEqual({ num: 1n, den: 10n });
    expect(fromNumber(1e21)).toEqual({ num: 10n ** 21n, den: 1n });
    expect(fromNumber(1.5e-7)).toEqual({ num: 15n, den: 10n ** 8n });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (n) => {
    expect(() => fromNumber(n, 'hours')).toThrow(/^hours must be a finite number >= 0/);
  });
});
