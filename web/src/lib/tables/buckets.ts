import { parseDecimal } from '../billing/decimal';
import type { Bucket, Group } from '../graphql/usage';
import { sortRows, type Direction } from './sort';

/** The columns a usage table orders by: its (first) grouping value, or a measure. */
export const BUCKET_SORTS = ['group', 'jobs', 'cpuHours', 'gpuHours', 'memGBHours', 'elapsedHours', 'cost'] as const;
export type BucketSort = (typeof BUCKET_SORTS)[number];

/**
 * Usage rows ordered on the client: the page holds every group of the answer. Cost, a decimal string, compares as
 * its amount (exact to the satang up to 90 billion THB); a month or a name compares as text.
 */
export function sortBuckets(buckets: readonly Bucket[], group: Group, by: BucketSort, dir: Direction, locale?: string): Bucket[] {
  const value = (b: Bucket): string | number | null => {
    if (by === 'group') return b[group] ?? null;
    if (by === 'cost') {
      const d = parseDecimal(b.totals.cost);
      return d ? Number(d.units) / 10 ** d.scale : null;
    }
    return b.totals[by];
  };
  return sortRows(buckets, value, dir, locale);
}
