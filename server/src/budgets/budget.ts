/**
 * Budget rules: the period a budget covers, the alert thresholds it crosses, and where its spending is heading.
 * Money is integer satang (1/100 THB) and every comparison is exact bigint arithmetic.
 */
import { formatSatang } from '@hpc-accounting/pricing/money';
import { bucketStart, isTimeZone, localMonth, nextBucketStart, zonedInstant } from '../rollups/calendar.ts';

export class BudgetError extends Error {
  override name = 'BudgetError';
}

export const BUDGET_PERIOD_KINDS = ['year', 'quarter', 'month'] as const;
export type BudgetPeriodKind = (typeof BUDGET_PERIOD_KINDS)[number];

export interface PeriodOptions {
  /** IANA zone whose local midnight starts each period, such as "Asia/Bangkok". */
  timeZone: string;
  /** 1..12, the month the fiscal year starts in (10 for a year from 1 October); default 1, the calendar year. */
  fiscalYearStartMonth?: number;
}

export interface BudgetPeriod {
  kind: BudgetPeriodKind;
  /** The first instant of the period: local midnight on its first day. */
  start: Date;
  /** The first instant after the period (the next period's start). */
  end: Date;
  /**
   * "2026-12" for a month. A calendar year is "2026" and its quarters "2026-Q4". A fiscal year is named, as
   * Thai government years are, by the calendar year it ends in: from October 2026 it is "FY2027", and its
   * quarters count from its first month ("FY2027-Q1" is October to December 2026).
   */
  label: string;
  timeZone: string;
  fiscalYearStartMonth: number;
}

const MONTHS_IN: Record<BudgetPeriodKind, number> = { year: 12, quarter: 3, month: 1 };

function checkOptions(options: PeriodOptions): { timeZone: string; fiscalYearStartMonth: number } {
  const { timeZone, fiscalYearStartMonth = 1 } = options;
  if (!isTimeZone(timeZone)) throw new BudgetError(`time zone "${timeZone}" is not an IANA time zone this runtime knows`);
  if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
    throw new BudgetError(`the fiscal year's first month must be a whole number from 1 to 12, got ${fiscalYearStartMonth}`);
  }
  return { timeZone, fiscalYearStartMonth };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The budget period of `kind` that holds `instant`, in the zone and fiscal year of `options`. */
export function periodOf(instant: Date, kind: BudgetPeriodKind, options: PeriodOptions): BudgetPeriod {
  if (!BUDGET_PERIOD_KINDS.includes(kind)) throw new BudgetError(`budget period must be one of ${BUDGET_PERIOD_KINDS.join(', ')}, got "${kind}"`);
  if (Number.isNaN(instant.getTime())) throw new BudgetError('the instant of a budget period must be a valid date');
  const { timeZone, fiscalYearStartMonth: fy } = checkOptions(options);
  const [year, month] = localMonth(instant.getTime(), timeZone).split('-').map(Number);
  // Months since the fiscal year began, then back to the first month of the period that holds this one.
  const intoYear = (month - fy + 12) % 12;
  const back = kind === 'year' ? intoYear : kind === 'quarter' ? intoYear % 3 : 0;
  const first = new Date(Date.UTC(year, month - 1 - back, 1));
  const after = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + MONTHS_IN[kind], 1));
  const startYear = first.getUTCFullYear();
  const startMonth = first.getUTCMonth() + 1;
  let label: string;
  if (kind === 'month') {
    label = `${startYear}-${pad2(startMonth)}`;
  } else {
    const quarter = Math.floor(((startMonth - fy + 12) % 12) / 3) + 1;
    // A fiscal year starting in January is the calendar year; any other ends in the next calendar year.
    const fiscalYear = startMonth >= fy && fy !== 1 ? startYear + 1 : startYear;
    const name = fy === 1 ? String(startYear) : `FY${fiscalYear}`;
    label = kind === 'year' ? name : `${name}-Q${quarter}`;
  }
  return {
    kind,
    start: new Date(zonedInstant(startYear, startMonth, 1, 0, timeZone)),
    end: new Date(zonedInstant(after.getUTCFullYear(), after.getUTCMonth() + 1, 1, 0, timeZone)),
    label,
    timeZone,
    fiscalYearStartMonth: fy,
  };
}

const optionsOf = (p: BudgetPeriod): PeriodOptions => ({ timeZone: p.timeZone, fiscalYearStartMonth: p.fiscalYearStartMonth });

/** The period right after `period`, of the same kind, zone and fiscal year. */
export const nextPeriod = (period: BudgetPeriod): BudgetPeriod => periodOf(period.end, period.kind, optionsOf(period));

/** The period right before `period`. */
export const previousPeriod = (period: BudgetPeriod): BudgetPeriod =>
  periodOf(new Date(period.start.getTime() - 1), period.kind, optionsOf(period));

export const DEFAULT_THRESHOLDS: readonly number[] = [50, 80, 100];
const MAX_THRESHOLD = 1000;

/**
 * Alert thresholds, in percent of the limit, as an admin types them ("50, 80, 100", "50% 90%") or as a list:
 * whole numbers from 1 to 1000 (an alert past the limit, at 150 %, is allowed), each once, returned ascending.
 * Empty or missing input is the default 50, 80, 100.
 */
export function parseThresholds(input: string | readonly number[] | null | undefined): number[] {
  let values: number[];
  if (input == null) return [...DEFAULT_THRESHOLDS];
  if (typeof input === 'string') {
    const words = input.split(/[\s,;]+/).filter(Boolean);
    if (words.length === 0) return [...DEFAULT_THRESHOLDS];
    values = words.map((w) => {
      if (!/^\d+%?$/.test(w)) throw new BudgetError(`alert threshold "${w}" is not a whole percent such as 80 or 80%`);
      return Number(w.replace('%', ''));
    });
  } else {
    if (input.length === 0) return [...DEFAULT_THRESHOLDS];
    values = [...input];
  }
  for (const v of values) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_THRESHOLD) {
      throw new BudgetError(`alert threshold ${v} must be a whole percent from 1 to ${MAX_THRESHOLD}`);
    }
  }
  const sorted = [...values].sort((a, b) => a - b);
  const twice = sorted.find((v, i) => i > 0 && sorted[i - 1] === v);
  if (twice !== undefined) throw new BudgetError(`alert threshold ${twice}% is listed more than once`);
  return sorted;
}

function checkLimit(limitSatang: bigint): void {
  if (limitSatang <= 0n) throw new BudgetError(`a budget limit must be more than 0 satang, got ${limitSatang}`);
}

/** Whether `spent` has reached `pct` percent of `limit`, in integers: spent × 100 ≥ limit × pct. */
const reaches = (spent: bigint, limit: bigint, pct: number) => spent * 100n >= limit * BigInt(pct);

export interface CrossingInput {
  limitSatang: bigint;
  /** Spending before the change; 0 to alert every reached threshold not yet sent. */
  spentBeforeSatang: bigint;
  spentAfterSatang: bigint;
  thresholds: readonly number[];
  /** Thresholds already alerted in this period (from the alert rows), never returned again. */
  alreadySent?: readonly number[];
}

/**
 * The thresholds the change from `spentBefore` to `spentAfter` reaches for the first time, ascending: a sync that
 * takes spending from 40 % to 120 % returns 50, 80 and 100 together. Spending that falls (a correction) reaches
 * nothing, and a threshold in `alreadySent` stays quiet when spending falls below it and climbs back.
 */
export function crossedThresholds(input: CrossingInput): number[] {
  const { limitSatang, spentBeforeSatang, spentAfterSatang, thresholds, alreadySent = [] } = input;
  checkLimit(limitSatang);
  for (const t of thresholds) {
    if (!Number.isInteger(t) || t < 1) throw new BudgetError(`alert threshold ${t} must be a whole percent (see parseThresholds)`);
  }
  const sent = new Set(alreadySent);
  return [...new Set(thresholds)]
    .sort((a, b) => a - b)
    .filter((t) => !sent.has(t) && reaches(spentAfterSatang, limitSatang, t) && !reaches(spentBeforeSatang, limitSatang, t));
}

/**
 * The identity of one alert: the same budget, period and threshold give the same key, so a UNIQUE column holding
 * it lets the first writer send the alert and every later one find it taken. The period is named by its start
 * instant, fixed-width ISO text without "/", so the key splits back unambiguously from the right.
 */
export function alertKey(budgetId: string, periodStart: Date, threshold: number): string {
  if (!budgetId) throw new BudgetError('an alert key needs a budget id');
  if (!Number.isInteger(threshold) || threshold < 1) throw new BudgetError(`alert threshold ${threshold} must be a whole percent`);
  return `${budgetId}/${periodStart.toISOString()}/${threshold}`;
}

export interface DailySpend {
  /** Any instant within the local day (in the period's zone) the spending is counted on. */
  day: Date;
  satang: bigint;
}

export interface BurnDownPoint {
  /** Local midnight starting the day. */
  day: Date;
  spentSatang: bigint;
  cumulativeSatang: bigint;
  /** Limit less cumulative spending; negative once the budget is overspent. */
  remainingSatang: bigint;
}

export interface BudgetProjection {
  /** One point per day of the period from its first day to today (all of them once the period is over). */
  points: BurnDownPoint[];
  spentSatang: bigint;
  remainingSatang: bigint;
  /** Days of the period begun by `now`, today included; 0 before the period starts. */
  elapsedDays: number;
  totalDays: number;
  /** Spent ÷ elapsed days, rounded half-up to the satang; 0 before the period starts. */
  averageDailySatang: bigint;
  /** Spent × total days ÷ elapsed days (the average kept up to the end), rounded half-up to the satang. */
  projectedSpendSatang: bigint;
  /**
   * The local midnight starting the day the limit is (or was) reached: the actual day once cumulative spending
   * reached it, otherwise the first day the average burn takes it there. Null when it does not within the period.
   */
  projectedExhaustion: Date | null;
}

const divHalfUp = (num: bigint, den: bigint) => (2n * num + den) / (2n * den);
/** Smallest integer ≥ num/den, for positive den. */
const divCeil = (num: bigint, den: bigint) => (num + den - 1n) / den;

/**
 * Where a budget stands and is heading, assuming spending goes on at the average of the days so far. Today
 * counts as a whole elapsed day: the daily rollups it reads from do not say how much of today is accounted yet.
 */
export function projectBudget(input: {
  period: BudgetPeriod;
  limitSatang: bigint;
  dailySpend: readonly DailySpend[];
  now: Date;
}): BudgetProjection {
  const { period, limitSatang, dailySpend, now } = input;
  checkLimit(limitSatang);
  const zone = period.timeZone;
  const days: number[] = [];
  for (let d = period.start.getTime(); d < period.end.getTime(); d = nextBucketStart(d, 'DAY', zone)) days.push(d);

  const byDay = new Map<number, bigint>();
  for (const { day, satang } of dailySpend) {
    const t = day.getTime();
    // Spending outside the period belongs to another budget period.
    if (t < period.start.getTime() || t >= period.end.getTime()) continue;
    const d = bucketStart(t, 'DAY', zone);
    byDay.set(d, (byDay.get(d) ?? 0n) + satang);
  }

  const nowMs = now.getTime();
  const elapsedDays = days.filter((d) => d <= nowMs).length;
  const points: BurnDownPoint[] = [];
  let cumulative = 0n;
  let reachedOn: number | null = null;
  for (const d of days.slice(0, elapsedDays)) {
    const spent = byDay.get(d) ?? 0n;
    cumulative += spent;
    if (reachedOn === null && cumulative >= limitSatang) reachedOn = d;
    points.push({ day: new Date(d), spentSatang: spent, cumulativeSatang: cumulative, remainingSatang: limitSatang - cumulative });
  }

  const totalDays = days.length;
  const elapsed = BigInt(elapsedDays);
  const averageDailySatang = elapsedDays === 0 ? 0n : divHalfUp(cumulative, elapsed);
  const projectedSpendSatang = elapsedDays === 0 ? 0n : divHalfUp(cumulative * BigInt(totalDays), elapsed);
  let projectedExhaustion: Date | null = reachedOn === null ? null : new Date(reachedOn);
  if (reachedOn === null && cumulative > 0n) {
    // At `cumulative / elapsed` a day, the end of day k (counted from 1) has spent cumulative × k / elapsed.
    const k = divCeil(limitSatang * elapsed, cumulative);
    if (k <= BigInt(totalDays)) projectedExhaustion = new Date(days[Number(k) - 1]);
  }
  return {
    points,
    spentSatang: cumulative,
    remainingSatang: limitSatang - cumulative,
    elapsedDays,
    totalDays,
    averageDailySatang,
    projectedSpendSatang,
    projectedExhaustion,
  };
}

/** Satang as THB with thousands separators: 123450n → "1,234.50". */
export function formatThb(satang: bigint): string {
  const [int, dec] = formatSatang(satang).split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

export interface BudgetAlert {
  /** The account (or project) the budget belongs to, as people know it. */
  account: string;
  periodLabel: string;
  threshold: number;
  spentSatang: bigint;
  limitSatang: bigint;
  projectedExhaustion: Date | null;
  /** The zone the exhaustion date is shown in. */
  timeZone: string;
}

export type AlertLocale = 'en' | 'th';

export interface AlertMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A date in words, in the locale's calendar: th-TH writes Buddhist Era years, as Thai readers expect. */
function formatDay(d: Date, locale: AlertLocale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'th' ? 'th-TH' : 'en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** The share of the limit spent, in whole percent rounded down, so "100 %" is never shown before the limit is. */
const percentSpent = (spent: bigint, limit: bigint) => (spent * 100n) / limit;

/** The e-mail (or chat) message of one threshold alert, in English or Thai. */
export function budgetAlertMessage(alert: BudgetAlert, locale: AlertLocale): AlertMessage {
  checkLimit(alert.limitSatang);
  const spent = formatThb(alert.spentSatang);
  const limit = formatThb(alert.limitSatang);
  const pct = percentSpent(alert.spentSatang, alert.limitSatang);
  const exhaustion = alert.projectedExhaustion && formatDay(alert.projectedExhaustion, locale, alert.timeZone);
  const lines =
    locale === 'th'
      ? {
          subject: `[งบประมาณ] ${alert.account} ใช้งบประมาณ ${alert.periodLabel} ถึง ${alert.threshold}% แล้ว`,
          intro: `บัญชี ${alert.account} ใช้งบประมาณช่วง ${alert.periodLabel} ถึงเกณฑ์แจ้งเตือน ${alert.threshold}% แล้ว`,
          spent: `ใช้ไป ${spent} บาท จากวงเงิน ${limit} บาท (${pct}%)`,
          forecast: exhaustion
            ? `ในอัตราการใช้ปัจจุบัน คาดว่างบประมาณจะหมดในวันที่ ${exhaustion}`
            : 'ในอัตราการใช้ปัจจุบัน คาดว่างบประมาณจะไม่หมดก่อนสิ้นช่วง',
        }
      : {
          subject: `[Budget] ${alert.account} has reached ${alert.threshold}% of its ${alert.periodLabel} budget`,
          intro: `Account ${alert.account} has reached the ${alert.threshold}% alert of its ${alert.periodLabel} budget.`,
          spent: `Spent THB ${spent} of THB ${limit} (${pct}%).`,
          forecast: exhaustion
            ? `At the current rate the budget runs out on ${exhaustion}.`
            : 'At the current rate the budget lasts to the end of the period.',
        };
  const text = `${lines.intro}\n\n${lines.spent}\n${lines.forecast}\n`;
  const html =
    `<!doctype html><html lang="${locale}"><body>` +
    [lines.intro, lines.spent, lines.forecast].map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
    '</body></html>';
  return { subject: lines.subject, text, html };
}
