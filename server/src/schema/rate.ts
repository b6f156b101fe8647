import { filter, pipe } from 'graphql-yoga';
import { formatSatang } from '@hpc-accounting/pricing/money';
import type { RateChangeImpact } from '../billing/rates.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import type { RateEvent } from '../pubsub.ts';
import { LEDGER_SCAN_COST, UsageTotalsRef } from './usage.ts';
import { TierEnum } from './user.ts';

export async function loadRate(ctx: Context, tier: string) {
  try {
    return await ctx.loaders.rate.load(tier);
  } catch {
    throw notFound(`no rate is set for tier "${tier}"`);
  }
}

export const RateRef = builder.objectRef<RateEvent>('Rate').implement({
  description: 'Hourly prices of one tier, in THB',
  fields: (t) => ({
    tier: t.field({ type: TierEnum, resolve: (r) => r.tier as 'mu' }),
    cpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.cpuPerHour }),
    gpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.gpuPerHour }),
    memGBPerHour: t.field({ type: 'Decimal', description: 'per GiB of memory per hour', resolve: (r) => r.memGBPerHour }),
    updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updatedAt }),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
    viewerCanUpdate: t.boolean({ resolve: (_r, _a, ctx) => ctx.viewer?.role === 'admin' }),
  }),
});

// Rates are public: the old app's /formula served them to anyone, and the playground shows them.
// Read through the loader, so a request naming `rates` many times reads them once.
builder.queryField('rates', (t) =>
  t.field({ type: [RateRef], resolve: (_root, _args, ctx) => ctx.loaders.rates.load('all') }),
);

builder.queryField('rate', (t) =>
  t.field({
    type: RateRef,
    args: { tier: t.arg({ type: TierEnum, required: true }) },
    resolve: (_root, { tier }, ctx) => loadRate(ctx, tier),
  }),
);

const UpdateRateInput = builder.inputType('UpdateRateInput', {
  fields: (t) => ({
    tier: t.field({ type: TierEnum, required: true }),
    cpuPerHour: t.field({ type: 'Decimal', required: true }),
    gpuPerHour: t.field({ type: 'Decimal', required: true }),
    memGBPerHour: t.field({ type: 'Decimal', required: true }),
  }),
});

const RateValuesRef = builder.objectRef<RateChangeImpact['next']>('RateValues').implement({
  description: 'Hourly prices of one tier, in THB, as updateRate stores them',
  fields: (t) => ({
    cpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.cpuPerHour }),
    gpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.gpuPerHour }),
    memGBPerHour: t.field({ type: 'Decimal', description: 'per GiB of memory per hour', resolve: (r) => r.memGBPerHour }),
  }),
});

const RateImpactRef = builder.objectRef<RateChangeImpact>('RateImpact').implement({
  description: 'What a rate change would do to the unbilled finished jobs of its tier; billed jobs keep what their receipt charged',
  fields: (t) => ({
    tier: t.field({ type: TierEnum, resolve: (i) => i.tier }),
    current: t.field({ type: RateValuesRef, nullable: true, description: 'null: the tier has no rate yet', resolve: (i) => i.current }),
    next: t.field({ type: RateValuesRef, resolve: (i) => i.next }),
    unbilledJobs: t.int({ description: 'Unbilled finished jobs priced at this tier: the jobs the change reprices', resolve: (i) => i.unbilledBefore.sums.jobs }),
    unbilledBefore: t.field({ type: UsageTotalsRef, description: 'Those jobs at the rates in force now', resolve: (i) => i.unbilledBefore }),
    unbilledAfter: t.field({ type: UsageTotalsRef, description: 'The same jobs at the new rates', resolve: (i) => i.unbilledAfter }),
    difference: t.field({
      type: 'Decimal',
      description: 'unbilledAfter.cost − unbilledBefore.cost, exactly; negative when the change lowers it',
      resolve: (i) => formatSatang(i.unbilledAfter.costSatang - i.unbilledBefore.costSatang),
    }),
  }),
});

builder.queryField('rateChangePreview', (t) =>
  t.field({
    type: RateImpactRef,
    authScopes: { admin: true },
    description: 'What updateRate with this input would do now, changing nothing',
    extensions: { cost: LEDGER_SCAN_COST },
    args: { input: t.arg({ type: UpdateRateInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.rates.preview(input),
  }),
);

builder.mutationField('updateRate', (t) =>
  t.field({
    type: RateRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateRateInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.rates.update(input, ctx.meta),
  }),
);

builder.subscriptionField('rateChanged', (t) =>
  t.field({
    type: RateRef,
    authScopes: { loggedIn: true },
    description: 'Rates as admins change them; all tiers unless one is given',
    args: { tier: t.arg({ type: TierEnum }) },
    subscribe: (_root, { tier }, ctx) =>
      tier
        ? pipe(ctx.pubsub.subscribe('rateChanged'), filter((r) => r.tier === tier))
        : ctx.pubsub.subscribe('rateChanged'),
    resolve: (rate) => rate,
  }),
);
