import { filter, pipe } from 'graphql-yoga';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import type { RateEvent } from '../pubsub.ts';
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

export const UpdateRateInput = builder.inputType('UpdateRateInput', {
  fields: (t) => ({
    tier: t.field({ type: TierEnum, required: true }),
    cpuPerHour: t.field({ type: 'Decimal', required: true }),
    gpuPerHour: t.field({ type: 'Decimal', required: true }),
    memGBPerHour: t.field({ type: 'Decimal', required: true }),
  }),
});

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

interface RateRuleShape {
  id: number;
  tier: string;
  partition: string | null;
  gpuType: string | null;
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
  effectiveFrom: Date;
  appliedAt: Date | null;
  createdAt: Date;
  createdBy: string;
}

const RateRuleRef = builder.objectRef<RateRuleShape>('RateRule').implement({
  description:
    'A tier’s rate for one partition and/or GPU type (an override of its rate for those jobs), or a scheduled change of the tier’s own rate (neither named). ' +
    'It takes effect on effectiveFrom; a job is priced by the most specific override in force: partition and GPU type, then GPU type, then partition',
  fields: (t) => ({
    id: t.exposeInt('id'),
    tier: t.field({ type: TierEnum, resolve: (r) => r.tier as 'mu' }),
    partition: t.exposeString('partition', { nullable: true }),
    gpuType: t.exposeString('gpuType', { nullable: true, description: 'As Slurm names it in gres/gpu:<type>, e.g. a100' }),
    cpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.cpuPerHour }),
    gpuPerHour: t.field({ type: 'Decimal', resolve: (r) => r.gpuPerHour }),
    memGBPerHour: t.field({ type: 'Decimal', resolve: (r) => r.memGBPerHour }),
    effectiveFrom: t.field({ type: 'DateTime', resolve: (r) => r.effectiveFrom }),
    inForce: t.boolean({ description: 'Its date has come and it was applied', resolve: (r) => r.appliedAt !== null }),
    appliedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.appliedAt }),
    createdBy: t.exposeString('createdBy', { authScopes: { staff: true } }),
  }),
});

builder.queryField('rateRules', (t) =>
  t.field({
    type: [RateRuleRef],
    authScopes: { loggedIn: true },
    description: 'Overrides per partition or GPU type, and scheduled rate changes, newest first',
    args: { tier: t.arg({ type: TierEnum }) },
    resolve: (_root, { tier }, ctx) => ctx.services.rates.rules(tier),
  }),
);

const CreateRateRuleInput = builder.inputType('CreateRateRuleInput', {
  fields: (t) => ({
    tier: t.field({ type: TierEnum, required: true }),
    partition: t.string(),
    gpuType: t.string(),
    cpuPerHour: t.field({ type: 'Decimal', required: true }),
    gpuPerHour: t.field({ type: 'Decimal', required: true }),
    memGBPerHour: t.field({ type: 'Decimal', required: true }),
    effectiveFrom: t.field({ type: 'DateTime', description: 'When it takes effect (e.g. the first of next month); now when absent' }),
  }),
});

builder.mutationField('createRateRule', (t) =>
  t.field({
    type: RateRuleRef,
    authScopes: { admin: true },
    description: 'Price a partition or GPU type of a tier differently, or schedule a change of the tier’s rate; receipts keep what they charged',
    args: { input: t.arg({ type: CreateRateRuleInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.rates.createRule(input, ctx.meta),
  }),
);

builder.mutationField('deleteRateRule', (t) =>
  t.field({
    type: RateRuleRef,
    authScopes: { admin: true },
    description: 'Cancel a scheduled rule, or end an override (its jobs are priced at the tier’s rate again)',
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.rates.deleteRule(id, ctx.meta),
  }),
);
