import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { dialect } from './dialect.ts';
import { retryOnConflict } from './retry.ts';

/** What the better-sqlite3 adapter throws for SQLITE_BUSY*: P1008 with the SQLite code in the driver adapter error's cause. */
const busy = (originalCode = 'SQLITE_BUSY_SNAPSHOT') =>
  new Prisma.PrismaClientKnownRequestError('Operation has timed out', {
    code: 'P1008',
    clientVersion: 'test',
    meta: { driverAdapterError: { cause: { originalCode } } },
  });

/** A fake clock: `sleep` advances it instead of waiting, and records every delay asked for. */
function fakeClock() {
  let t = 1_000_000;
  const delays: number[] = [];
  return {
    delays,
    now: () => t,
    sleep: async (ms: number) => {
      delays.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** A run that throws `failures` busy errors, then answers. */
function flaky<T>(failures: number, value: T, error: () => unknown = () => busy()) {
  let calls = 0;
  const run = vi.fn(async () => {
    calls++;
    if (calls <= failures) throw error();
    return value;
  });
  return run;
}

describe('retryOnConflict', () => {
  it('recognises the fixture as the dialect’s busy error (and other SQLITE_BUSY codes too)', () => {
    expect(dialect.isBusy(busy())).toBe(true);
    expect(dialect.isBusy(busy('SQLITE_BUSY'))).toBe(true);
    expect(dialect.isBusy(busy('SQLITE_CONSTRAINT'))).toBe(false);
    expect(dialect.isBusy(new Error('Operation has timed out'))).toBe(false);
  });

  it('answers at once when the first run succeeds', async () => {
    const clock = fakeClock();
    const run = flaky(0, 'ok');
    await expect(retryOnConflict(run, { now: clock.now, sleep: clock.sleep })).resolves.toBe('ok');
    expect(run).toHaveBeenCalledTimes(1);
    expect(clock.delays).toEqual([]);
  });

  it('runs again after a busy error until the run succeeds, sleeping only through the injected sleep', async () => {
    const clock = fakeClock();
    const run = flaky(5, { id: 7 });
    await expect(retryOnConflict(run, { now: clock.now, sleep: clock.sleep })).resolves.toEqual({ id: 7 });
    expect(run).toHaveBeenCalledTimes(6);
    expect(clock.delays).toHaveLength(5);
    for (const ms of clock.delays) {
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(250);
    }
  });

  it('gives up after the bounded number of attempts with RETRY_LATER, keeping the driver error as the cause', async () => {
    const clock = fakeClock();
    const last = busy();
    const run = vi.fn(async () => {
      throw last;
    });
    const error = await retryOnConflict(run, { attempts: 4, now: clock.now, sleep: clock.sleep }).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('RETRY_LATER');
    expect((error as DomainError).cause).toBe(last);
    expect(run).toHaveBeenCalledTimes(4);
    expect(clock.delays).toHaveLength(3);
  });

  it('gives up with RETRY_LATER under the default bound too, never running without end', async () => {
    const clock = fakeClock();
    const run = vi.fn(async () => {
      throw busy();
    });
    const error = await retryOnConflict(run, { now: clock.now, sleep: async () => {} }).catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('RETRY_LATER');
    expect(run.mock.calls.length).toBeGreaterThan(1);
    expect(run.mock.calls.length).toBeLessThanOrEqual(40);
  });

  it('gives up with RETRY_LATER once the deadline has passed, whatever attempts are left', async () => {
    const clock = fakeClock();
    const run = vi.fn(async () => {
      clock.advance(400);
      throw busy();
    });
    const error = await retryOnConflict(run, { attempts: 1000, deadlineMs: 1000, now: clock.now, sleep: async () => {} }).catch((e) => e);
    expect((error as DomainError).code).toBe('RETRY_LATER');
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('does not retry any other error, passing it through unchanged', async () => {
    const clock = fakeClock();
    const others = [
      new Error('boom'),
      new DomainError('BAD_INPUT', 'no'),
      new Prisma.PrismaClientKnownRequestError('Unique constraint failed', { code: 'P2002', clientVersion: 'test' }),
      busy('SQLITE_CONSTRAINT'),
      new Prisma.PrismaClientKnownRequestError('Operation has timed out', { code: 'P1008', clientVersion: 'test' }),
    ];
    for (const other of others) {
      const run = vi.fn(async () => {
        throw other;
      });
      await expect(retryOnConflict(run, { now: clock.now, sleep: clock.sleep })).rejects.toBe(other);
      expect(run).toHaveBeenCalledTimes(1);
    }
    expect(clock.delays).toEqual([]);
  });

  it('passes through a different error met while retrying', async () => {
    const clock = fakeClock();
    const other = new Error('disk full');
    let calls = 0;
    const run = vi.fn(async () => {
      calls++;
      throw calls < 3 ? busy() : other;
    });
    await expect(retryOnConflict(run, { now: clock.now, sleep: clock.sleep })).rejects.toBe(other);
    expect(run).toHaveBeenCalledTimes(3);
  });
});
