import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/client.ts';
import { createSyncScheduler } from './scheduler.ts';
import type { SyncLock } from './sync-lock.ts';

const config = loadConfig({ DATABASE_URL: 'file:/tmp/never-opened.db', SYNC_INTERVAL_SEC: '0' });
// A round that skips touches nothing: any use of the database would throw.
const db = new Proxy({}, { get: () => { throw new Error('the database was used'); } }) as Db;

function logger() {
  const lines: { level: string; msg: string }[] = [];
  return { lines, info: (_o: object, msg: string) => lines.push({ level: 'info', msg }), warn: (_o: object, msg: string) => lines.push({ level: 'warn', msg }) };
}

describe('a scheduled round', () => {
  it('is skipped, said at info, when another replica holds the sync', async () => {
    const log = logger();
    const held: SyncLock = { tryAcquire: async () => null };
    await createSyncScheduler({ db, config, clusters: [], log, lock: held }).syncNow('interval');
    expect(log.lines).toEqual([{ level: 'info', msg: 'another replica is syncing: round skipped' }]);
  });

  it('is skipped with a warning when the lock cannot be asked (Redis away), and the next round asks again', async () => {
    const log = logger();
    let asked = 0;
    const away: SyncLock = {
      tryAcquire: async () => {
        asked += 1;
        throw new Error('Connection is closed.');
      },
    };
    const scheduler = createSyncScheduler({ db, config, clusters: [], log, lock: away });
    await scheduler.syncNow('interval');
    await scheduler.syncNow('interval');
    expect(asked).toBe(2);
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
  });
});
