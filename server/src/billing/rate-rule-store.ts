import { MoneyError, normalizeRate } from '@hpc-accounting/pricing/money';
import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { badInput, notFound } from '../errors.ts';
import { rebuildRollups } from '../rollups/store.ts';
import { isTier, TIERS } from './money.ts';
import { RULE_NAME } from './rate-rules.ts';
import { updateRate } from './rates.ts';

export interface RateRuleInput {
  tier: string;
  partition?: string | null;
  gpuType?: string | null;
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
  /** When it takes effect; now or absent: at once */
  effectiveFrom?: Date | null;
}

const TIMEOUT_MS = 120_000;

function checkRule(input: RateRuleInput) {
  if (!isTier(input.tier)) throw badInput(`unknown tier "${input.tier}" (known: ${TIERS.join(', ')})`);
  const name = (v: string | null | undefined, what: string) => {
    const t = v?.trim() || null;
    if (t !== null && !RULE_NAME.test(t)) throw badInput(`${what} "${v}" is not a Slurm name (letters, digits, ".", "+", "-")`);
    return t;
  };
  const money = (v: string, field: string) => {
    try {
      return normalizeRate(v, field);
    } catch (error) {
      if (error instanceof MoneyError) throw badInput(error.message);
      throw error;
    }
  };
  return {
    tier: input.tier,
    partition: name(input.partition, 'partition'),
    gpuType: name(input.gpuType, 'GPU type'),
    cpuPerHour: money(input.cpuPerHour, 'cpuPerHour'),
    gpuPerHour: money(input.gpuPerHour, 'gpuPerHour'),
    memGBPerHour: money(input.memGBPerHour, 'memGBPerHour'),
  };
}

export const listRateRules = (db: Db, tier?: string | null) =>
  db.rateRule.findMany({ where: { tier: tier ?? undefined }, orderBy: [{ tier: 'asc' }, { effectiveFrom: 'desc' }, { id: 'desc' }], take: 500 });

/** Told a tier's new rate when a due rule changes it, so it is announced to open pages as an admin's update is. */
type RateChanged = (rate: Awaited<ReturnType<typeof updateRate>>) => void;

/**
 * Adds a rule: an override for a partition and/or GPU type, or (neither) a change of the tier's rate; in force at once
 * when its date has come, else when the scheduler finds it due. Audited.
 */
export async function createRateRule(
  db: Db,
  input: RateRuleInput,
  meta: RequestMeta,
  defaultTier: string,
  now = new Date(),
  onRateChanged?: RateChanged,
) {
  const rule = checkRule(input);
  const effectiveFrom = input.effectiveFrom ?? now;
  if (Number.isNaN(effectiveFrom.getTime())) throw badInput('effectiveFrom is not a valid date');
  const created = await db.$transaction(async (tx) => {
    const row = await tx.rateRule.create({ data: { ...rule, effectiveFrom, createdBy: meta.actor ?? 'system' } });
    await recordAudit(tx, { action: 'rates.rule.create', target: rule.tier, extra: { id: row.id, ...rule, effectiveFrom: effectiveFrom.toISOString() } }, meta);
    return row;
  });
  if (effectiveFrom.getTime() <= now.getTime()) await applyDueRateRules(db, meta, defaultTier, now, onRateChanged);
  return db.rateRule.findUniqueOrThrow({ where: { id: created.id } });
}

/**
 * Puts the rules whose date has come into force, oldest first: a change of a tier's rate becomes its rate (as an
 * admin's update would, with its history row); an override starts pricing the tier's unbilled jobs it matches, the
 * rollups repriced in the same transaction. Returns what it applied.
 */
export async function applyDueRateRules(
  db: Db,
  meta: RequestMeta,
  defaultTier: string,
  now = new Date(),
  onRateChanged?: RateChanged,
) {
  const due = await db.rateRule.findMany({ where: { appliedAt: null, effectiveFrom: { lte: now } }, orderBy: [{ effectiveFrom: 'asc' }, { id: 'asc' }] });
  for (const rule of due) {
    if (rule.partition === null && rule.gpuType === null) {
      const rate = await updateRate(db, { tier: rule.tier, cpuPerHour: rule.cpuPerHour, gpuPerHour: rule.gpuPerHour, memGBPerHour: rule.memGBPerHour }, meta, defaultTier);
      await db.rateRule.updateMany({ where: { id: rule.id, appliedAt: null }, data: { appliedAt: now } });
      onRateChanged?.(rate);
      continue;
    }
    await db.$transaction(
      async (tx) => {
        // Another replica may have applied it meanwhile: only the one that marks it reprices.
        const { count } = await tx.rateRule.updateMany({ where: { id: rule.id, appliedAt: null }, data: { appliedAt: now } });
        if (count === 0) return;
        await rebuildRollups(tx, defaultTier, { unbilledOfTier: rule.tier });
        await recordAudit(tx, { action: 'rates.rule.apply', target: rule.tier, extra: { id: rule.id, partition: rule.partition, gpuType: rule.gpuType } }, meta);
      },
      { timeout: TIMEOUT_MS },
    );
  }
  return due;
}

/** Removes a rule: a scheduled one never takes effect; an override in force stops pricing (its tier's unbilled jobs are repriced). */
export async function deleteRateRule(db: Db, id: number, meta: RequestMeta, defaultTier: string) {
  return db.$transaction(
    async (tx) => {
      const rule = await tx.rateRule.findUnique({ where: { id } });
      if (!rule) throw notFound(`no rate rule ${id}`);
      if (rule.appliedAt && rule.partition === null && rule.gpuType === null) {
        throw badInput(`rate rule ${id} changed the ${rule.tier} tier's rate on ${rule.appliedAt.toISOString()}; change the rate instead`);
      }
      await tx.rateRule.delete({ where: { id } });
      if (rule.appliedAt) await rebuildRollups(tx, defaultTier, { unbilledOfTier: rule.tier });
      await recordAudit(tx, { action: 'rates.rule.delete', target: rule.tier, extra: { id, partition: rule.partition, gpuType: rule.gpuType, wasInForce: rule.appliedAt !== null } }, meta);
      return rule;
    },
    { timeout: TIMEOUT_MS },
  );
}
