import { describe, expect, it } from 'vitest';
import { sqliteInstant } from './dialect.ts';

describe('sqliteInstant', () => {
  it('writes what toISOString writes, with +00:00 for Z, for instants of every field width', () => {
    const instants = [
      Date.UTC(2026, 0, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(1000, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2024, 1, 29, 9, 5, 7, 45),
      Date.UTC(1999, 8, 9, 10, 10, 10, 100),
    ];
    // And a spread of instants across the years a ledger holds, with every millisecond width.
    for (let t = Date.UTC(1990, 0, 1), i = 0; i < 5000; i++) instants.push((t += 7_919_183_417 + i));
    for (const t of instants) expect(sqliteInstant(new Date(t))).toBe(new Date(t).toISOString().replace('Z', '+00:00'));
  });

  it('falls back to toISOString for years it would write with a sign, and throws as it does for an invalid date', () => {
    for (const t of [Date.UTC(999, 11, 31, 23, 59, 59), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1), 0]) {
      expect(sqliteInstant(new Date(t))).toBe(new Date(t).toISOString().replace('Z', '+00:00'));
    }
    expect(() => sqliteInstant(new Date(Number.NaN))).toThrow(RangeError);
  });
});
