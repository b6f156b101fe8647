import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../db/client.ts';
import { checkLock, ipKey, pruneThrottle, recordFailure, recordSuccess, throttleKeys, type ThrottleSettings } from './throttle.ts';

const settings: ThrottleSettings = { maxFails: 3, windowSec: 60, lockSec: 300, ipMaxFails: 3 };
const t0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

let dir: string;
let dbFile: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-throttle-'));
  dbFile = path.join(dir, 'throttle.db');
  db = openDatabase(dbFile);
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.loginThrottle.deleteMany();
});

const row = (key: string) => db.loginThrottle.findUnique({ where: { key } });

describe('keys', () => {
  it('counts a user by name and an address by IPv4, or by its IPv6 /64', () => {
    expect(throttleKeys('alice', '10.1.2.3')).toEqual(['user:alice', 'ip:10.1.2.3']);
    expect(throttleKeys('  ', null)).toEqual([]);
    expect(ipKey('::ffff:10.1.2.3')).toBe('ip:10.1.2.3');
    expect(ipKey('2001:db8:0:1:aaaa::1')).toBe('ip:2001:db8:0:1::/64');
    expect(ipKey('2001:DB8:0:1:ffff:ffff:ffff:fffe')).toBe('ip:2001:db8:0:1::/64');
    expect(ipKey('[fe80::1%eth0]')).toBe('ip:fe80:0:0:0::/64');
    expect(ipKey('::1')).toBe('ip:0:0:0:0::/64');
    expect(ipKey('64:ff9b::192.0.2.33')).toBe('ip:64:ff9b:0:0::/64');
    expect(ipKey('unknown')).toBe('ip:unknown');
    expect(throttleKeys('x'.repeat(1000), null)[0]).toHaveLength('user:'.length + 128);
  });
});

describe('recordFailure and checkLock', () => {
  it('locks the user and the address at maxFails within the window', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await recordFailure(db, 'alice', '10.0.0.1', at(i), settings)).toEqual({ lockedNow: false, locked: false, lockedKeys: [], lockEnded: [] });
    }
    expect(await checkLock(db, 'alice', '10.0.0.1', at(2))).toEqual({ locked: false, lockEnded: [] });
    expect(await recordFailure(db, 'alice', '10.0.0.1', at(2), settings)).toEqual({
      lockedNow: true,
      locked: true,
      retryAfterSeconds: 300,
      lockedKeys: ['user:alice', 'ip:10.0.0.1'],
      lockEnded: [],
    });
    expect(await checkLock(db, 'alice', '10.0.0.2', at(62))).toEqual({ locked: true, retryAfterSeconds: 240, key: 'user:alice', lockEnded: [] });
    expect(await checkLock(db, 'bob', '10.0.0.1', at(62))).toEqual({ locked: true, retryAfterSeconds: 240, key: 'ip:10.0.0.1', lockEnded: [] });
    expect(await checkLock(db, 'bob', '10.0.0.2', at(62))).toEqual({ locked: false, lockEnded: [] });
  });

  it('starts a new window after windowSec, so slow failures never lock', async () => {
    for (const s of [0, 30, 61, 90, 122, 150]) {
      expect((await recordFailure(db, 'alice', null, at(s), settings)).lockedNow, `at ${s}s`).toBe(false);
    }
    expect(await row('user:alice')).toMatchObject({ failures: 2, windowStart: at(122), lockedUntil: null });
  });

  it('treats a lock that ran out as unlocked, clears it and reports its end once', async () => {
    for (let i = 0; i < 3; i++) await recordFailure(db, 'alice', '10.0.0.1', at(i), settings);
    expect(await checkLock(db, 'alice', '10.0.0.1', at(301))).toMatchObject({ locked: true, retryAfterSeconds: 1 });
    expect(await checkLock(db, 'alice', '10.0.0.1', at(302))).toEqual({ locked: false, lockEnded: ['user:alice', 'ip:10.0.0.1'] });
    expect(await checkLock(db, 'alice', '10.0.0.1', at(303))).toEqual({ locked: false, lockEnded: [] });
    expect(await row('user:alice')).toMatchObject({ failures: 0, lockedUntil: null });
    // A fresh window: two more failures do not lock again.
    await recordFailure(db, 'alice', '10.0.0.1', at(304), settings);
    expect((await recordFailure(db, 'alice', '10.0.0.1', at(305), settings)).lockedNow).toBe(false);
  });

  it('clears a run-out lock on the next failure too, and counts that failure in a new window', async () => {
    for (let i = 0; i < 3; i++) await recordFailure(db, 'alice', null, at(i), settings);
    expect(await recordFailure(db, 'alice', null, at(400), settings)).toEqual({ lockedNow: false, locked: false, lockedKeys: [], lockEnded: ['user:alice'] });
    expect(await row('user:alice')).toMatchObject({ failures: 1, windowStart: at(400), lockedUntil: null });
  });

  it('does not extend a lock when failures keep coming', async () => {
    for (let i = 0; i < 3; i++) await recordFailure(db, 'alice', null, at(i), settings);
    expect(await recordFailure(db, 'alice', null, at(100), settings)).toEqual({ lockedNow: false, locked: true, retryAfterSeconds: 202, lockedKeys: [], lockEnded: [] });
    expect((await row('user:alice'))?.lockedUntil).toEqual(at(302));
  });

  it('holds the lock for another connection to the same file (a restarted server)', async () => {
    for (let i = 0; i < 3; i++) await recordFailure(db, 'alice', null, at(i), settings);
    const other = openDatabase(dbFile);
    try {
      expect(await checkLock(other, 'alice', null, at(10))).toMatchObject({ locked: true, key: 'user:alice' });
    } finally {
      await other.$disconnect();
    }
  });
});

describe('concurrent failures', () => {
  it('counts each failure once and reports the lock exactly once', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => recordFailure(db, 'alice', '10.0.0.9', at(5), { ...settings, maxFails: 5, ipMaxFails: 5 })));
    expect(results.filter((r) => r.lockedKeys.includes('user:alice'))).toHaveLength(1);
    expect(results.filter((r) => r.lockedKeys.includes('ip:10.0.0.9'))).toHaveLength(1);
    expect(results.filter((r) => r.locked)).toHaveLength(8);
    expect(await row('user:alice')).toMatchObject({ failures: 12, lockedUntil: at(305) });
  });

  it('stays consistent when two processes share the database file', async () => {
    // Two processes, not two clients in this one: better-sqlite3 waits for SQLite's lock synchronously, so a second
    // connection in the same process would block the event loop the first one needs to commit.
    const n = 30;
    const limits = { ...settings, maxFails: 45, ipMaxFails: 45 };
    const script = path.join(dir, 'fail.mts');
    writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(path.resolve(import.meta.dirname, '../db/client.ts'))};
import { recordFailure } from ${JSON.stringify(path.resolve(import.meta.dirname, 'throttle.ts'))};
const db = openDatabase(${JSON.stringify(dbFile)});
await db.loginThrottle.count();
console.log('ready');
let locks = 0;
for (let i = 0; i < ${n}; i++) if ((await recordFailure(db, 'bob', null, new Date(${at(5).getTime()}), ${JSON.stringify(limits)})).lockedNow) locks++;
await db.$disconnect();
console.log(locks);
`,
    );
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, script], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');
    let locks = 0;
    for (let i = 0; i < n; i++) if ((await recordFailure(db, 'bob', null, at(5), limits)).lockedNow) locks++;
    locks += Number((await lines.next()).value);
    expect(locks).toBe(1);
    expect(await row('user:bob')).toMatchObject({ failures: 2 * n, lockedUntil: at(305) });
  }, 60_000);

  it('two first failures of a new window count as two', async () => {
    await recordFailure(db, 'carol', null, at(0), settings);
    await Promise.all([recordFailure(db, 'carol', null, at(100), settings), recordFailure(db, 'carol', null, at(100), settings)]);
    expect(await row('user:carol')).toMatchObject({ failures: 2, windowStart: at(100) });
  });
});

describe('recordSuccess', () => {
  it('clears the user key and keeps the address key', async () => {
    for (let i = 0; i < 2; i++) await recordFailure(db, 'alice', '10.0.0.1', at(i), settings);
    await recordSuccess(db, 'alice', '10.0.0.1');
    expect(await row('user:alice')).toBeNull();
    expect(await row('ip:10.0.0.1')).toMatchObject({ failures: 2 });
    // the address is one failure from its lock; the user starts over
    expect((await recordFailure(db, 'alice', '10.0.0.1', at(3), settings)).lockedKeys).toEqual(['ip:10.0.0.1']);
  });
});

describe('inside the caller’s transaction', () => {
  it('uses the given transaction, so the caller can audit in the same one', async () => {
    await expect(
      db.$transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await recordFailure(tx, 'dave', null, at(i), settings);
        expect(await checkLock(tx, 'dave', null, at(3))).toMatchObject({ locked: true });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await row('user:dave')).toBeNull();
  });
});

describe('pruneThrottle', () => {
  it('deletes only rows that neither count nor lock', async () => {
    await recordFailure(db, 'old', null, at(0), settings);
    await recordFailure(db, 'recent', null, at(100), settings);
    for (let i = 0; i < 3; i++) await recordFailure(db, 'locked', null, at(i), settings);
    expect(await pruneThrottle(db, at(120), settings)).toBe(1);
    expect((await db.loginThrottle.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(['user:locked', 'user:recent']);
  });
});

describe('address threshold', () => {
  it('locks an address only at its own, higher threshold', async () => {
    const db2 = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'throttle-ip-')), 't.db'));
    const s = { maxFails: 2, windowSec: 60, lockSec: 300, ipMaxFails: 4 };
    const now = new Date('2026-01-01T00:00:00Z');
    const results = [];
    for (const name of ['u1', 'u2', 'u3', 'u4']) results.push(await recordFailure(db2, name, '10.9.9.9', now, s));
    expect(results.map((r) => r.lockedKeys)).toEqual([[], [], [], ['ip:10.9.9.9']]);
    await db2.$disconnect();
  });
});
