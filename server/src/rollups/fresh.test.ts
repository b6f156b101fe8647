import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { costOfUnits } from '@hpc-accounting/pricing/cost';
import { LARGEST_JOB } from '@hpc-accounting/pricing/limits';
import { parseRate } from '@hpc-accounting/pricing/money';
import { ensureRates } from '../billing/rates.ts';
import { type Db, openDatabase } from '../db/client.ts';
import { upsertJobs } from '../jobs/ledger.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { freshMeasures, freshRate, freshTier, type FreshPricing } from './fresh.ts';
import { rebuildLevels } from './levels.ts';
import { addFreshRollups, rebuildRollups } from './store.ts';

/** A small deterministic generator, so a failure shows the same jobs again. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const USERS = ['alice', 'bob', 'carol', 'nobody1', 'nobody2'];
const ACCOUNTS = ['physics', 'chem', null];
const PARTITIONS = ['cpu', 'gpu', null];
const STATES = ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'];
const GPUS = ['a100', 'A100', 'h100'];

function jobs(count: number, seed: number, idFrom = 1): NormalizedJob[] {
  const rand = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const start = Date.parse('2026-03-25T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const end = rand() < 0.05 ? null : new Date(start + Math.floor(rand() * 40 * 86400) * 1000);
    const gpus = rand() < 0.4 ? 1 + Math.floor(rand() * 8) : 0;
    const gpu = pick(GPUS);
    const cpus = 1 + Math.floor(rand() * 128);
    const mem = Math.floor(rand() * 512_000);
    const tres = { cpu: cpus, mem, node: 1, ...(gpus ? { 'gres/gpu': gpus, [`gres/gpu:${gpu}`]: gpus } : {}) };
    return {
      cluster: rand() < 0.8 ? 'c1' : 'c2',
      jobId: String(idFrom + i),
      user: pick(USERS),
      account: pick(ACCOUNTS),
      partition: pick(PARTITIONS),
      name: 'job',
      state: end ? pick(STATES) : 'RUNNING',
      submit: end ? new Date(end.getTime() - 86400_000) : new Date(start),
      start: end ? new Date(end.getTime() - 3600_000) : new Date(start),
      end,
      // Up to three days, so some costs need more than 53 bits before they are divided.
      elapsedSeconds: Math.floor(rand() * 3 * 86400),
      totalCpuSeconds: 0,
      reqTres: tres,
      allocTres: tres,
    };
  });
}

async function* batches<T>(items: readonly T[], size: number): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const TABLES = ['UsageRollup', 'UsageRollupDay', 'UsageRollupMonth', 'UsageMarginalDay', 'UsageMarginalMonth'] as const;

/** Every rollup row of every level, without ids, in one order. */
async function snapshot(db: Db) {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "${table}"`);
    out[table] = rows.map(({ id: _, ...r }) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).sort();
  }
  return out;
}

describe('rollups of jobs new to the ledger, summed in code', () => {
  let dir: string;
  let db: Db;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fresh-rollups-'));
    db = openDatabase(path.join(dir, 'ledger.db'));
    await ensureRates(db);
    // A zone half an hour off UTC: local days start at 18:30 UTC.
    await db.$transaction((tx) => rebuildLevels(tx, 'Asia/Kolkata'));
    await db.user.createMany({
      data: [
        { username: 'alice', role: 'user', tier: 'gov' },
        { username: 'bob', role: 'user', tier: 'private' },
        { username: 'carol', role: 'user', tier: 'mu' },
      ],
    });
    await db.slurmAccount.create({ data: { name: 'chem', tier: 'private', syncedAt: new Date() } });
    await db.slurmAccount.create({ data: { name: 'physics', syncedAt: new Date() } });
    const rule = (r: { tier: string; partition?: string; gpuType?: string; cpuPerHour: string; gpuPerHour: string; memGBPerHour: string }) =>
      db.rateRule.create({
        data: { partition: null, gpuType: null, ...r, effectiveFrom: new Date('2026-01-01T00:00:00Z'), appliedAt: new Date('2026-01-01T00:00:00Z'), createdBy: 'admin' },
      });
    await rule({ tier: 'mu', partition: 'gpu', cpuPerHour: '0.7', gpuPerHour: '13.33', memGBPerHour: '0.013' });
    // Written in capitals: it still prices the jobs that name the type in small letters, as SQLite's LIKE matches.
    await rule({ tier: 'mu', gpuType: 'A100', cpuPerHour: '0.9', gpuPerHour: '31.7', memGBPerHour: '0.011' });
    await rule({ tier: 'gov', partition: 'gpu', gpuType: 'h100', cpuPerHour: '1.1', gpuPerHour: '47.03', memGBPerHour: '0.02' });
    // A tier with an override but no rate of its own: its other jobs cost nothing.
    await db.rate.deleteMany({ where: { tier: 'private' } });
    await rule({ tier: 'private', partition: 'cpu', cpuPerHour: '2.5', gpuPerHour: '0', memGBPerHour: '0.1' });
  });

  afterEach(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the same rows to every level as summing the jobs in SQL does, through new jobs, repeats and changes', async () => {
    const first = jobs(3000, 7);
    // Batches of 400 in a random order: many land in quarter hours an earlier batch filled, which SQL sums again.
    await upsertJobs(db, batches(first, 400), 'sacct', undefined, 400);
    // A second sync: some jobs changed (another state, another end), some new, some as they were.
    const changed = first.slice(0, 500).map((j, i) => (i % 3 === 0 ? { ...j, state: 'NODE_FAIL' } : i % 3 === 1 ? { ...j, end: j.end && new Date(j.end.getTime() + 7 * 86400_000) } : j));
    await upsertJobs(db, batches([...changed, ...jobs(800, 11, 100_000)], 300), 'sacct', undefined, 300);
    const summedInCode = await snapshot(db);
    expect(summedInCode.UsageRollup.length).toBeGreaterThan(1000);
    await db.$transaction((tx) => rebuildRollups(tx, 'mu', 'all'), { timeout: 120_000 });
    expect(summedInCode).toEqual(await snapshot(db));
  });

  it('leaves to SQL the jobs that end in quarter hours already holding rows', async () => {
    const batch = jobs(200, 3).filter((j) => j.end);
    await upsertJobs(db, batches(batch, 1000), 'sacct');
    const rows = await db.usageRollup.count();
    expect(rows).toBeGreaterThan(0);
    const again = await db.$transaction(async (tx) => {
      const stored = await tx.jobRecord.findMany({ where: { end: { not: null } }, take: 3 });
      // As if new: their quarter hours hold rows now, so none can be added in code.
      return addFreshRollups(
        tx,
        'mu',
        stored.map((j) => ({
          key: j.key,
          endText: j.end!.toISOString(),
          job: { ...j, end: j.end!.getTime() },
        })),
      );
    });
    expect(again).toHaveLength(3);
    expect(await db.usageRollup.count()).toBe(rows);
  });

  it('prices a job as the rate rules say, the most specific first and then the earliest', () => {
    const micro = (cpu: number, gpu: number, mem: number) => ({ cpu, gpu, mem });
    const p: FreshPricing = {
      rates: new Map([['mu', micro(500_000, 10_000_000, 10_000)]]),
      overrides: [
        { id: 2, tier: 'mu', partition: 'gpu', gpuType: null, ...micro(1, 1, 1) },
        { id: 3, tier: 'mu', partition: null, gpuType: 'a100', ...micro(2, 2, 2) },
        { id: 1, tier: 'mu', partition: null, gpuType: 'A100', ...micro(3, 3, 3) },
      ],
      userTiers: new Map([['alice', 'gov']]),
      accountTiers: new Map([['chem', 'mu']]),
      defaultTier: 'mu',
    };
    expect(freshTier({ user: 'alice', account: 'chem' }, p)).toBe('mu');
    expect(freshTier({ user: 'alice', account: 'physics' }, p)).toBe('gov');
    expect(freshTier({ user: 'zed', account: null }, p)).toBe('mu');
    const tres = '{"cpu":4,"gres/gpu":1,"gres/gpu:a100":1}';
    // A GPU type outranks a partition; of two equal rules the earlier one wins.
    expect(freshRate({ partition: 'gpu', allocTres: tres }, 'mu', p)).toBe(p.overrides[2]);
    expect(freshRate({ partition: 'gpu', allocTres: '{"cpu":4}' }, 'mu', p)).toBe(p.overrides[0]);
    expect(freshRate({ partition: 'cpu', allocTres: '{"cpu":4}' }, 'mu', p)).toBe(p.rates.get('mu'));
    expect(freshRate({ partition: 'cpu', allocTres: '{"cpu":4}' }, 'gov', p)).toBeUndefined();
    // 4 CPUs for an hour at 0.5 THB: 200 satang; 1 MiB for an hour at 0.01 THB per GiB adds less than half a satang.
    const [jobsN, secs, cpuSec, , memSec, cost, cpuCost, gpuCost] = freshMeasures(
      { end: 0, cluster: 'c', user: 'u', account: null, partition: null, state: 'COMPLETED', allocTres: '{}', cpus: 4, gpus: 0, memMiB: 1, elapsedSeconds: 3600 },
      p.rates.get('mu'),
    );
    expect([jobsN, secs, cpuSec, memSec, cost, cpuCost, gpuCost]).toEqual([1, 3600, 14_400, 3600, 200, 200, 0]);
    expect(freshMeasures({ end: 0, cluster: 'c', user: 'u', account: null, partition: null, state: 'X', allocTres: '{}', cpus: 4, gpus: 0, memMiB: 1, elapsedSeconds: 3600 }, undefined)[5]).toBe(0);
  });

  it('prices every job to the satang as costOfUnits does, up to the largest job the ledger takes', () => {
    const rand = rng(5);
    const rate = { cpuPerHour: '999.999999', gpuPerHour: '1000', memGBPerHour: '0.123457' };
    const micro = { cpu: Number(parseRate(rate.cpuPerHour)), gpu: Number(parseRate(rate.gpuPerHour)), mem: Number(parseRate(rate.memGBPerHour)) };
    for (let i = 0; i < 2000; i++) {
      // Small jobs, a few days long ones, and the largest of each unit.
      const scale = i % 3 === 0 ? 1 : i % 3 === 1 ? 0.001 : 0.00001;
      const size = {
        cpus: Math.floor(rand() * LARGEST_JOB.cpus * scale),
        gpus: Math.floor(rand() * LARGEST_JOB.gpus * scale),
        memMiB: Math.floor(rand() * LARGEST_JOB.memMiB * scale),
        elapsedSeconds: i === 0 ? LARGEST_JOB.elapsedSeconds : Math.floor(rand() * LARGEST_JOB.elapsedSeconds * scale),
      };
      const m = freshMeasures({ end: 0, cluster: 'c', user: 'u', account: null, partition: null, state: 'COMPLETED', allocTres: '{}', ...size }, micro);
      const exact = costOfUnits(size, size.elapsedSeconds, rate);
      // A sum past 2^53 is NaN: the batch is then summed in SQL instead.
      const expected = (v: bigint) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Number.NaN);
      expect([m[5], m[6], m[7]]).toEqual([expected(exact.costSatang), expected(exact.cpuSatang), expected(exact.gpuSatang)]);
    }
  });
});
