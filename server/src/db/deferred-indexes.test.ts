import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemMeta } from '../audit/recorder.ts';
import { deferIndexesIfEmpty, upsertJobs } from '../jobs/ledger.ts';
import { syncJobs } from '../jobs/sync.ts';
import { generateDemoJobs } from '../slurm/demo-jobs.ts';
import type { JobSource } from '../slurm/source.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { type Db, openDatabase } from './client.ts';

const DEFERRED = ['JobRecord_account_idx', 'JobRecord_user_end_idx', 'UsageRollup_user_bucket_idx'];

/** A source answering these jobs, noting the ledger's indexes and parked definitions as it is asked. */
function watchingSource(db: Db, jobs: NormalizedJob[], seen: Array<{ indexes: string[]; parked: string[] }>): JobSource {
  return {
    name: 'sacct',
    fetchJobs: () => Promise.reject(new Error('not used')),
    async *streamJobs() {
      seen.push({ indexes: await indexes(db), parked: await parked(db) });
      yield jobs;
    },
  };
}

let db: Db;
let dir: string;
let file: string;

async function indexes(on: Db = db): Promise<string[]> {
  const rows = await on.$queryRawUnsafe<Array<{ name: string; sql: string }>>(
    `SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'index' AND "sql" IS NOT NULL ORDER BY "name"`,
  );
  return rows.map((r) => r.sql);
}

async function parked(on: Db = db): Promise<string[]> {
  const table = await on.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM sqlite_master WHERE "name" = '_deferred_indexes'`);
  if (table.length === 0) return [];
  return (await on.$queryRawUnsafe<Array<{ name: string }>>(`SELECT "name" FROM "_deferred_indexes" ORDER BY "name"`)).map((r) => r.name);
}

const window = { from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-08-01T00:00:00Z'), trigger: 'cli' as const, chunkHours: 24 * 31 };

describe('indexes a first sync builds once, at its end', () => {
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-deferred-'));
    file = path.join(dir, 'ledger.db');
    db = openDatabase(file);
  });
  afterEach(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are dropped while a first sync into an empty ledger runs, and are as the migrations made them after', async () => {
    const migrated = await indexes();
    const seen: Array<{ indexes: string[]; parked: string[] }> = [];
    const jobs = generateDemoJobs({ count: 300, seed: 5, now: window.to, days: 60 });
    const run = await syncJobs(db, [watchingSource(db, jobs, seen)], window, systemMeta(), 1000);
    expect(run.status).toBe('ok');
    expect(seen.length).toBeGreaterThan(1);
    for (const s of seen) {
      expect(s.parked).toEqual(DEFERRED);
      expect(s.indexes).toEqual(migrated.filter((sql) => !DEFERRED.some((name) => sql.includes(`"${name}"`))));
    }
    expect(await indexes()).toEqual(migrated);
    expect(await parked()).toEqual([]);
    // The user's index serves a user's jobs again.
    const plan = await db.$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN SELECT * FROM "JobRecord" WHERE "user" = 'alice' ORDER BY "end"`);
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/JobRecord_user_end_idx/);
  });

  it('stay in place for a sync into a ledger that holds jobs', async () => {
    await upsertJobs(db, generateDemoJobs({ count: 5, seed: 1 }), 'sacct');
    const migrated = await indexes();
    const seen: Array<{ indexes: string[]; parked: string[] }> = [];
    await syncJobs(db, [watchingSource(db, generateDemoJobs({ count: 50, seed: 6, now: window.to, days: 60 }), seen)], window, systemMeta(), 1000);
    expect(seen.every((s) => s.parked.length === 0 && s.indexes.length === migrated.length)).toBe(true);
  });

  it('are built when the ledger is opened again after a first sync was killed before building them', async () => {
    const migrated = await indexes();
    expect(await deferIndexesIfEmpty(db)).toBe(true);
    await upsertJobs(db, generateDemoJobs({ count: 200, seed: 7 }), 'sacct');
    await db.$disconnect();
    // The killed process never built them; the next one to open the ledger does.
    db = openDatabase(file);
    expect(await indexes()).toEqual(migrated);
    expect(await parked()).toEqual([]);
  });
});
