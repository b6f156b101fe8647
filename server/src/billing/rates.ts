import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { badInput, notFound } from '../errors.ts';
import { rebuildRollups } from '../rollups/store.ts';
import type { RateValues } from '@hpc-accounting/pricing/cost';
import { MoneyError, normalizeRate } from '@hpc-accounting/pricing/money';
import { isTier, type Tier, TIERS } from './money.ts';
import { EMPTY_BUCKET, type UsageBucket, unbilledOfTier } from './usage.ts';

/** Starting rates (THB per hour) for a new installation; admins change them in the app. */
export const DEFAULT_RATES: Record<Tier, RateValues> = {
  mu: { cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' },
  gov: { cpuPerHour: '0.75', gpuPerHour: '18', memGBPerHour: '0.08' },
  private: { cpuPerHour: '1.5', gpuPerHour: '35', memGBPerHour: '0.15' },
};


export async function ensureRates(db: Db) {
  for (const tier of TIERS) {
    await db.rate.upsert({ where: { tier }, create: { tier, ...DEFAULT_RATES[tier] }, update: {} });
  }
}

export const listRates = (db: Db) => db.rate.findMany({ orderBy: { tier: 'asc' } });

export async function getRate(db: Db, tier: string) {
  if (!isTier(tier)) throw badInput(`unknown tier "${tier}" (known: ${TIERS.join(', ')})`);
  const rate = await db.rate.findUnique({ where: { tier } });
  if (!rate) throw notFound(`no rate is set for tier "${tier}"`);
  return rate;
}

function rateText(text: string, field: string) {
  try {
    return normalizeRate(text, field);
  } catch (error) {
    if (error instanceof MoneyError) throw badInput(error.message);
    throw error;
  }
}

export interface RateUpdate extends RateValues {
  tier: string;
}

/**
 * Changes one tier's rates. The rate, its history row and the audit entry are one transaction;
 * invalid input is refused before anything is written.
 */
function checkUpdate(input: RateUpdate): { tier: Tier; next: RateValues } {
  if (!isTier(input.tier)) throw badInput(`unknown tier "${input.tier}" (known: ${TIERS.join(', ')})`);
  return {
    tier: input.tier,
    next: {
      cpuPerHour: rateText(input.cpuPerHour, 'cpuPerHour'),
      gpuPerHour: rateText(input.gpuPerHour, 'gpuPerHour'),
      memGBPerHour: rateText(input.memGBPerHour, 'memGBPerHour'),
    },
  };
}

export async function updateRate(db: Db, input: RateUpdate, meta: RequestMeta, defaultTier = 'mu') {
  const { next } = checkUpdate(input);
  const changedBy = meta.actor ?? 'system';
  return db.$transaction(async (tx) => {
    const old = await tx.rate.findUnique({ where: { tier: input.tier } });
    const rate = await tx.rate.upsert({
      where: { tier: input.tier },
      create: { tier: input.tier, ...next, updatedBy: changedBy },
      update: { ...next, updatedAt: new Date(), updatedBy: changedBy },
    });
    await tx.rateHistory.create({
      data: {
        tier: input.tier,
        changedBy,
        oldCpu: old?.cpuPerHour ?? null,
        oldGpu: old?.gpuPerHour ?? null,
        oldMem: old?.memGBPerHour ?? null,
        newCpu: next.cpuPerHour,
        newGpu: next.gpuPerHour,
        newMem: next.memGBPerHour,
      },
    });
    const oldValues = old
      ? { cpuPerHour: old.cpuPerHour, gpuPerHour: old.gpuPerHour, memGBPerHour: old.memGBPerHour }
      : null;
    await recordAudit(tx, { action: 'rates.update', target: input.tier, extra: { old: oldValues, new: next } }, meta);
    // Unbilled jobs of this tier are now worth something else; billed ones keep what their receipt charged.
    await rebuildRollups(tx, defaultTier, { unbilledOfTier: input.tier });
    return rate;
  }, { timeout: 120_000 });
}

/** What a rate change does to the unbilled finished jobs of its tier; billed jobs keep what their receipt charged. */
export interface RateChangeImpact {
  tier: Tier;
  /** The rates in force now, and the ones asked for (normalized as updateRate would store them). */
  current: RateValues | null;
  next: RateValues;
  unbilledBefore: UsageBucket;
  unbilledAfter: UsageBucket;
}

/**
 * The impact updateRate would have now, changing nothing: the tier's unbilled jobs priced at the ledger's rates and
 * at the same rates with this one changed, by the same pricing updateRate's totals use. Both are reads (on the
 * reader thread where the ledger has one), so a preview holds no write lock while it sums a large ledger. A sync
 * that commits between the two reads moves both figures; the change itself prices whatever is unbilled when it runs.
 */
export async function previewRate(db: Db, input: RateUpdate, defaultTier = 'mu'): Promise<RateChangeImpact> {
  const { tier, next } = checkUpdate(input);
  const rates = await db.rate.findMany();
  const old = rates.find((r) => r.tier === tier);
  const changed = [...rates.filter((r) => r.tier !== tier), { tier, ...next }];
  const unbilledBefore = (await unbilledOfTier(db, tier, defaultTier, rates)) ?? EMPTY_BUCKET;
  const unbilledAfter = (await unbilledOfTier(db, tier, defaultTier, changed)) ?? EMPTY_BUCKET;
  const current = old ? { cpuPerHour: old.cpuPerHour, gpuPerHour: old.gpuPerHour, memGBPerHour: old.memGBPerHour } : null;
  return { tier, current, next, unbilledBefore, unbilledAfter };
}

export const rateHistory = (db: Db, tier?: string, take = 50) =>
  db.rateHistory.findMany({ where: tier ? { tier } : {}, orderBy: { id: 'desc' }, take });
