import { systemMeta } from '../audit/recorder.ts';
import { pruneThrottle } from '../auth/throttle.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { nextWindow, type SyncCluster, syncJobs } from './sync.ts';
import type { Observer } from '../observe.ts';
import { inProcessSyncLock, type SyncLock } from './sync-lock.ts';
import { progressEvents, type SyncProgressEvent } from './sync-progress.ts';

export interface SchedulerDeps {
  db: Db;
  config: Config;
  clusters: readonly SyncCluster[];
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  now?: () => Date;
  /** Shared with the admin's syncJobs and, through Redis, with the other replicas: a round runs only under a lease. */
  lock?: SyncLock;
  /** Each run's progress, chunk by chunk (staff can watch it: the syncProgress subscription). */
  onProgress?: (e: SyncProgressEvent) => void;
  observer?: Observer;
  /** What follows every round under the same lease: the accounts from Slurm, then the budget alerts the new jobs reach. */
  afterSync?: () => Promise<unknown>;
}

/**
 * The sync on an interval: at start, then every SYNC_INTERVAL_SEC, one round at a time, each cluster in turn from its
 * own watermark, so one cluster's failure is its own (its run records it) and the next still runs; housekeeping
 * (stale throttle rows, dead sessions) rides on the same timer.
 */
export function createSyncScheduler({ db, config, clusters, log, now = () => new Date(), onProgress, lock = inProcessSyncLock(), observer, afterSync }: SchedulerDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function syncNow(trigger: 'interval' | 'startup'): Promise<void> {
    if (running) return running;
    running = (async () => {
      let lease;
      try {
        lease = await lock.tryAcquire();
      } catch (error) {
        log.warn({ trigger, err: error instanceof Error ? error.message : error }, 'sync lock unavailable: round skipped');
        running = null;
        return;
      }
      if (!lease) {
        log.info({ trigger }, 'another replica is syncing: round skipped');
        observer?.syncLockBusy?.();
        running = null;
        return;
      }
      try {
        for (const cluster of clusters) {
          try {
            const window = await nextWindow(db, config.sync.lookbackSec, config.sync.initialDays, now(), cluster.name);
            const req = { ...window, trigger, chunkHours: config.sync.chunkHours, cluster: cluster.name };
            const run = await syncJobs(
              db,
              cluster.sources,
              req,
              systemMeta(),
              cluster.timeoutMs,
              onProgress && progressEvents(req, onProgress),
              config.auth.defaultTier,
            );
            log.info({ cluster: cluster.name, source: run.source, jobs: run.jobCount }, 'jobs synced');
            observer?.syncRun?.(run);
          } catch (error) {
            // The failed run is recorded (syncJobs wrote it before throwing): report it as it stands.
            const failed = await db.syncRun.findFirst({ where: { cluster: cluster.name }, orderBy: { id: 'desc' } }).catch(() => null);
            if (failed) observer?.syncRun?.(failed);
            log.warn({ cluster: cluster.name, err: error instanceof Error ? error.message : error }, 'job sync failed');
          }
        }
        if (afterSync) {
          await afterSync().catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : error }, 'accounts sync or budget alerts failed'));
        }
        await pruneThrottle(db, now(), config.auth.throttle);
        await db.session.deleteMany({ where: { expiresAt: { lt: now() } } });
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : error }, 'housekeeping failed');
      } finally {
        await lease.release().catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : error }, 'sync lock release failed; it lapses by itself'));
        running = null;
      }
    })();
    return running;
  }

  return {
    syncNow,
    start() {
      if (config.sync.intervalSec <= 0) return;
      void syncNow('startup');
      timer = setInterval(() => void syncNow('interval'), config.sync.intervalSec * 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
