import { type CostBreakdown, costOfUnits } from '@hpc-accounting/pricing/cost';
import DataLoader from 'dataloader';
import { listRates } from '../billing/rates.ts';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors.ts';
import { usageFromRollups } from '../rollups/totals.ts';
import type { JobRecordRow } from './ledger.ts';
import { accountTiers, managedAccounts } from '../accounts/store.ts';
import { gpuTypesOf, pickRate } from '../billing/rate-rules.ts';
import { activeOverrides, EMPTY_BUCKET, type JobOrder, listJobs, type UsageFilter, type UsageGroup, usageBuckets, usageTotals } from '../billing/usage.ts';

/**
 * Per-request loaders over the ledger: every resolver that needs jobs, rates or a user's tier asks
 * these, so one request reads each thing once however many fields want it.
 */
export function createLoaders(db: Db, defaultTier = 'mu') {
  /** All tiers' rates (the one key is 'all'): a request reads them once, whatever asks. */
  const rates = new DataLoader(async (keys: readonly 'all'[]) => {
    const rows = await listRates(db);
    return keys.map(() => rows);
  });
  /** The overrides of tiers' rates in force (the one key is 'all'). */
  const overrides = new DataLoader(async (keys: readonly 'all'[]) => {
    const rows = await activeOverrides(db);
    return keys.map(() => rows);
  });
  const loaders = {
    overrides,
    /** Pages of the job connection, keyed by filter and cursor. */
    jobPage: new DataLoader(
      (keys: readonly { filter: UsageFilter; first: number; after?: string | null; order?: JobOrder | null }[]) =>
        Promise.all(keys.map((k) => listJobs(db, k.filter, k.first, k.after, k.order).catch((e: Error) => e))),
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    usageTotals: new DataLoader(
      (filters: readonly UsageFilter[]) =>
        Promise.all(
          filters.map(async (f) => {
            const rolled = await usageFromRollups(db, f, []);
            if (!rolled) return usageTotals(db, f, defaultTier);
            return rolled[0] ?? EMPTY_BUCKET;
          }),
        ),
      { cacheKeyFn: (f) => JSON.stringify(f) },
    ),
    usage: new DataLoader(
      (keys: readonly { filter: UsageFilter; groupBy: readonly UsageGroup[] }[]) =>
        Promise.all(keys.map(async (k) => (await usageFromRollups(db, k.filter, k.groupBy)) ?? usageBuckets(db, k.filter, k.groupBy, defaultTier))),
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    /** The receipt item that billed a job, with the rates it was billed at. */
    receiptItemOfJob: new DataLoader(async (keys: readonly string[]) => {
      const items = await db.receiptItem.findMany({
        where: { billingKey: { in: [...keys] } },
        select: { billingKey: true, receiptId: true, cpuPerHour: true, gpuPerHour: true, memGBPerHour: true },
      });
      const byKey = new Map(items.map((i) => [i.billingKey, i]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
    rates,
    /** One tier's rate, from the same one read of all of them. */
    rate: new DataLoader(async (tiers: readonly string[]) => {
      const rows = await rates.load('all');
      return tiers.map((t) => rows.find((r) => r.tier === t) ?? new Error(`no rate for tier ${t}`));
    }),
    /** The pricing tier an admin set on a Slurm account (null: its members' own). */
    accountTierOf: new DataLoader(async (names: readonly string[]) => {
      const tiers = await accountTiers(db, names);
      return names.map((n) => tiers.get(n) ?? null);
    }),
    /** The Slurm accounts a user coordinates or is PI of: whose jobs and usage they may see and bill. */
    managedAccounts: new DataLoader(async (usernames: readonly string[]) => Promise.all(usernames.map((u) => managedAccounts(db, u)))),
    /** A user's tier; someone known only to Slurm is billed at the default tier. */
    tierOf: new DataLoader(async (usernames: readonly string[]) => {
      const rows = await db.user.findMany({ where: { username: { in: [...usernames] } }, select: { username: true, tier: true } });
      return usernames.map((u) => rows.find((r) => r.username === u)?.tier ?? defaultTier);
    }),
  };
  return {
    ...loaders,
    /** A job's cost: as its receipt billed it, else at the current rate of its account's tier or its owner's. */
    jobCost: new DataLoader<JobRecordRow, CostBreakdown, string>(
      (jobs) =>
        Promise.all(
          jobs.map(async (job) => {
            const billed = await loaders.receiptItemOfJob.load(job.key);
            if (billed) return costOfUnits(job, job.elapsedSeconds, billed);
            const tier = (job.account ? await loaders.accountTierOf.load(job.account) : null) ?? (await loaders.tierOf.load(job.user));
            const rate = await loaders.rate.load(tier).catch(() => null);
            if (!rate) return notFound(`no rate is set for tier "${tier}"`);
            const picked = pickRate(await overrides.load('all'), rate, { tier, partition: job.partition, gpuTypes: gpuTypesOf(job.allocTres) });
            return costOfUnits(job, job.elapsedSeconds, picked);
          }),
        ),
      { cacheKeyFn: (job) => job.key },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
