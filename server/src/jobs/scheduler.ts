import { systemMeta } from '../audit/recorder.ts';
import { pruneThrottle } from '../auth/throttle.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { JobSource, SkippedSource } from '../slurm/source.ts';
import { nextWindow, syncJobs } from './sync.ts';

export interface SchedulerDeps {
  db: Db;
  config: Config;
  sources: ReadonlyArray<JobSource | SkippedSource>;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  now?: () => Date;
}

/**
 * The sync on an interval: at start, then every SYNC_INTERVAL_SEC, one run at a time, each from
 * the watermark; housekeeping (stale throttle rows, dead sessions) rides on the same timer.
 */
export function createSyncScheduler({ db, config, sources, log, now = () => new Date() }: SchedulerDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  function syncNow(trigger: 'interval' | 'startup'): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        const window = await nextWindow(db, config.sync.lookbackSec, config.sync.initialDays, now());
        const run = await syncJobs(
          db,
          sources,
          { ...window, trigger, chunkHours: config.sync.chunkHours },
          systemMeta(),
          config.sources.timeoutMs,
          undefined,
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
