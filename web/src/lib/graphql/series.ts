import { graphql } from './generated';
import type { TopUsersQuery as TopUsers, UsageSeriesQuery as UsageSeries } from './generated/graphql';

/**
 * Usage per calendar bucket for the charts, with every bucket present (fillZeros). `month` is the one-row series
 * of the month holding `now`: its start is local midnight of a 1st in the server's zone, which tells on which
 * side of UTC that zone lies (see $lib/series/zone.ts); the API does not name the zone it buckets in.
 */
export const UsageSeriesQuery = graphql(`
  query UsageSeries(
    $from: DateTime!
    $to: DateTime!
    $bucket: SeriesBucket!
    $groupBy: [SeriesGroup!]
    $filter: SeriesFilter
    $now: DateTime!
    $nowEnd: DateTime!
  ) {
    series: usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, fillZeros: true) {
      time
      user
      account
      partition
      tier
      cluster
      jobs
      cpuHours
      gpuHours
      memGBHours
      elapsedHours
      cost
      cpuCost
      gpuCost
      memCost
      costValue
      cpuCostValue
      gpuCostValue
      memCostValue
    }
    month: usageSeries(from: $now, to: $nowEnd, bucket: MONTH, fillZeros: true) {
      time
    }
  }
`);

/** The biggest users of a window, by one measure. */
export const TopUsersQuery = graphql(`
  query TopUsers($filter: JobFilter, $by: UsageMeasure!, $limit: Int!) {
    usage(groupBy: [user], filter: $filter, orderBy: { by: $by }, limit: $limit) {
      user
      totals {
        jobs
        cpuHours
        gpuHours
        cost
      }
    }
  }
`);

export type SeriesRow = UsageSeries['series'][number];
export type TopUser = TopUsers['usage'][number];
