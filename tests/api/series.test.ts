import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { costOfUnits } from '@hpc-accounting/pricing/cost';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { usageBuckets, usageTotals } from '../../server/src/billing/usage.ts';
import { usageFromRollups } from '../../server/src/rollups/totals.ts';
import { calendarOf } from '../../server/src/rollups/levels.ts';
import { Prisma } from '../../server/src/generated/prisma/client.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import { nextBucketStart, type SeriesBucket } from '../../server/src/rollups/calendar.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * usageSeries reads the rollups the ledger keeps; whatever the window, zone, bucket and grouping,
 * its rows must add up to what `jobs(...).totals` computes from the jobs themselves, to the satang,
 * also after a rate change and a receipt.
 */
let t: TestApp;
let admin: string;
let alice: string;

let seed = 7;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const USERS = ['alice', 'bob', 'carol', 'dave', 'slurm-only'];

function job(i: number): NormalizedJob {
  const end = new Date(YEAR_START + rand(365 * 86400) * 1000 + rand(1000));
  const elapsed = 60 + rand(3 * 86400);
  return {
    cluster: i % 7 === 0 ? 'other' : 'test',
    jobId: String(1000 + i),
    user: USERS[rand(USERS.length)],
    account: ['physics', 'chem', null][rand(3)],
    partition: ['cpu', 'gpu'][rand(2)],
    name: `job ${i}`,
    state: ['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'][rand(4)],
    submit: new Date(end.getTime() - elapsed * 1000 - 5000),
    start: new Date(end.getTime() - elapsed * 1000),
    end,
    elapsedSeconds: elapsed,
    totalCpuSeconds: 0,
    reqTres: {},
    allocTres: { cpu: 1 + rand(128), mem: 1024 * (1 + rand(512)), 'gres/gpu': rand(3) === 0 ? 1 + rand(8) : 0 },
  };
}

beforeAll(async () => {
  // Rollups kept in a zone whose days are neither UTC days nor whole hours off them, with DST.
  t = await startTestApp({ TIME_ZONE: 'Australia/Adelaide' });
  // Tiers before the jobs, as logins and seeding make them; slurm-only never logs in (default tier).
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice', 'user', 'mu');
  await t.cookieFor('bob', 'user', 'gov');
  await t.cookieFor('carol', 'user', 'private');
  await t.cookieFor('dave', 'user', 'gov');
  await upsertJobs(t.app.db, Array.from({ length: 1500 }, (_, i) => job(i)), 'csv', undefined, 200);
  // A running job has no end and counts nowhere.
  await upsertJobs(t.app.db, [{ ...job(9999), end: null, state: 'RUNNING' }], 'csv');
});
afterAll(() => t.close());

const SERIES = `query S($from: DateTime!, $to: DateTime!, $bucket: SeriesBucket, $groupBy: [SeriesGroup!], $tz: String, $filter: SeriesFilter) {
  usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, timeZone: $tz, filter: $filter, fillZeros: true) {
    time user account partition tier cluster state jobs cpuHours gpuHours memGBHours elapsedHours cost costValue
  }
}`;

const satang = (d: string) => BigInt(d.replace('.', ''));

async function compare(opts: { from: number; to: number; bucket: SeriesBucket; tz: string; groupBy: string[]; filter?: Record<string, unknown>; billed?: boolean }) {
  const filter = { ...(opts.filter ?? {}), ...(opts.billed === undefined ? {} : { billed: opts.billed }) };
  const r = await t.gql(SERIES, { from: new Date(opts.from).toISOString(), to: new Date(opts.to).toISOString(), bucket: opts.bucket, groupBy: opts.groupBy, tz: opts.tz, filter }, admin);
  expect(r.errors, JSON.stringify(opts)).toBeUndefined();
  const rows: any[] = r.data.usageSeries;
  expect(rows.length).toBeGreaterThan(0);
  const times = rows.map((x) => Date.parse(x.time));
  for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  // The series covers whole buckets: from the start of the first to the end of the last.
  const start = times[0];
  const end = nextBucketStart(times[times.length - 1], opts.bucket, opts.tz);
  expect(start).toBeLessThanOrEqual(opts.from);
  expect(end).toBeGreaterThanOrEqual(opts.to);
  // The truth is the job table itself (usageTotals sums the jobs; the API's totals read the rollups too).
  const bucket = await usageTotals(t.app.db, { ...(filter as object), endedAfter: new Date(start), endedBefore: new Date(end) }, 'mu');
  const want = { jobs: bucket.sums.jobs, cpuHours: Number(bucket.sums.cpuSeconds) / 3600, gpuHours: Number(bucket.sums.gpuSeconds) / 3600, cost: formatSatang(bucket.costSatang) };
  const sum = rows.reduce(
    (a, x) => ({ jobs: a.jobs + x.jobs, cpu: a.cpu + x.cpuHours, gpu: a.gpu + x.gpuHours, cost: a.cost + satang(x.cost) }),
    { jobs: 0, cpu: 0, gpu: 0, cost: 0n },
  );
  expect(sum.jobs, JSON.stringify(opts)).toBe(want.jobs);
  expect(sum.cost, JSON.stringify(opts)).toBe(satang(want.cost));
  expect(sum.cpu).toBeCloseTo(want.cpuHours, 6);
  expect(sum.gpu).toBeCloseTo(want.gpuHours, 6);
  for (const x of rows) expect(x.costValue).toBeCloseTo(Number(x.cost), 6);
  return sum.jobs;
}

/**
 * The CPU, GPU and memory shares of the cost in a window: the first two as each job's costOfUnits lines, at the rates its receipt
 * billed it at or its tier's rate now, and memory the rest, so the three add up to the cost exactly.
 */
async function compareShares(from: number, to: number) {
  const db = t.app.db;
  const [jobs, users, rates] = await Promise.all([
    db.jobRecord.findMany({ where: { end: { not: null, gte: new Date(from), lt: new Date(to) } }, include: { receiptItem: true } }),
    db.user.findMany(),
    db.rate.findMany(),
  ]);
  const tierOf = new Map(users.map((u) => [u.username, u.tier]));
  const want = { cpu: 0n, gpu: 0n, cost: 0n };
  for (const j of jobs) {
    const rate = j.receiptItem ?? rates.find((r) => r.tier === (tierOf.get(j.user) ?? 'mu'))!;
    const c = costOfUnits({ cpus: j.cpus, gpus: j.gpus, memMiB: j.memMiB }, j.elapsedSeconds, rate);
    want.cpu += c.cpuSatang;
    want.gpu += c.gpuSatang;
    want.cost += j.receiptItem ? j.receiptItem.costSatang : c.costSatang;
  }
  const r = await t.gql(
    `{ usageSeries(from: "${new Date(from).toISOString()}", to: "${new Date(to).toISOString()}", bucket: DAY, timeZone: "UTC") { cost cpuCost gpuCost memCost cpuCostValue } }`,
    {},
    admin,
  );
  expect(r.errors).toBeUndefined();
  const got = { cpu: 0n, gpu: 0n, mem: 0n, cost: 0n };
  for (const x of r.data.usageSeries) {
    expect(satang(x.cpuCost) + satang(x.gpuCost) + satang(x.memCost)).toBe(satang(x.cost));
    expect(x.cpuCostValue).toBeCloseTo(Number(x.cpuCost), 6);
    got.cpu += satang(x.cpuCost);
    got.gpu += satang(x.gpuCost);
    got.cost += satang(x.cost);
  }
  expect(got.cpu).toBe(want.cpu);
  expect(got.gpu).toBe(want.gpu);
  expect(got.cost).toBe(want.cost);
  expect(want.gpu).toBeGreaterThan(0n);
}

describe('usageSeries', () => {
  it('adds up to the job totals for random windows, zones, buckets and groupings', async () => {
    const zones = ['UTC', 'Asia/Bangkok', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin', 'Australia/Adelaide'];
    const buckets: SeriesBucket[] = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
    const groupings = [[], ['user'], ['account'], ['tier'], ['cluster', 'state'], ['user', 'partition']];
    let compared = 0;
    for (let i = 0; i < 24; i++) {
      const bucket = buckets[rand(buckets.length)];
      const span = { HOUR: 3, DAY: 60, WEEK: 200, MONTH: 365, QUARTER: 365, YEAR: 400 }[bucket] * (bucket === 'HOUR' ? 86400_000 : 86400_000);
      const from = YEAR_START - 20 * 86400_000 + rand(400) * 86400_000 + rand(86400_000);
      compared += await compare({ from, to: from + 1 + rand(span), bucket, tz: zones[rand(zones.length)], groupBy: groupings[rand(groupings.length)] });
    }
    // The windows are not all empty: thousands of jobs were summed and compared.
    expect(compared).toBeGreaterThan(2000);
  });

  it('still adds up after a rate change and a receipt, billed and unbilled apart', async () => {
    const rate = await t.gql('mutation { updateRate(input: { tier: gov, cpuPerHour: "0.91", gpuPerHour: "21.5", memGBPerHour: "0.07" }) { tier } }', {}, admin);
    expect(rate.errors).toBeUndefined();
    await createReceipt(t.app.db, 'bob', new Date('2026-07-01T00:00:00Z'), systemMeta('bob'));
    const year = { from: YEAR_START, to: YEAR_START + 365 * 86400_000, tz: 'Asia/Bangkok' };
    await compare({ ...year, bucket: 'MONTH', groupBy: ['tier'] });
    await compare({ ...year, bucket: 'MONTH', groupBy: ['user'], billed: true });
    await compare({ ...year, bucket: 'WEEK', groupBy: [], billed: false });
    await compareShares(year.from, year.to);
  });

  it('shows a user their own series without naming themselves, and no one else’s', async () => {
    const vars = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', bucket: 'YEAR', groupBy: ['user'] };
    const own = await t.gql(SERIES, vars, alice);
    expect(own.errors).toBeUndefined();
    expect(new Set(own.data.usageSeries.map((x: any) => x.user))).toEqual(new Set(['alice']));
    expect(codes(await t.gql(SERIES, { ...vars, filter: { user: 'bob' } }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(SERIES, vars))).toEqual(['UNAUTHENTICATED']);
  });

  it('fills empty buckets with zeros, and refuses an unknown zone or too many buckets with a way out', async () => {
    const r = await t.gql(SERIES, { from: '2025-06-01T00:00:00Z', to: '2025-06-04T00:00:00Z', bucket: 'DAY', tz: 'UTC' }, admin);
    expect(r.data.usageSeries.map((x: any) => [x.time, x.jobs, x.cost, x.costValue])).toEqual([
      ['2025-06-01T00:00:00.000Z', 0, '0.00', 0],
      ['2025-06-02T00:00:00.000Z', 0, '0.00', 0],
      ['2025-06-03T00:00:00.000Z', 0, '0.00', 0],
    ]);
    const zone = await t.gql(SERIES, { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', tz: 'Mars/Olympus' }, admin);
    expect(codes(zone)).toEqual(['BAD_INPUT']);
    expect(zone.errors![0].message).toMatch(/Mars\/Olympus.*IANA/);
    const many = await t.gql(SERIES, { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', bucket: 'HOUR' }, admin);
    expect(codes(many)).toEqual(['TOO_COMPLEX']);
    expect(many.errors![0].message).toMatch(/larger bucket or a shorter window/);
  });
});

describe('usage, top-N', () => {
  it('answers "top 3 users by GPU-hours" as one query, the same as sorting every user', async () => {
    const all = await t.gql('{ usage(groupBy: [user]) { user totals { gpuHours cost } } }', {}, admin);
    const top = await t.gql('{ usage(groupBy: [user], orderBy: { by: gpuHours }, limit: 3) { user totals { gpuHours } } }', {}, admin);
    expect(top.errors).toBeUndefined();
    const sorted = [...all.data.usage].sort((a: any, b: any) => b.totals.gpuHours - a.totals.gpuHours).slice(0, 3);
    expect(top.data.usage.map((x: any) => x.user)).toEqual(sorted.map((x: any) => x.user));
    const cheapest = await t.gql('{ usage(groupBy: [user], orderBy: { by: cost, direction: ASC }, limit: 1) { user totals { cost } } }', {}, admin);
    const min = [...all.data.usage].sort((a: any, b: any) => Number(a.totals.cost) - Number(b.totals.cost))[0];
    expect(cheapest.data.usage).toEqual([{ user: min.user, totals: { cost: min.totals.cost } }]);
    expect(codes(await t.gql('{ usage(groupBy: [user], limit: 0) { user } }', {}, admin))).toEqual(['BAD_INPUT']);
  });
});

describe('usageSeries for Wild GraphQL', () => {
  it('labels jobs without an account with noneLabel, and leaves them null without it', async () => {
    const q = (extra: string) =>
      `{ usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, groupBy: [account]${extra}) { account jobs } }`;
    const plain = await t.gql(q(''), {}, admin);
    const named = await t.gql(q(', noneLabel: "(none)"'), {}, admin);
    expect(plain.data.usageSeries.map((r: any) => r.account)).toContain(null);
    expect(named.data.usageSeries.map((r: any) => r.account)).not.toContain(null);
    expect(named.data.usageSeries.find((r: any) => r.account === '(none)').jobs).toBe(plain.data.usageSeries.find((r: any) => r.account === null).jobs);
  });
});

describe('usage tables and job totals from the rollups', () => {
  it('equal the sums over the jobs for aligned windows and every grouping, and leave unaligned windows to the jobs', async () => {
    const groupings = [[], ['user'], ['month'], ['account', 'partition'], ['tier'], ['user', 'month', 'tier']] as const;
    for (let i = 0; i < 12; i++) {
      const after = new Date(YEAR_START + rand(300) * 86400_000 + rand(96) * 15 * 60_000);
      const before = new Date(after.getTime() + (1 + rand(2000)) * 15 * 60_000 * 4);
      const filter = { endedAfter: after, endedBefore: before, ...(i % 3 === 0 ? { billed: i % 2 === 0 } : {}), ...(i % 4 === 1 ? { user: 'bob' } : {}) };
      const groupBy = groupings[i % groupings.length];
      const rolled = await usageFromRollups(t.app.db, filter, groupBy);
      expect(rolled).not.toBeNull();
      expect(rolled, JSON.stringify({ filter, groupBy })).toEqual(await usageBuckets(t.app.db, filter, groupBy, 'mu'));
    }
    expect(await usageFromRollups(t.app.db, { endedBefore: new Date('2026-05-01T00:00:00.001Z') }, [])).toBeNull();
  });
});

/** Day and month rows that differ from the quarter hours they sum (both ways); none when the levels are exact. */
async function levelMismatches(app = t) {
  const names = ['jobs', 'elapsedSec', 'cpuSec', 'gpuSec', 'memMiBSec', 'costSatang', 'cpuCostSatang', 'gpuCostSatang'];
  const measures = Prisma.raw(names.map((m) => `"${m}"`).join(', '));
  const sums = Prisma.raw(names.map((m) => `SUM("${m}")`).join(', '));
  const out: unknown[] = [];
  for (const [table, keys, of] of [
    ['UsageRollupDay', '"cluster", "account", "partition", "state", "tier", "billed"', 'day'],
    ['UsageRollupMonth', '"cluster", "user", "account", "partition", "state", "tier", "billed"', 'month'],
  ] as const) {
    const k = Prisma.raw(keys);
    const level = Prisma.sql`SELECT "bucket", ${k}, ${measures} FROM ${Prisma.raw(`"${table}"`)}`;
    const summed = Prisma.sql`SELECT "lv", ${k}, ${sums} FROM (SELECT ${calendarOf(Prisma.sql`r."bucket"`, of)} AS "lv", r.* FROM "UsageRollup" r) AS "q" GROUP BY "lv", ${k}`;
    out.push(...(await app.app.db.$queryRaw<unknown[]>`${level} EXCEPT ${summed}`));
    out.push(...(await app.app.db.$queryRaw<unknown[]>`${summed} EXCEPT ${level}`));
  }
  for (const [table, of] of [
    ['UsageMarginalDay', 'day'],
    ['UsageMarginalMonth', 'month'],
  ] as const) {
    const level = Prisma.sql`SELECT "bucket", "dim", "value", "billed", ${measures} FROM ${Prisma.raw(`"${table}"`)}`;
    const fields = ['', 'user', 'account', 'partition', 'tier', 'cluster', 'state'];
    const each = Prisma.join(
      fields.map((f) => Prisma.sql`SELECT ${calendarOf(Prisma.sql`r."bucket"`, of)} AS "lv", ${f} AS "dim", ${Prisma.raw(f ? `r."${f}"` : "''")} AS "value", r.* FROM "UsageRollup" r`),
      ' UNION ALL ',
    );
    const summed = Prisma.sql`SELECT "lv", "dim", "value", "billed", ${sums} FROM (${each}) AS "q" GROUP BY "lv", "dim", "value", "billed"`;
    out.push(...(await app.app.db.$queryRaw<unknown[]>`${level} EXCEPT ${summed}`));
    out.push(...(await app.app.db.$queryRaw<unknown[]>`${summed} EXCEPT ${level}`));
  }
  return out;
}

describe('day and month rollups', () => {
  it('equal the quarter hours they sum after syncs, re-syncs, a rate change and a receipt', async () => {
    expect(await t.app.db.usageRollupDay.count()).toBeGreaterThan(100);
    expect(await t.app.db.usageRollupMonth.count()).toBeGreaterThan(20);
    expect(await t.app.db.usageMarginalDay.count({ where: { dim: 'user' } })).toBeGreaterThan(100);
    expect(await t.app.db.usageMarginalMonth.count({ where: { dim: '' } })).toBeGreaterThan(10);
    expect(await levelMismatches()).toEqual([]);
    // Jobs seen again with other end times and states move between days and months.
    seed = 99;
    await upsertJobs(t.app.db, Array.from({ length: 300 }, (_, i) => ({ ...job(i * 5), state: 'FAILED' })), 'csv', undefined, 70);
    expect(await levelMismatches()).toEqual([]);
    // A job that ends far off adds its own years to the calendar, not every year up to it.
    await upsertJobs(t.app.db, [{ ...job(7777), jobId: 'far', end: new Date('2090-06-01T00:00:00Z') }], 'csv');
    expect(await t.app.db.rollupCalendar.count()).toBeLessThan(366 * 8);
    expect(await levelMismatches()).toEqual([]);
    const months = await t.app.db.rollupCalendar.findMany({ take: 1, select: { zone: true } });
    expect(months[0].zone).toBe('Australia/Adelaide');
  });

  it('answer a local day or month of the rollup zone exactly as the quarter hours would', async () => {
    const tz = 'Australia/Adelaide';
    // Whole local days and months (day and month rows), and windows that are neither (quarter hours).
    for (const bucket of ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const) {
      await compare({ from: Date.parse('2026-03-20T00:00:00Z'), to: Date.parse('2026-10-20T00:00:00Z'), bucket, tz, groupBy: ['account'] });
      await compare({ from: Date.parse('2026-03-20T00:00:00Z'), to: Date.parse('2026-10-20T00:00:00Z'), bucket, tz, groupBy: ['state'], filter: { account: 'chem' } });
      // One field: the marginal rows, filtered by its value or grouped by it.
      await compare({ from: Date.parse('2026-03-20T00:00:00Z'), to: Date.parse('2026-10-20T00:00:00Z'), bucket, tz, groupBy: [], filter: { user: 'bob' } });
      await compare({ from: Date.parse('2026-03-20T00:00:00Z'), to: Date.parse('2026-10-20T00:00:00Z'), bucket, tz, groupBy: ['user'], billed: false });
    }
  });

  it('are summed again in the new zone when TIME_ZONE changes', async () => {
    const first = await startTestApp({ TIME_ZONE: 'UTC' });
    const dir = first.dir;
    try {
      seed = 5;
      await upsertJobs(first.app.db, Array.from({ length: 200 }, (_, i) => job(i)), 'csv');
      expect((await first.app.db.rollupCalendar.findFirst())?.zone).toBe('UTC');
    } finally {
      await first.close(true);
    }
    const again = await startTestApp({ TIME_ZONE: 'Asia/Kolkata' }, dir);
    try {
      expect((await again.app.db.rollupCalendar.findFirst())?.zone).toBe('Asia/Kolkata');
      expect(await again.app.db.rollupCalendar.count({ where: { zone: { not: 'Asia/Kolkata' } } })).toBe(0);
      expect(await levelMismatches(again)).toEqual([]);
      // A Kolkata day starts at 18:30 UTC the day before.
      const day = await again.app.db.usageRollupDay.findFirst({ select: { bucket: true } });
      expect(day!.bucket.toISOString()).toMatch(/T18:30:00\.000Z$/);
    } finally {
      await again.close();
    }
  });
});
