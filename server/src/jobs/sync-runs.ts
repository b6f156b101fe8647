import type { Db } from '../db/client.ts';
import { badInput } from '../errors.ts';
import { latestSync } from './sync.ts';

export const SYNC_RUN_STATUSES = ['running', 'ok', 'partial', 'failed'] as const;

export interface SyncRunFilter {
  cluster?: string | null;
  status?: string | null;
}

type SyncRunRow = NonNullable<Awaited<ReturnType<Db['syncRun']['findFirst']>>>;

export interface SyncRunPage {
  nodes: SyncRunRow[];
  hasNextPage: boolean;
  /** The id of the page's last run, as text: `after` for the next, older page. */
  endCursor: string | null;
}

/** A cursor is a run's id: runs are numbered as they start, so newest first is id descending. */
function cursorId(after: string | null | undefined): number | undefined {
  if (after == null || after === '') return undefined;
  if (!/^\d{1,15}$/.test(after)) throw badInput(`after must be the endCursor of a previous page, got "${after}"`);
  return Number(after);
}

/** Runs newest first, of one cluster and/or status when given, a page at a time. */
export async function listSyncRuns(db: Db, filter: SyncRunFilter, first: number, after?: string | null): Promise<SyncRunPage> {
  if (filter.status && !(SYNC_RUN_STATUSES as readonly string[]).includes(filter.status)) {
    throw badInput(`status must be one of ${SYNC_RUN_STATUSES.join(', ')}, got "${filter.status}"`);
  }
  const before = cursorId(after);
  const rows = await db.syncRun.findMany({
    where: {
      cluster: filter.cluster ?? undefined,
      status: filter.status ?? undefined,
      id: before === undefined ? undefined : { lt: before },
    },
    orderBy: { id: 'desc' },
    take: first + 1,
  });
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? String(nodes.at(-1)!.id) : null };
}

export interface ClusterSyncStatus {
  cluster: string;
  /** Up to where the automatic runs have filled the ledger without a gap: the furthest coveredTo of an interval or startup run. */
  watermark: Date | null;
  lastOk: SyncRunRow | null;
  /** The cluster's newest run, when it has not ended. */
  current: SyncRunRow | null;
}

/**
 * Each configured cluster's sync state. Syncs never overlap (the sync lock), so only a cluster's newest run can be
 * under way; an older run still marked running was stopped (the process ended) before it could finish.
 */
export async function clusterSyncStatus(db: Db, clusters: readonly string[]): Promise<ClusterSyncStatus[]> {
  return Promise.all(
    clusters.map(async (cluster) => {
      const [mark, lastOk, newest] = await Promise.all([
        db.syncRun.findFirst({
          where: { cluster, coveredTo: { not: null }, trigger: { in: ['interval', 'startup'] } },
          orderBy: { coveredTo: 'desc' },
          select: { coveredTo: true },
        }),
        latestSync(db, undefined, cluster),
        db.syncRun.findFirst({ where: { cluster }, orderBy: { id: 'desc' } }),
      ]);
      return { cluster, watermark: mark?.coveredTo ?? null, lastOk, current: newest?.status === 'running' ? newest : null };
    }),
  );
}
