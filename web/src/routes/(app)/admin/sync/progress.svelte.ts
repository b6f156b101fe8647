import { SvelteMap } from 'svelte/reactivity';
import type { SyncProgress } from '$lib/graphql/sync';

/** One sync as its progress reports show it; `ended` once its last chunk is done (its run is being closed). */
export interface LiveSync {
  key: string;
  progress: SyncProgress;
  ended: boolean;
}

/** A run's reports share its cluster, trigger and window; a cluster's next run is another key. */
export const syncKey = (p: Pick<SyncProgress, 'cluster' | 'trigger' | 'from' | 'to'>) => `${p.cluster}|${p.trigger}|${p.from}|${p.to}`;

/** The share of a run's chunks done, 0 to 1; a run of no chunks is done. */
export function fractionDone(p: Pick<SyncProgress, 'chunksDone' | 'chunksTotal'>): number {
  return p.chunksTotal > 0 ? Math.min(1, p.chunksDone / p.chunksTotal) : 1;
}

/**
 * The syncs running now, from the syncProgress reports. The last report of a run comes just before its run row is
 * closed, so `onEnded` is where the page asks for the runs again; `forget` drops a sync once its run shows as ended.
 */
export function createLiveSyncs(onEnded: (sync: LiveSync) => void) {
  const syncs = new SvelteMap<string, LiveSync>();
  return {
    get list(): LiveSync[] {
      return [...syncs.values()];
    },
    report(progress: SyncProgress) {
      const key = syncKey(progress);
      const ended = progress.chunkStatus !== null && progress.chunksDone >= progress.chunksTotal;
      const known = syncs.get(key);
      const sync = { key, progress, ended };
      syncs.set(key, sync);
      if (ended && !known?.ended) onEnded(sync);
    },
    forget(key: string) {
      syncs.delete(key);
    },
    forgetCluster(cluster: string) {
      for (const [key, sync] of syncs) if (sync.progress.cluster === cluster && sync.ended) syncs.delete(key);
    },
  };
}
