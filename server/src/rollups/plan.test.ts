import { describe, expect, it } from 'vitest';
import { bucketStart } from './calendar.ts';
import { daysOfYear, planParts } from './plan.ts';

const at = (s: string) => Date.parse(s);

describe('planParts', () => {
  it('tiles a window with whole local months, whole local days and the quarter hours left over', () => {
    const zone = 'Asia/Bangkok';
    const from = at('2026-01-30T10:15:00Z');
    const to = at('2026-04-02T03:45:00Z');
    const parts = planParts([{ key: 1, from, to }], zone, 'noUser');
    // Contiguous, in order, and exactly the window.
    expect(parts[0].from).toBe(from);
    expect(parts.at(-1)!.to).toBe(to);
    for (let i = 1; i < parts.length; i++) expect(parts[i].from).toBe(parts[i - 1].to);
    for (const p of parts.filter((x) => x.level === 'month')) {
      expect(bucketStart(p.from!, 'MONTH', zone)).toBe(p.from);
      expect(bucketStart(p.to!, 'MONTH', zone)).toBe(p.to);
    }
    for (const p of parts.filter((x) => x.level === 'day')) {
      expect(bucketStart(p.from!, 'DAY', zone)).toBe(p.from);
      expect(bucketStart(p.to!, 'DAY', zone)).toBe(p.to);
    }
    // February and March of Bangkok, from the month rows.
    expect(parts.filter((x) => x.level === 'month').map((p) => [p.from, p.to])).toEqual([[at('2026-01-31T17:00:00Z'), at('2026-03-31T17:00:00Z')]]);
    expect(parts.every((p) => p.key === 1)).toBe(true);
  });

  it('leaves out the day rows when the user matters, and answers open sides from the month rows', () => {
    const zone = 'UTC';
    const parts = planParts([{ key: 0, from: at('2026-01-10T00:00:00Z'), to: null }], zone, 'user');
    expect(parts.map((p) => p.level)).toEqual(['slot', 'month']);
    expect(parts[1]).toMatchObject({ from: at('2026-02-01T00:00:00Z'), to: null });
    expect(planParts([{ key: 0, from: null, to: null }], zone, 'marginal')).toEqual([{ key: 0, level: 'monthDim', from: null, to: null }]);
  });

  it('uses the quarter hours alone where no whole local day fits', () => {
    // A UTC day is never a whole Adelaide day (+10:30 / +9:30).
    const parts = planParts([{ key: 0, from: at('2026-06-01T00:00:00Z'), to: at('2026-06-02T00:00:00Z') }], 'Australia/Adelaide', 'noUser');
    expect(parts.map((p) => p.level)).toEqual(['slot']);
  });
});

describe('daysOfYear', () => {
  it('lists every local day once, with 23- and 25-hour days across DST', () => {
    const days = daysOfYear(2026, 'Europe/Berlin');
    expect(days).toHaveLength(365);
    expect(days[0]).toEqual({ day: at('2025-12-31T23:00:00Z'), month: at('2025-12-31T23:00:00Z') });
    const lengths = new Set(days.slice(0, -1).map((d, i) => (days[i + 1].day - d.day) / 3_600_000));
    expect(lengths).toEqual(new Set([24, 23, 25]));
    expect(daysOfYear(2028, 'UTC')).toHaveLength(366);
  });
});
