import { systemMeta } from '../audit/recorder.ts';
import { pruneThrottle } from '../auth/throttle.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { JobSource, SkippedSource } from '../slurm/source.ts';
import { nextWindow, syncJobs } from './sync.ts';
import { progressEvents, type SyncProgressEvent } from './sync-progress.ts';

export interface SchedulerDeps {
  db: Db;
  config: Config;
  sources: ReadonlyArray<JobSource | SkippedSource>;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  now?: () => Date;
  /** Each run's progress, chunk by chunk (staff can watch it: the syncProgress subscription). */
  onProgress?: (e: SyncProgressEvent) => void;
}

/**
 * The sync on an interval: at start, then every SYNC_INTERVAL_SEC, one run at a time, each from
 * the watermark; housekeeping (stale throttle rows, dead sessions) rides on the same timer.
 */
export function createSyncScheduler({ db, config, sources, log, now = () => new Date(), onProgress }: SchedulerDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function syncNow(trigger: 'interval' | 'startup'): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        const window = await nextWindow(db, config.sync.lookbackSec, config.sync.initialDays, now());
        const req = { ...window, trigger, chunkHours: config.sync.chunkHours };
        const run = await syncJobs(
          db,
          sources,
          req,
          systemMeta(),
          config.sources.timeoutMs,
          onProgress && progressEvents(req, onProgress),
          config.auth.defaultTier,
        );
        log.info({ source: run.source, jobs: run.jobCount }, 'jobs synced');
        await pruneThrottle(db, now(), config.auth.throttle);
        await db.session.deleteMany({ where: { expiresAt: { lt: now() } } });
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : error }, 'job sync failed');
      } finally {
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
