import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Every, redisSyncLock } from './sync-lock.ts';
import { redisAvailable, startRedis, type TestRedis } from '../../../tests/api/support/redis.ts';

const DEADLINE_MS = 20_000;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const stop = Date.now() + DEADLINE_MS;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A holder whose renewals never fire: a process paused (or dead) while it held the lease. */
const frozen: Every = () => () => {};

describe.runIf(redisAvailable())('the Redis sync lock', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it('gives the lease to one holder of two; the other gets it once it is released', async () => {
    const key = 'test:one-of-two';
    const a = redisSyncLock(client(), { key, ttlMs: 60_000 });
    const b = redisSyncLock(client(), { key, ttlMs: 60_000 });
    const [la, lb] = await Promise.all([a.tryAcquire(), b.tryAcquire()]);
    expect([la, lb].filter(Boolean)).toHaveLength(1);
    const held = (la ?? lb)!;
    const other = la ? b : a;
    expect(await other.tryAcquire()).toBeNull();
    await held.release();
    const next = await other.tryAcquire();
    expect(next).not.toBeNull();
    await next!.release();
  });

  it('keeps a renewed lease past its TTL', async () => {
    const key = 'test:renewed';
    const ttlMs = 300;
    const watcher = client();
    const a = redisSyncLock(client(), { key, ttlMs });
    const b = redisSyncLock(client(), { key, ttlMs });
    const lease = (await a.tryAcquire())!;
    // Several TTLs' worth of renewals, counted on Redis itself rather than on this process's clock.
    let renewals = 0;
    let last = await watcher.pttl(key);
    await until('several renewals', async () => {
      const ttl = await watcher.pttl(key);
      if (ttl > last) renewals += 1;
      last = ttl;
      return renewals >= 4;
    });
    expect(await b.tryAcquire()).toBeNull();
    expect(lease.lost).toBe(false);
    await lease.release();
  });

  it('frees the sync a TTL after its holder died (its connection dropped)', async () => {
    const key = 'test:dead-holder';
    const ttlMs = 500;
    const dying = client();
    const a = redisSyncLock(dying, { key, ttlMs });
    const b = redisSyncLock(client(), { key, ttlMs });
    const lease = (await a.tryAcquire())!;
    expect(await b.tryAcquire()).toBeNull();
    dying.disconnect();
    const taken = await until('the other holder to take the lease', () => b.tryAcquire());
    expect(taken.token).not.toBe(lease.token);
    await taken.release();
  });

  it('never lets a stale holder renew or release the lease a newer holder took', async () => {
    const key = 'test:stale';
    const ttlMs = 300;
    const watcher = client();
    let renewStale = () => {};
    const lost: string[] = [];
    const stale = redisSyncLock(client(), {
      key,
      ttlMs,
      // frozen until the test wakes it
      every: (_ms, fn) => {
        renewStale = fn;
        return frozen(_ms, fn);
      },
      onLost: (reason) => lost.push(reason),
    });
    const fresh = redisSyncLock(client(), { key, ttlMs: 60_000 });
    const old = (await stale.tryAcquire())!;
    const newer = await until('the newer holder to take the lapsed lease', () => fresh.tryAcquire());

    // The paused holder wakes: its renewal finds another token and gives up, its release deletes nothing.
    renewStale();
    await until('the stale holder to see its lease lost', async () => old.lost);
    expect(lost).toHaveLength(1);
    await old.release();
    expect(await watcher.get(key)).toBe(newer.token);
    expect(await watcher.pttl(key)).toBeGreaterThan(ttlMs);

    await newer.release();
    expect(await watcher.get(key)).toBeNull();
  });
});
