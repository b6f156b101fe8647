import { parseDecimal, sum, toFixed, type Decimal } from '../billing/decimal';
import type { SeriesRow } from '$lib/graphql/series';
import type { BucketSlot } from './window';

/**
 * One chart's data: a value per series per bucket, plotted as bars (stacked when there are several series), with
 * the exact text of each value for the table beside it. Values are what the API gives for plotting (floats); the
 * text is the exact Decimal for money.
 */
export interface ChartData {
  buckets: BucketSlot[];
  series: ChartSeries[];
  /** values[series][bucket] */
  values: number[][];
  /** text[series][bucket]: exact money, or hours as the API gave them */
  text: string[][];
  /** Per bucket, the sum of all series: exact for money. */
  totals: { value: number; text: string }[];
  /** The whole window's sum. */
  total: { value: number; text: string };
  /** Whether the text is money (exact THB) or hours. */
  money: boolean;
}

export interface ChartSeries {
  /** cpu | gpu | mem, a group's value, or OTHER for the groups past the top ones */
  key: string;
  /** Which of the chart's fills it is drawn with: its index among the series. */
  fill: number;
}

export const OTHER = '\u0000other';
/** The rest of the groups are always drawn in the plain grey fill, whatever their place. */
export const OTHER_FILL = 5;
export const NONE = '\u0000none';

export type Measure = 'cost' | 'cpuHours' | 'gpuHours';
export const MEASURES: readonly Measure[] = ['cost', 'cpuHours', 'gpuHours'];

const MONEY_PARTS = [
  { key: 'cpu', value: 'cpuCostValue', text: 'cpuCost' },
  { key: 'gpu', value: 'gpuCostValue', text: 'gpuCost' },
  { key: 'mem', value: 'memCostValue', text: 'memCost' },
] as const;

const decimal = (text: string): Decimal => parseDecimal(text) ?? { units: 0n, scale: 0 };
/** An exact sum of amounts, in the API's form: at least two decimals ("12.50"), never rounded. */
const moneyText = (amounts: readonly string[]) => {
  const total = sum(amounts.map(decimal));
  return toFixed(total, Math.max(2, total.scale));
};
/** Hours are floats in the API; the table and the CSV show them to four decimals, as the usage exports do. */
export const hoursText = (hours: number) => hours.toFixed(4);

/** Rows of the kept buckets only, by bucket start. */
function byTime(rows: readonly SeriesRow[], buckets: readonly BucketSlot[]): Map<string, SeriesRow[]> {
  const out = new Map<string, SeriesRow[]>(buckets.map((b) => [b.time, []]));
  for (const row of rows) out.get(row.time)?.push(row);
  return out;
}

/** Cost per bucket in its CPU, GPU and memory shares (an ungrouped series: one row per bucket). */
export function costByResource(rows: readonly SeriesRow[], buckets: readonly BucketSlot[]): ChartData {
  const at = byTime(rows, buckets);
  const cells = buckets.map((b) => at.get(b.time) ?? []);
  const all = cells.flat();
  return {
    money: true,
    total: { value: all.reduce((n, r) => n + r.costValue, 0), text: moneyText(all.map((r) => r.cost)) },
    buckets: [...buckets],
    series: MONEY_PARTS.map((p, fill) => ({ key: p.key, fill })),
    values: MONEY_PARTS.map((p) => cells.map((rs) => rs.reduce((n, r) => n + r[p.value], 0))),
    text: MONEY_PARTS.map((p) => cells.map((rs) => moneyText(rs.map((r) => r[p.text])))),
    totals: cells.map((rs) => ({ value: rs.reduce((n, r) => n + r.costValue, 0), text: moneyText(rs.map((r) => r.cost)) })),
  };
}

/** One measure of hours per bucket, a single series. */
export function hoursOf(rows: readonly SeriesRow[], buckets: readonly BucketSlot[], field: 'cpuHours' | 'gpuHours'): ChartData {
  const at = byTime(rows, buckets);
  const values = buckets.map((b) => (at.get(b.time) ?? []).reduce((n, r) => n + r[field], 0));
  const total = values.reduce((n, v) => n + v, 0);
  return {
    money: false,
    total: { value: total, text: hoursText(total) },
    buckets: [...buckets],
    // GPU-hours in the GPU share's fill, so the hours charts read like the cost chart's parts.
    series: [{ key: field, fill: field === 'gpuHours' ? 1 : 0 }],
    values: [values],
    text: [values.map(hoursText)],
    totals: values.map((value) => ({ value, text: hoursText(value) })),
  };
}

export type SeriesGroupField = 'account' | 'partition' | 'tier' | 'cluster';

/**
 * One measure per bucket, stacked by a grouping: the `limit` groups with the most over the window, then the rest as
 * one "other" series, so a chart never needs more fills than it can tell apart. Groups with nothing in the window
 * (seen only in the margin the request adds) are left out.
 */
export function byGroup(
  rows: readonly SeriesRow[],
  buckets: readonly BucketSlot[],
  group: SeriesGroupField,
  measure: Measure,
  limit = 5,
): ChartData {
  const at = byTime(rows, buckets);
  const kept = buckets.flatMap((b) => at.get(b.time) ?? []);
  const keyOf = (r: SeriesRow) => r[group] ?? NONE;
  const valueOf = (r: SeriesRow) => (measure === 'cost' ? r.costValue : r[measure]);
  const totals = new Map<string, number>();
  for (const r of kept) totals.set(keyOf(r), (totals.get(keyOf(r)) ?? 0) + valueOf(r));
  const ranked = [...totals].filter(([, total]) => total > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  // An "other" of a single group would hide its name for nothing.
  const top = ranked.length > limit + 1 ? ranked.slice(0, limit) : ranked;
  const named = new Set(top.map(([key]) => key));
  const keys = [...top.map(([key]) => key), ...(ranked.length > top.length ? [OTHER] : [])];
  const slot = (r: SeriesRow) => (named.has(keyOf(r)) ? keyOf(r) : OTHER);

  const values = keys.map(() => buckets.map(() => 0));
  const exact = keys.map(() => buckets.map((): string[] => []));
  buckets.forEach((b, i) => {
    for (const r of at.get(b.time) ?? []) {
      const s = keys.indexOf(slot(r));
      if (s < 0) continue;
      values[s][i] += valueOf(r);
      if (measure === 'cost') exact[s][i].push(r.cost);
    }
  });
  const textOf = (s: number, i: number) => (measure === 'cost' ? moneyText(exact[s][i]) : hoursText(values[s][i]));
  const total = values.flat().reduce((n, v) => n + v, 0);
  return {
    money: measure === 'cost',
    total: { value: total, text: measure === 'cost' ? moneyText(exact.flat(2)) : hoursText(total) },
    buckets: [...buckets],
    series: keys.map((key, fill) => ({ key, fill: key === OTHER ? OTHER_FILL : fill })),
    values,
    text: keys.map((_, s) => buckets.map((__, i) => textOf(s, i))),
    totals: buckets.map((_, i) => {
      const value = values.reduce((n, v) => n + v[i], 0);
      return { value, text: measure === 'cost' ? moneyText(exact.flatMap((e) => e[i])) : hoursText(value) };
    }),
  };
}

/** Nothing to draw: every bucket is zero (or there are no buckets). */
export function isEmpty(data: ChartData): boolean {
  return data.totals.every((t) => t.value === 0);
}

export interface Segment {
  series: number;
  bucket: number;
  y0: number;
  y1: number;
}

/** Stacked bars: each series' segment per bucket, bottom to top in series order; zero segments are left out. */
export function stackSegments(values: readonly (readonly number[])[]): Segment[] {
  const out: Segment[] = [];
  const base = (values[0] ?? []).map(() => 0);
  values.forEach((row, series) => {
    row.forEach((value, bucket) => {
      if (!(value > 0)) return;
      out.push({ series, bucket, y0: base[bucket], y1: base[bucket] + value });
      base[bucket] += value;
    });
  });
  return out;
}
