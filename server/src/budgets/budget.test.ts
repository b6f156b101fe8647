import { describe, expect, it } from 'vitest';
import {
  alertKey,
  budgetAlertMessage,
  BudgetError,
  crossedThresholds,
  formatThb,
  nextPeriod,
  parseThresholds,
  periodOf,
  previousPeriod,
  projectBudget,
  type BudgetPeriodKind,
} from './budget.ts';

const BKK = { timeZone: 'Asia/Bangkok' };
const FISCAL = { timeZone: 'Asia/Bangkok', fiscalYearStartMonth: 10 };
const at = (iso: string) => new Date(iso);

describe('periodOf', () => {
  it.each<[string, BudgetPeriodKind, typeof BKK | typeof FISCAL, string, string, string]>([
    // Bangkok is UTC+7: its months start at 17:00 UTC the day before.
    ['2026-12-15T00:00:00Z', 'month', BKK, '2026-12', '2026-11-30T17:00:00Z', '2026-12-31T17:00:00Z'],
    ['2026-11-30T16:59:59.999Z', 'month', BKK, '2026-11', '2026-10-31T17:00:00Z', '2026-11-30T17:00:00Z'],
    ['2026-11-30T17:00:00Z', 'month', BKK, '2026-12', '2026-11-30T17:00:00Z', '2026-12-31T17:00:00Z'],
    ['2026-12-31T17:00:00Z', 'month', BKK, '2027-01', '2026-12-31T17:00:00Z', '2027-01-31T17:00:00Z'],
    ['2027-02-10T00:00:00Z', 'month', BKK, '2027-02', '2027-01-31T17:00:00Z', '2027-02-28T17:00:00Z'],
    ['2026-11-15T00:00:00Z', 'quarter', BKK, '2026-Q4', '2026-09-30T17:00:00Z', '2026-12-31T17:00:00Z'],
    ['2026-09-30T16:59:59Z', 'quarter', BKK, '2026-Q3', '2026-06-30T17:00:00Z', '2026-09-30T17:00:00Z'],
    ['2026-06-01T00:00:00Z', 'year', BKK, '2026', '2025-12-31T17:00:00Z', '2026-12-31T17:00:00Z'],
    // A fiscal year from October is named by the year it ends in.
    ['2026-09-30T17:00:00Z', 'year', FISCAL, 'FY2027', '2026-09-30T17:00:00Z', '2027-09-30T17:00:00Z'],
    ['2026-09-30T16:59:59Z', 'year', FISCAL, 'FY2026', '2025-09-30T17:00:00Z', '2026-09-30T17:00:00Z'],
    ['2027-03-01T00:00:00Z', 'year', FISCAL, 'FY2027', '2026-09-30T17:00:00Z', '2027-09-30T17:00:00Z'],
    ['2026-11-15T00:00:00Z', 'quarter', FISCAL, 'FY2027-Q1', '2026-09-30T17:00:00Z', '2026-12-31T17:00:00Z'],
    ['2027-01-15T00:00:00Z', 'quarter', FISCAL, 'FY2027-Q2', '2026-12-31T17:00:00Z', '2027-03-31T17:00:00Z'],
    ['2027-09-15T00:00:00Z', 'quarter', FISCAL, 'FY2027-Q4', '2027-06-30T17:00:00Z', '2027-09-30T17:00:00Z'],
    // Months do not depend on the fiscal year.
    ['2026-10-01T00:00:00Z', 'month', FISCAL, '2026-10', '2026-09-30T17:00:00Z', '2026-10-31T17:00:00Z'],
  ])('%s %s %o → %s', (instant, kind, options, label, start, end) => {
    const p = periodOf(at(instant), kind, options);
    expect(p.label).toBe(label);
    expect(p.start.toISOString()).toBe(at(start).toISOString());
    expect(p.end.toISOString()).toBe(at(end).toISOString());
  });

  it('starts fiscal quarters from a fiscal year that starts off the calendar quarters', () => {
    const p = periodOf(at('2026-03-10T00:00:00Z'), 'quarter', { timeZone: 'UTC', fiscalYearStartMonth: 2 });
    expect([p.label, p.start.toISOString(), p.end.toISOString()]).toEqual([
      'FY2027-Q1',
      '2026-02-01T00:00:00.000Z',
      '2026-05-01T00:00:00.000Z',
    ]);
  });

  it('keeps local midnight across a DST change', () => {
    const p = periodOf(at('2026-03-15T12:00:00Z'), 'month', { timeZone: 'Europe/Berlin' });
    expect(p.start.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-03-31T22:00:00.000Z');
  });

  it('steps to the next and previous period', () => {
    const fy = periodOf(at('2027-03-01T00:00:00Z'), 'year', FISCAL);
    expect(nextPeriod(fy).label).toBe('FY2028');
    expect(nextPeriod(fy).start).toEqual(fy.end);
    expect(previousPeriod(fy).label).toBe('FY2026');
    expect(previousPeriod(fy).end).toEqual(fy.start);
    const q = periodOf(at('2026-12-31T16:00:00Z'), 'quarter', BKK);
    expect([previousPeriod(q).label, q.label, nextPeriod(q).label]).toEqual(['2026-Q3', '2026-Q4', '2027-Q1']);
    const m = periodOf(at('2026-12-01T00:00:00Z'), 'month', BKK);
    expect(nextPeriod(m).label).toBe('2027-01');
  });

  it('refuses unknown zones, fiscal months and kinds', () => {
    expect(() => periodOf(new Date(), 'month', { timeZone: 'Asia/Nowhere' })).toThrow(/IANA/);
    expect(() => periodOf(new Date(), 'year', { timeZone: 'UTC', fiscalYearStartMonth: 13 })).toThrow(/1 to 12/);
    expect(() => periodOf(new Date(), 'week' as BudgetPeriodKind, BKK)).toThrow(/year, quarter, month/);
  });
});

describe('parseThresholds', () => {
  it.each<[Parameters<typeof parseThresholds>[0], number[]]>([
    [undefined, [50, 80, 100]],
    ['', [50, 80, 100]],
    ['  ', [50, 80, 100]],
    [[], [50, 80, 100]],
    ['50, 80,100', [50, 80, 100]],
    ['90% 75%', [75, 90]],
    ['120;100', [100, 120]],
    [[1000, 1], [1, 1000]],
  ])('%j → %j', (input, expected) => {
    expect(parseThresholds(input)).toEqual(expected);
  });

  it.each<[Parameters<typeof parseThresholds>[0], RegExp]>([
    ['50, eighty', /"eighty" is not a whole percent/],
    ['12.5', /"12.5" is not a whole percent/],
    ['-5', /"-5" is not a whole percent/],
    ['0', /threshold 0 must be a whole percent from 1 to 1000/],
    ['1001', /threshold 1001 must be/],
    [[50.5], /threshold 50.5 must be/],
    ['80 50 80', /80% is listed more than once/],
  ])('refuses %j', (input, message) => {
    expect(() => parseThresholds(input)).toThrow(BudgetError);
    expect(() => parseThresholds(input)).toThrow(message);
  });
});

describe('crossedThresholds', () => {
  const limitSatang = 1_000_000n; // 10,000 THB
  const thresholds = [50, 80, 100];
  it.each<[string, bigint, bigint, number[], number[]]>([
    ['a jump from 40 % to 120 % alerts each threshold once', 400_000n, 1_200_000n, [], [50, 80, 100]],
    ['exactly the threshold reaches it', 400_000n, 500_000n, [], [50]],
    ['one satang short does not', 400_000n, 499_999n, [], []],
    ['already past before', 600_000n, 700_000n, [], []],
    ['already sent stays quiet', 0n, 900_000n, [50], [80]],
    ['a fall reaches nothing', 900_000n, 100_000n, [], []],
    ['from 0, every reached threshold not yet sent', 0n, 1_000_000n, [80], [50, 100]],
  ])('%s', (_, before, after, alreadySent, expected) => {
    expect(crossedThresholds({ limitSatang, spentBeforeSatang: before, spentAfterSatang: after, thresholds, alreadySent })).toEqual(expected);
  });

  it('is exact where floating point is not', () => {
    // 2^53 + 1 satang: a Number would round it down onto the limit.
    const limit = 2n ** 53n + 2n;
    const spent = 2n ** 53n + 1n;
    expect(crossedThresholds({ limitSatang: limit, spentBeforeSatang: 0n, spentAfterSatang: spent, thresholds: [100] })).toEqual([]);
    expect(crossedThresholds({ limitSatang: limit, spentBeforeSatang: 0n, spentAfterSatang: limit, thresholds: [100] })).toEqual([100]);
  });

  it('refuses a limit of nothing and thresholds that are not whole percents', () => {
    expect(() => crossedThresholds({ limitSatang: 0n, spentBeforeSatang: 0n, spentAfterSatang: 1n, thresholds })).toThrow(/more than 0/);
    expect(() => crossedThresholds({ limitSatang, spentBeforeSatang: 0n, spentAfterSatang: 1n, thresholds: [12.5] })).toThrow(/whole percent/);
  });
});

describe('alertKey', () => {
  it('is one text per budget, period and threshold', () => {
    const start = at('2026-09-30T17:00:00Z');
    expect(alertKey('b1', start, 80)).toBe('b1/2026-09-30T17:00:00.000Z/80');
    expect(alertKey('b1', start, 80)).toBe(alertKey('b1', new Date(start.getTime()), 80));
    expect(new Set([alertKey('b1', start, 80), alertKey('b1', start, 100), alertKey('b2', start, 80)]).size).toBe(3);
  });
});

describe('projectBudget', () => {
  // December 2026 in Bangkok: 31 days.
  const period = periodOf(at('2026-12-10T00:00:00Z'), 'month', BKK);
  const day = (d: number, hour = 12) => new Date(Date.UTC(2026, 11, d, hour - 7));

  it('with no spending yet projects nothing and no exhaustion', () => {
    const p = projectBudget({ period, limitSatang: 100_000n, dailySpend: [], now: day(5) });
    expect(p).toMatchObject({
      spentSatang: 0n,
      remainingSatang: 100_000n,
      elapsedDays: 5,
      totalDays: 31,
      averageDailySatang: 0n,
      projectedSpendSatang: 0n,
      projectedExhaustion: null,
    });
    expect(p.points.map((x) => x.remainingSatang)).toEqual([100_000n, 100_000n, 100_000n, 100_000n, 100_000n]);
  });

  it('before the period starts has no elapsed days', () => {
    const p = projectBudget({ period, limitSatang: 100_000n, dailySpend: [], now: at('2026-11-30T16:59:59Z') });
    expect([p.elapsedDays, p.points.length, p.projectedSpendSatang]).toEqual([0, 0, 0n]);
  });

  it('burns down by local day and projects the exhaustion day', () => {
    const p = projectBudget({
      period,
      limitSatang: 100_000n,
      dailySpend: [
        // 00:30 on 1 December in Bangkok, still 30 November in UTC.
        { day: at('2026-11-30T17:30:00Z'), satang: 5_000n },
        { day: day(2), satang: 3_000n },
        { day: day(2, 23), satang: 2_000n },
        // Outside the period.
        { day: at('2026-11-30T16:00:00Z'), satang: 99_999n },
      ],
      now: day(4),
    });
    expect(p.points.map((x) => [x.day.toISOString(), x.spentSatang, x.cumulativeSatang, x.remainingSatang])).toEqual([
      ['2026-11-30T17:00:00.000Z', 5_000n, 5_000n, 95_000n],
      ['2026-12-01T17:00:00.000Z', 5_000n, 10_000n, 90_000n],
      ['2026-12-02T17:00:00.000Z', 0n, 10_000n, 90_000n],
      ['2026-12-03T17:00:00.000Z', 0n, 10_000n, 90_000n],
    ]);
    expect(p.averageDailySatang).toBe(2_500n);
    // 10,000 × 31 / 4 = 77,500 exactly.
    expect(p.projectedSpendSatang).toBe(77_500n);
    // At 2,500 a day, 100,000 is reached at the end of day 40: after the period.
    expect(p.projectedExhaustion).toBeNull();

    const faster = projectBudget({ period, limitSatang: 20_000n, dailySpend: [{ day: day(1), satang: 10_000n }], now: day(4) });
    // 2,500 a day reaches 20,000 at the end of day 8.
    expect(faster.projectedExhaustion?.toISOString()).toBe('2026-12-07T17:00:00.000Z');
  });

  it('rounds the average and projection half-up to the satang', () => {
    const p = projectBudget({ period, limitSatang: 1_000_000n, dailySpend: [{ day: day(1), satang: 10n }], now: day(3) });
    // 10 / 3 = 3.33…, 10 × 31 / 3 = 103.33…
    expect([p.averageDailySatang, p.projectedSpendSatang]).toEqual([3n, 103n]);
    const q = projectBudget({ period, limitSatang: 1_000_000n, dailySpend: [{ day: day(1), satang: 1n }], now: day(2) });
    // 1 / 2 = 0.5 → 1; 31 / 2 = 15.5 → 16.
    expect([q.averageDailySatang, q.projectedSpendSatang]).toEqual([1n, 16n]);
  });

  it('names the actual day the limit was reached once it has been', () => {
    const p = projectBudget({
      period,
      limitSatang: 10_000n,
      dailySpend: [
        { day: day(1), satang: 6_000n },
        { day: day(3), satang: 4_000n },
        { day: day(4), satang: 1_000n },
      ],
      now: day(6),
    });
    expect(p.projectedExhaustion?.toISOString()).toBe('2026-12-02T17:00:00.000Z');
    expect(p.remainingSatang).toBe(-1_000n);
  });

  it('after the period covers every day', () => {
    const p = projectBudget({ period, limitSatang: 10_000n, dailySpend: [{ day: day(31), satang: 3_100n }], now: at('2027-02-01T00:00:00Z') });
    expect([p.elapsedDays, p.points.length, p.projectedSpendSatang, p.averageDailySatang]).toEqual([31, 31, 3_100n, 100n]);
  });
});

describe('budgetAlertMessage', () => {
  const alert = {
    account: 'chem<lab>',
    periodLabel: 'FY2027',
    threshold: 80,
    spentSatang: 123_450n,
    limitSatang: 150_000n,
    projectedExhaustion: at('2027-01-19T17:00:00Z'),
    timeZone: 'Asia/Bangkok',
  };

  it('formats THB with separators', () => {
    expect([formatThb(123_450n), formatThb(5n), formatThb(100_000_000n), formatThb(-123_456_789n)]).toEqual([
      '1,234.50',
      '0.05',
      '1,000,000.00',
      '-1,234,567.89',
    ]);
  });

  it('in English', () => {
    const m = budgetAlertMessage(alert, 'en');
    expect(m.subject).toBe('[Budget] chem<lab> has reached 80% of its FY2027 budget');
    expect(m.text).toContain('Spent THB 1,234.50 of THB 1,500.00 (82%).');
    expect(m.text).toContain('runs out on 20 January 2027');
    expect(m.html).toContain('chem&lt;lab&gt;');
    expect(m.html).not.toContain('<lab>');
  });

  it('in Thai, with a Buddhist Era date', () => {
    const m = budgetAlertMessage({ ...alert, projectedExhaustion: null }, 'th');
    expect(m.subject).toBe('[งบประมาณ] chem<lab> ใช้งบประมาณ FY2027 ถึง 80% แล้ว');
    expect(m.text).toContain('ใช้ไป 1,234.50 บาท จากวงเงิน 1,500.00 บาท (82%)');
    expect(m.text).toContain('จะไม่หมดก่อนสิ้นช่วง');
    const dated = budgetAlertMessage(alert, 'th');
    expect(dated.text).toContain('2570');
    expect(dated.html).toContain('lang="th"');
  });
});
