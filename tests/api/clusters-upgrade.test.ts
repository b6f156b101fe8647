import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextWindow } from '../../server/src/jobs/sync.ts';
import { startTestApp, type TestApp } from './harness.ts';

/** An installation whose sync runs were recorded before runs named their cluster: they become its cluster's. */

const env = { JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') };
const COVERED = new Date('2026-11-01T00:00:00Z');
let t: TestApp;

beforeAll(async () => {
  const before = await startTestApp(env);
  // As the migration leaves a run of before: no cluster.
  await before.app.db.syncRun.create({
    data: { startedAt: COVERED, finishedAt: COVERED, rangeFrom: new Date('2026-10-01T00:00:00Z'), rangeTo: COVERED, status: 'ok', trigger: 'interval', coveredTo: COVERED },
  });
  await before.close(true);
  t = await startTestApp(env, before.dir);
});
afterAll(() => t.close());

describe('sync runs from before clusters were named', () => {
  it('are the configured cluster’s after start-up, so its watermark carries on', async () => {
    expect(await t.app.db.syncRun.count({ where: { cluster: '' } })).toBe(0);
    expect(await t.app.db.syncRun.findFirstOrThrow({ where: { coveredTo: COVERED } })).toMatchObject({ cluster: 'test' });
    const window = await nextWindow(t.app.db, 3600, 36500, new Date(), 'test');
    expect(window.from).toEqual(new Date(COVERED.getTime() - 3600_000));
  });
});
