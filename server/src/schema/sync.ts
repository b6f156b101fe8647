import { builder } from '../builder.ts';
import type { ClusterSyncStatus, SyncRunPage } from '../jobs/sync-runs.ts';
import { pageSize } from './paging.ts';
import { PageInfoRef, SyncRunRef, type SyncRunShape } from './usage.ts';

const SyncRunEdgeRef = builder.objectRef<{ cursor: string; node: SyncRunShape }>('SyncRunEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: SyncRunRef, resolve: (e) => e.node }),
  }),
});

const SyncRunConnectionRef = builder.objectRef<SyncRunPage>('SyncRunConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [SyncRunEdgeRef], resolve: (page) => page.nodes.map((node) => ({ cursor: String(node.id), node })) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (page) => page }),
    viewerCanSync: t.boolean({
      description: 'The viewer may call syncJobs: an admin signed in with a session (API tokens only read)',
      resolve: (_p, _a, ctx) => ctx.viewer?.role === 'admin' && !ctx.readOnly,
    }),
  }),
});

builder.queryField('syncRuns', (t) =>
  t.field({
    type: SyncRunConnectionRef,
    authScopes: { staff: true },
    description: 'Every fill of the ledger from Slurm, newest first, a page at a time',
    args: {
      first: t.arg.int({ defaultValue: 50, description: 'at most 200' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page' }),
      cluster: t.arg.string({ description: 'Only this cluster’s runs' }),
      status: t.arg.string({ description: 'Only runs of this status: running, ok, partial or failed' }),
    },
    resolve: (_root, { first, after, cluster, status }, ctx) =>
      ctx.services.sync.runs({ cluster, status }, pageSize('first', first, 50, 200), after),
  }),
);

const ClusterSyncStatusRef = builder.objectRef<ClusterSyncStatus>('ClusterSyncStatus').implement({
  description: 'Where the syncs of one configured cluster stand',
  fields: (t) => ({
    cluster: t.exposeString('cluster'),
    watermark: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The ledger holds every job of this cluster that ended before this instant: the automatic syncs covered it without a gap. null before the first',
      resolve: (s) => s.watermark,
    }),
    lastOk: t.field({ type: SyncRunRef, nullable: true, description: 'The last run that covered its whole window', resolve: (s) => s.lastOk }),
    running: t.boolean({ description: 'A run of this cluster is under way now', resolve: (s) => s.current !== null }),
    currentRun: t.field({ type: SyncRunRef, nullable: true, description: 'The run under way, if any', resolve: (s) => s.current }),
  }),
});

builder.queryField('syncStatus', (t) =>
  t.field({
    type: [ClusterSyncStatusRef],
    authScopes: { staff: true },
    description: 'Each configured cluster’s syncs: how far the ledger is complete, the last good run, and whether one runs now',
    resolve: (_root, _args, ctx) => ctx.services.sync.status(),
  }),
);

builder.queryField('clusters', (t) =>
  t.stringList({
    authScopes: { loggedIn: true },
    description: 'The names of the configured clusters, the default first: with more than one, jobs are told apart by cluster',
    resolve: (_root, _args, ctx) => ctx.services.clusters.map((c) => c.name),
  }),
);
