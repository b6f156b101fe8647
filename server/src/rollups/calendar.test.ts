import { describe, expect, it } from 'vitest';
import { bucketForInterval, bucketsBetween, bucketStart, isTimeZone, nextBucketStart, zonedInstant } from './calendar.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

describe('calendar buckets in a zone', () => {
  it('starts a Bangkok day, week, month, quarter and year at local midnight (17:00 UTC the day before)', () => {
    const t = at('2026-08-13T02:30:00Z'); // Thursday 09:30 in Bangkok
    expect(iso(bucketStart(t, 'HOUR', 'Asia/Bangkok'))).toBe('2026-08-13T02:00:00.000Z');
    expect(iso(bucketStart(t, 'DAY', 'Asia/Bangkok'))).toBe('2026-08-12T17:00:00.000Z');
    expect(iso(bucketStart(t, 'WEEK', 'Asia/Bangkok'))).toBe('2026-08-09T17:00:00.000Z');
    expect(iso(bucketStart(t, 'MONTH', 'Asia/Bangkok'))).toBe('2026-07-31T17:00:00.000Z');
    expect(iso(bucketStart(t, 'QUARTER', 'Asia/Bangkok'))).toBe('2026-06-30T17:00:00.000Z');
    expect(iso(bucketStart(t, 'YEAR', 'Asia/Bangkok'))).toBe('2025-12-31T17:00:00.000Z');
  });

  it('puts a job ending at 23:30 UTC on the next Bangkok day', () => {
    expect(iso(bucketStart(at('2026-01-31T23:30:00Z'), 'DAY', 'Asia/Bangkok'))).toBe('2026-01-31T17:00:00.000Z');
    expect(iso(bucketStart(at('2026-01-31T23:30:00Z'), 'MONTH', 'Asia/Bangkok'))).toBe('2026-01-31T17:00:00.000Z');
    expect(iso(bucketStart(at('2026-01-31T23:30:00Z'), 'MONTH', 'UTC'))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('has 23- and 25-hour days across DST, and local hours in a half-hour zone', () => {
    const spring = bucketStart(at('2026-03-29T12:00:00Z'), 'DAY', 'Europe/Berlin');
    expect(iso(spring)).toBe('2026-03-28T23:00:00.000Z');
    expect((nextBucketStart(spring, 'DAY', 'Europe/Berlin') - spring) / 3_600_000).toBe(23);
    const autumn = bucketStart(at('2026-10-25T12:00:00Z'), 'DAY', 'Europe/Berlin');
    expect((nextBucketStart(autumn, 'DAY', 'Europe/Berlin') - autumn) / 3_600_000).toBe(25);
    expect(iso(bucketStart(at('2026-08-13T02:50:00Z'), 'HOUR', 'Asia/Kolkata'))).toBe('2026-08-13T02:30:00.000Z');
    expect(iso(zonedInstant(2026, 3, 29, 2, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('covers a window with consecutive buckets and refuses more than the cap', () => {
    const days = bucketsBetween(at('2026-08-01T05:00:00Z'), at('2026-08-04T00:00:00Z'), 'DAY', 'Asia/Bangkok', 100)!;
    // 2026-08-04T00:00Z is 07:00 on the 4th in Bangkok, so that day is part of the window.
    expect(days.map(([s]) => iso(s))).toEqual(['2026-07-31T17:00:00.000Z', '2026-08-01T17:00:00.000Z', '2026-08-02T17:00:00.000Z', '2026-08-03T17:00:00.000Z']);
    for (let i = 1; i < days.length; i++) expect(days[i][0]).toBe(days[i - 1][1]);
    expect(bucketsBetween(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 'HOUR', 'UTC', 100)).toBeNull();
  });

  it('rounds an interval to a calendar bucket and knows the zones', () => {
    expect([60_000, 3_600_000, 4 * 3_600_000, 7 * 86_400_000, 20 * 86_400_000, 60 * 86_400_000, 400 * 86_400_000].map(bucketForInterval)).toEqual([
      'HOUR', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR',
    ]);
    expect(isTimeZone('Asia/Bangkok')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
