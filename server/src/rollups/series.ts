import { joinSplit } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { badInput, DomainError } from '../errors.ts';
import { bucketsBetween, isTimeZone, type SeriesBucket } from './calendar.ts';
import { sumRollups } from './sum.ts';

export const SERIES_GROUPS = ['user', 'account', 'partition', 'tier', 'cluster', 'state'] as const;
export type SeriesGroup = (typeof SERIES_GROUPS)[number];

export interface SeriesFilter {
  user?: string | null;
  account?: string | null;
  partition?: string | null;
  tier?: string | null;
  cluster?: string | null;
  state?: string | null;
  /** true: only jobs on a receipt; false: only unbilled */
  billed?: boolean | null;
}

export interface SeriesQuery {
  from: Date;
  to: Date;
  bucket: SeriesBucket;
  timeZone: string;
  groupBy: readonly SeriesGroup[];
  filter: SeriesFilter;
  fillZeros: boolean;
  maxRows: number;
}

export interface SeriesRow {
  time: Date;
  group: Partial<Record<SeriesGroup, string | null>>;
  jobs: number;
  elapsedSeconds: bigint;
  cpuSeconds: bigint;
  gpuSeconds: bigint;
  memMiBSeconds: bigint;
  costSatang: bigint;
  /** The CPU and GPU shares of costSatang; memory's is the rest. */
  cpuCostSatang: bigint;
  gpuCostSatang: bigint;
}

/** The window the series covers: whole buckets from the one holding `from` to the one holding the last instant before `to`. */
export function seriesBuckets(q: Pick<SeriesQuery, 'from' | 'to' | 'bucket' | 'timeZone' | 'maxRows'>) {
  if (!isTimeZone(q.timeZone)) throw badInput(`timeZone "${q.timeZone}" is not an IANA time zone such as "Asia/Bangkok" or "UTC"`);
  if (!(q.from.getTime() < q.to.getTime())) throw badInput(`the window is empty: from ${q.from.toISOString()} is not before to ${q.to.toISOString()}`);
  const buckets = bucketsBetween(q.from.getTime(), q.to.getTime(), q.bucket, q.timeZone, q.maxRows);
  if (!buckets) {
    throw new DomainError('TOO_COMPLEX', `more than ${q.maxRows} ${q.bucket.toLowerCase()} buckets in this window: choose a larger bucket or a shorter window`, { maxRows: q.maxRows });
  }
  return buckets;
}


/**
 * Usage per calendar bucket of a zone, summed from the rollups (never from the jobs): each
 * bucket is the sum of the quarter hours it spans, so any bucket in any zone is exact, and the
 * series adds up to what `jobs.totals` says for the same window. Rows come by time, then group.
 */
export async function usageSeries(db: Db, q: SeriesQuery): Promise<SeriesRow[]> {
  const buckets = seriesBuckets(q);
  const groups = [...new Set(q.groupBy)];
  const f = q.filter;
  const rows = await sumRollups(
    db,
    buckets.map(([s, e]) => ({ key: s, from: s, to: e })),
    { groups: groups.map((g) => ({ name: g, of: g })), filter: f, billed: f.billed },
    q.maxRows + 1,
  );
  const nullIfEmpty = (g: SeriesGroup, v: unknown) => ((g === 'account' || g === 'partition') && v === '' ? null : (v as string));
  let out: SeriesRow[] = rows.map((r) => ({
    time: new Date(Number(r.t)),
    group: Object.fromEntries(groups.map((g) => [g, nullIfEmpty(g, r[`g_${g}`])])),
    jobs: Number(r.jobs),
    elapsedSeconds: BigInt((r.elapsed as number | bigint | null) ?? 0),
    cpuSeconds: joinSplit(r, 'cpuSec'),
    gpuSeconds: joinSplit(r, 'gpuSec'),
    memMiBSeconds: joinSplit(r, 'memSec'),
    costSatang: joinSplit(r, 'cost'),
    cpuCostSatang: joinSplit(r, 'cpuCost'),
    gpuCostSatang: joinSplit(r, 'gpuCost'),
  }));
  if (q.fillZeros) out = fillZeros(out, buckets, groups);
  if (out.length > q.maxRows) {
    throw new DomainError('TOO_COMPLEX', `this series has more than ${q.maxRows} rows: choose a larger bucket, a shorter window, fewer groupings or a filter`, { maxRows: q.maxRows });
  }
  return out;
}

/** Every group seen gets a row in every bucket, zero where it had no jobs; with no grouping, every bucket has one row. */
function fillZeros(rows: SeriesRow[], buckets: Array<[number, number]>, groups: SeriesGroup[]): SeriesRow[] {
  const keyOf = (g: SeriesRow['group']) => JSON.stringify(groups.map((k) => g[k] ?? null));
  const seen = new Map<string, SeriesRow['group']>();
  const have = new Set<string>();
  for (const r of rows) {
    seen.set(keyOf(r.group), r.group);
    have.add(`${r.time.getTime()}|${keyOf(r.group)}`);
  }
  if (groups.length === 0) seen.set(keyOf({}), {});
  const filled = [...rows];
  for (const [start] of buckets) {
    for (const [key, group] of seen) {
      if (have.has(`${start}|${key}`)) continue;
      filled.push({ time: new Date(start), group, jobs: 0, elapsedSeconds: 0n, cpuSeconds: 0n, gpuSeconds: 0n, memMiBSeconds: 0n, costSatang: 0n, cpuCostSatang: 0n, gpuCostSatang: 0n });
    }
  }
  return filled.sort((a, b) => a.time.getTime() - b.time.getTime() || (keyOf(a.group) < keyOf(b.group) ? -1 : keyOf(a.group) > keyOf(b.group) ? 1 : 0));
}
