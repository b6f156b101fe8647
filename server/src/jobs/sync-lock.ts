import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A hold on the sync. Renewed while its holder runs; `lost` once it lapsed and someone else may hold it. */
export interface Lease {
  readonly token: string;
  readonly lost: boolean;
  release(): Promise<void>;
}

/** One sync at a time: whoever gets a lease syncs, the others skip. */
export interface SyncLock {
  /** A lease, or null when someone else holds the sync now. */
  tryAcquire(): Promise<Lease | null>;
}

/** Runs `fn` every `ms` until the returned function is called; injected so a test can freeze a holder. */
export type Every = (ms: number, fn: () => void) => () => void;

const every: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** One process: a flag. */
export function inProcessSyncLock(): SyncLock {
  let held: string | null = null;
  return {
    async tryAcquire() {
      if (held) return null;
      const token = randomBytes(16).toString('hex');
      held = token;
      return {
        token,
        lost: false,
        async release() {
          if (held === token) held = null;
        },
      };
    },
  };
}

// Compare and set: a holder whose lease lapsed (a long pause, a lost connection) must not extend or delete the
// lease another replica has taken since.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisSyncLockOptions {
  key: string;
  ttlMs: number;
  /** How often a holder renews: a third of the TTL by default, so two missed renewals still leave it the lease. */
  renewMs?: number;
  every?: Every;
  onLost?: (reason: string) => void;
}

/**
 * Across replicas: the lease is a Redis key holding a random token, set only if absent, that lapses after the TTL
 * unless its holder renews it. A replica that dies frees the sync a TTL later at most.
 */
export function redisSyncLock(redis: Redis, { key, ttlMs, renewMs = Math.floor(ttlMs / 3), every: schedule = every, onLost }: RedisSyncLockOptions): SyncLock {
  return {
    async tryAcquire() {
      const token = randomBytes(16).toString('hex');
      const set = await redis.set(key, token, 'PX', ttlMs, 'NX');
      if (set !== 'OK') return null;
      let lost = false;
      const lose = (reason: string) => {
        if (lost) return;
        lost = true;
        stop();
        onLost?.(reason);
      };
      const stop = schedule(renewMs, () => {
        redis.eval(RENEW, 1, key, token, String(ttlMs)).then(
          (renewed) => (renewed === 1 ? undefined : lose('the lease lapsed and another holder may have it')),
          (error: unknown) => lose(`could not renew: ${error instanceof Error ? error.message : String(error)}`),
        );
      });
      return {
        token,
        get lost() {
          return lost;
        },
        async release() {
          stop();
          await redis.eval(RELEASE, 1, key, token);
        },
      };
    },
  };
}
