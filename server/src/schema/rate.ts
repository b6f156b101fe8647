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
