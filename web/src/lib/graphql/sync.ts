import { graphql } from './generated';
import type { SyncProgressSubscription as SyncProgressData, SyncRunFieldsFragment as SyncRunFields, SyncStatusQuery as SyncStatusData } from './generated/graphql';

/** A run as the sync page lists it, reasons and attempts included (staff). */
export const SyncRunFieldsFragment = graphql(`
  fragment SyncRunFields on SyncRun {
    id
    cluster
    source
    status
    trigger
    jobCount
    rangeFrom
    rangeTo
    startedAt
    finishedAt
    error
    partialReason
    attempts {
      source
      ok
      reason
      ms
      count
    }
  }
`);

export const SyncRunsQuery = graphql(`
  query SyncRuns($first: Int, $after: String, $cluster: String, $status: String) {
    syncRuns(first: $first, after: $after, cluster: $cluster, status: $status) {
      edges {
        node {
          ...SyncRunFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      viewerCanSync
    }
  }
`);

export const SyncStatusQuery = graphql(`
  query SyncStatus {
    syncStatus {
      cluster
      watermark
      running
      lastOk {
        id
        finishedAt
        source
      }
    }
  }
`);

export const SyncJobsMutation = graphql(`
  mutation SyncJobs($from: DateTime!, $to: DateTime, $cluster: String) {
    syncJobs(from: $from, to: $to, cluster: $cluster) {
      ...SyncRunFields
    }
  }
`);

export const SyncProgressSubscription = graphql(`
  subscription SyncProgress {
    syncProgress {
      trigger
      cluster
      from
      to
      chunksDone
      chunksTotal
      chunksFailed
      jobsStored
      jobsPerSecond
      etaSeconds
      chunkStatus
      source
    }
  }
`);

/** The configured clusters: with more than one, tables and charts tell jobs apart by cluster. */
export const ClustersQuery = graphql(`
  query Clusters {
    clusters
  }
`);

export type SyncRun = SyncRunFields;
export type ClusterStatus = SyncStatusData['syncStatus'][number];
export type SyncProgress = SyncProgressData['syncProgress'];
