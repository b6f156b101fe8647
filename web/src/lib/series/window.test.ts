import { describe, expect, it } from 'vitest';
import { parseWindow, selectBuckets, seriesRequest, type WindowChoice } from './window';

const params = (query: string) => new URLSearchParams(query);

describe('parseWindow', () => {
  it('reads the ranges, with the last 30 days by default', () => {
    expect(parseWindow(params('')).choice.range).toBe('30d');
    expect(parseWindow(params('range=12m')).choice.range).toBe('12m');
    expect(parseWindow(params('range=custom&from=2026-06-01&to=2026-06-30'))).toEqual({
      choice: { range: 'custom', from: '2026-06-01', to: '2026-06-30' },
      invalid: false,
    });
    // The staff page's filter dates are a window too.
    expect(parseWindow(params('from=2026-06-01&to=2026-06-30')).choice.range).toBe('custom');
  });

  it('falls back to the default for a window it cannot read, and says so', () => {
    for (const q of ['range=custom&from=2026-07-01&to=2026-06-01', 'range=custom&from=2026-02-30&to=2026-03-01', 'range=custom&from=x&to=2026-03-01', 'range=custom&from=2000-01-01&to=2026-01-01']) {
      expect(parseWindow(params(q)), q).toEqual({ choice: { range: '30d', from: null, to: null }, invalid: true });
    }
  });
});

/** Bucket starts of a zone 7 hours ahead of UTC (Bangkok), as the API answers them. */
const bangkokDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 7 * 3_600_000).toISOString();
const days = (first: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

describe('selectBuckets', () => {
  const now = new Date('2026-12-01T03:00:00Z'); // 10:00 on 1 Dec in Bangkok
  const monthStart = bangkokDay('2026-12-01');

  it('keeps the last 30 days of a relative window, ending now', () => {
    const choice: WindowChoice = { range: '30d', from: null, to: null };
    const request = seriesRequest(choice, now);
    expect(request.bucket).toBe('DAY');
    // The request reaches further back than 30 days, for any zone; the API answers whole days.
    const times = days('2026-10-30', 33).map(bangkokDay);
    const w = selectBuckets(times, monthStart, choice, request);
    expect(w.buckets).toHaveLength(30);
    expect(w.buckets[0].date).toBe('2026-11-02');
    expect(w.buckets.at(-1)!.date).toBe('2026-12-01');
    expect(w.start).toBe(bangkokDay('2026-11-02'));
    expect(w.end).toBe(now.toISOString());
  });

  it('keeps the chosen days of a custom window, and ends it where the next day starts', () => {
    const choice: WindowChoice = { range: 'custom', from: '2026-06-01', to: '2026-06-10' };
    const request = seriesRequest(choice, now);
    expect(Date.parse(request.from)).toBeLessThan(Date.parse(bangkokDay('2026-06-01')));
    expect(Date.parse(request.to)).toBeGreaterThan(Date.parse(bangkokDay('2026-06-11')));
    // Repeated times (one row per group) count once.
    const times = days('2026-05-30', 14).flatMap((d) => [bangkokDay(d), bangkokDay(d)]);
    const w = selectBuckets(times, monthStart, choice, request);
    expect(w.buckets.map((b) => b.date)).toEqual(days('2026-06-01', 10));
    expect(w.start).toBe(bangkokDay('2026-06-01'));
    expect(w.end).toBe(bangkokDay('2026-06-11'));
  });

  it('goes by month for a long custom window, whole months', () => {
    const choice: WindowChoice = { range: 'custom', from: '2026-01-15', to: '2026-06-10' };
    const request = seriesRequest(choice, now);
    expect(request.bucket).toBe('MONTH');
    const months = ['2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01'];
    const w = selectBuckets(months.map(bangkokDay), monthStart, choice, request);
    expect(w.buckets.map((b) => b.date)).toEqual(months.slice(1, 7));
    expect(w.end).toBe(bangkokDay('2026-07-01'));
  });

  it('has no buckets and no window when the answer has no rows', () => {
    const choice: WindowChoice = { range: '12m', from: null, to: null };
    const w = selectBuckets([], monthStart, choice, seriesRequest(choice, now));
    expect(w).toMatchObject({ bucket: 'MONTH', buckets: [], start: null, end: null });
  });
});
