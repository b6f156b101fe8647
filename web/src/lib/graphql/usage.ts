import { graphql } from './generated';
import type { JobsPageQuery as JobsPage, UsageBucketsQuery as UsageBuckets, UsageTotalsQuery as UsageTotals } from './generated/graphql';

/** One page of ledger jobs, newest first unless ordered; `after` is the previous page's `endCursor`. */
export const JobsPageQuery = graphql(`
  query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {
    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      edges {
        node {
          key
          receiptId
          cluster
          jobId
          user
          name
          account
          partition
          state
          end
          elapsedSeconds
          cost {
            cpuHours
            gpuHours
            memGBHours
            cost
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const TotalsFieldsFragment = graphql(`
  fragment TotalsFields on UsageTotals {
    jobs
    cpuHours
    gpuHours
    memGBHours
    elapsedHours
    cost
  }
`);

/** Totals of the whole filtered set, computed by the database (one job fetched, never shown). */
export const UsageTotalsQuery = graphql(`
  query UsageTotals($filter: JobFilter) {
    jobs(filter: $filter, first: 1) {
      totals {
        ...TotalsFields
      }
    }
  }
`);

export const UsageBucketsQuery = graphql(`
  query UsageBuckets($filter: JobFilter, $groupBy: [UsageGroup!]!) {
    usage(filter: $filter, groupBy: $groupBy) {
      user
      month
      account
      partition
      tier
      cluster
      totals {
        ...TotalsFields
      }
    }
  }
`);

export const DataSourceQuery = graphql(`
  query DataSource {
    dataSource {
      id
      source
      status
      trigger
      jobCount
      startedAt
      finishedAt
    }
  }
`);


export type JobRow = JobsPage['jobs']['edges'][number]['node'];
export type Totals = UsageTotals['jobs']['totals'];
export type Bucket = UsageBuckets['usage'][number];
export type Group = 'user' | 'month' | 'account' | 'partition' | 'tier' | 'cluster';
