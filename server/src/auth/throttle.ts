import { isIPv4, isIPv6 } from 'node:net';
import type { Db, Tx } from '../db/client.ts';

/**
 * Login throttling in the database (table LoginThrottle), so a lock holds across restarts and replicas.
 * Failures are counted per user name and per client address; reaching `maxFails` inside one window locks that key
 * for `lockSec`. The caller audits what these functions report (`lockedKeys`, `lockEnded`).
 */

export interface ThrottleSettings {
  /** Failures within one window that lock the key (AUTH_THROTTLE_MAX_FAILS). */
  maxFails: number;
  /** Length of a counting window, from its first failure (AUTH_THROTTLE_WINDOW_SEC). */
  windowSec: number;
  /** How long a lock lasts (AUTH_THROTTLE_LOCK_SEC). */
  lockSec: number;
  /**
   * Failures that lock a client address (AUTH_THROTTLE_IP_MAX_FAILS, default 4 × maxFails): higher, because a
   * campus NAT puts many honest users behind one address.
   */
  ipMaxFails?: number;
}

export const DEFAULT_THROTTLE_SETTINGS: ThrottleSettings = { maxFails: 5, windowSec: 900, lockSec: 900 };

export type LockState =
  | { locked: false; lockEnded: string[] }
  | { locked: true; retryAfterSeconds: number; key: string; lockEnded: string[] };

export interface FailureResult {
  /** This failure locked at least one key. */
  lockedNow: boolean;
  /** Some key is locked after this failure (by this one or an earlier one). */
  locked: boolean;
  retryAfterSeconds?: number;
  /** Keys this failure locked: one `auth.lockout.start` each. */
  lockedKeys: string[];
  /** Keys whose earlier lock had run out and was cleared: one `auth.lockout.end` each. */
  lockEnded: string[];
}

type Client = Db | Tx;

// Keys are stored, so an oversized name must not become an oversized row.
const MAX_KEY_PART = 128;

export const userKey = (username: string) => `user:${username.trim().slice(0, MAX_KEY_PART)}`;

/**
 * `ip:<address>`. An IPv4-mapped IPv6 address counts as its IPv4 address. Other IPv6 addresses count per /64:
 * one host usually holds a whole /64, so per-address counting would let it try 2^64 times.
 */
export function ipKey(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(a);
  if (mapped && isIPv4(mapped[1])) return `ip:${mapped[1]}`;
  if (isIPv4(a)) return `ip:${a}`;
  if (isIPv6(a)) return `ip:${ipv6Prefix64(a)}::/64`;
  return `ip:${a.slice(0, MAX_KEY_PART)}`;
}

function ipv6Prefix64(address: string): string {
  const [head, tail] = address.toLowerCase().split('::') as [string, string | undefined];
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const last = tail === undefined ? h : t;
  // A dotted IPv4 tail (::1.2.3.4) is two groups.
  if (last.at(-1)?.includes('.')) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number);
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const full = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':');
}

/** The keys one login attempt counts against; a blank name or address has none. */
export function throttleKeys(username: string, ip: string | null | undefined): string[] {
  const keys: string[] = [];
  if (username.trim()) keys.push(userKey(username));
  if (ip?.trim()) keys.push(ipKey(ip));
  return keys;
}

/** Runs `fn` in a transaction of its own, or in the caller's when given one (to audit in the same transaction). */
function inTransaction<T>(db: Client, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return '$transaction' in db && typeof db.$transaction === 'function' ? (db as Db).$transaction(fn) : fn(db as Tx);
}

const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/** Clears a lock that has run out; true when this call cleared it (so exactly one caller audits its end). */
async function endLock(db: Client, key: string, lockedUntil: Date, now: Date): Promise<boolean> {
  const { count } = await db.loginThrottle.updateMany({
    where: { key, lockedUntil },
    data: { failures: 0, windowStart: now, lockedUntil: null },
  });
  return count === 1;
}

/**
 * Whether the user or the address is locked now. Locks that have run out are cleared and listed in `lockEnded`.
 * No transaction of its own: each clearing is one conditional statement, and a read-then-write transaction is what
 * SQLite refuses (SQLITE_BUSY) when two processes run it at once.
 */
export async function checkLock(db: Client, username: string, ip: string | null | undefined, now: Date = new Date()): Promise<LockState> {
  const keys = throttleKeys(username, ip);
  const rows = new Map((await db.loginThrottle.findMany({ where: { key: { in: keys } } })).map((r) => [r.key, r]));
  const lockEnded: string[] = [];
  let longest: { key: string; until: Date } | null = null;
  for (const key of keys) {
    const until = rows.get(key)?.lockedUntil;
    if (!until) continue;
    if (until > now) {
      if (!longest || until > longest.until) longest = { key, until };
    } else if (await endLock(db, key, until, now)) {
      lockEnded.push(key);
    }
  }
  return longest
    ? { locked: true, retryAfterSeconds: secondsUntil(longest.until, now), key: longest.key, lockEnded }
    : { locked: false, lockEnded };
}

/** Counts one failure against the user and the address; locks a key when it reaches `maxFails` in its window. */
export function recordFailure(
  db: Client,
  username: string,
  ip: string | null | undefined,
  now: Date = new Date(),
  settings: ThrottleSettings = DEFAULT_THROTTLE_SETTINGS,
): Promise<FailureResult> {
  const keys = throttleKeys(username, ip);
  return inTransaction(db, async (tx) => {
    const result: FailureResult = { lockedNow: false, locked: false, lockedKeys: [], lockEnded: [] };
    let longest: Date | null = null;
    for (const key of keys) {
      const r = await failKey(tx, key, now, settings);
      if (r.lockEnded) result.lockEnded.push(key);
      if (r.lockedNow) result.lockedKeys.push(key);
      if (r.lockedUntil && (!longest || r.lockedUntil > longest)) longest = r.lockedUntil;
    }
    result.lockedNow = result.lockedKeys.length > 0;
    if (longest) {
      result.locked = true;
      result.retryAfterSeconds = secondsUntil(longest, now);
    }
    return result;
  });
}

/**
 * One failure against one key. The first statement is an atomic increment (INSERT … ON CONFLICT DO UPDATE), which
 * also takes SQLite's write lock at once, and every later write is conditional on the row it saw. So concurrent
 * failures are each counted once and exactly one of them reports the lock, also where the transaction does not
 * serialize them (PostgreSQL's READ COMMITTED, several processes on one SQLite file).
 */
async function failKey(tx: Tx, key: string, now: Date, s: ThrottleSettings) {
  const maxFails = Math.max(1, key.startsWith('ip:') ? (s.ipMaxFails ?? s.maxFails * 4) : s.maxFails);
  const lockUntil = new Date(now.getTime() + s.lockSec * 1000);
  for (let attempt = 0; attempt < 10; attempt++) {
    const row = await tx.loginThrottle.upsert({
      where: { key },
      create: { key, failures: 1, windowStart: now },
      update: { failures: { increment: 1 } },
    });
    if (row.lockedUntil && row.lockedUntil > now) {
      // Already locked (a request that raced past checkLock): counted, but the lock is not extended.
      return { lockedNow: false, lockedUntil: row.lockedUntil, lockEnded: false };
    }
    const lockRanOut = row.lockedUntil !== null;
    if (lockRanOut || now.getTime() - row.windowStart.getTime() >= s.windowSec * 1000) {
      // This failure opens a new window. If another request reset the row between the increment and here, the
      // increment went into the old window and was wiped: count again on top of theirs.
      const lockedNow = maxFails <= 1;
      const { count } = await tx.loginThrottle.updateMany({
        where: { key, windowStart: row.windowStart, lockedUntil: row.lockedUntil },
        data: { failures: 1, windowStart: now, lockedUntil: lockedNow ? lockUntil : null },
      });
      if (count === 0) continue;
      return { lockedNow, lockedUntil: lockedNow ? lockUntil : null, lockEnded: lockRanOut };
    }
    if (row.failures < maxFails) return { lockedNow: false, lockedUntil: null, lockEnded: false };
    const { count } = await tx.loginThrottle.updateMany({ where: { key, lockedUntil: null }, data: { lockedUntil: lockUntil } });
    if (count === 1) return { lockedNow: true, lockedUntil: lockUntil, lockEnded: false };
    const locked = await tx.loginThrottle.findUnique({ where: { key } });
    return { lockedNow: false, lockedUntil: locked?.lockedUntil ?? null, lockEnded: false };
  }
  throw new Error(`login throttle: could not update ${key} (too much contention)`);
}

/**
 * After a successful login: forgets the user's failures. The address keeps its count, so one account that an
 * attacker knows cannot be used to reset the count of an address guessing at other accounts.
 */
export async function recordSuccess(db: Client, username: string, _ip?: string | null): Promise<void> {
  if (!username.trim()) return;
  await db.loginThrottle.deleteMany({ where: { key: userKey(username) } });
}

/**
 * Deletes rows that neither lock nor count any more (names tried once and never again); returns how many.
 * Rows of locks that have run out stay until checkLock or recordFailure clears them, so each end is audited.
 */
export async function pruneThrottle(db: Client, now: Date = new Date(), settings: ThrottleSettings = DEFAULT_THROTTLE_SETTINGS): Promise<number> {
  const { count } = await db.loginThrottle.deleteMany({
    where: { lockedUntil: null, windowStart: { lte: new Date(now.getTime() - settings.windowSec * 1000) } },
  });
  return count;
}
