import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { badInput, builder } from '../builder.ts';
import { MoneyError } from '../billing/money.ts';
import { listRates, RateError, updateRate } from '../billing/rates.ts';
import type { Context } from '../context.ts';
import type { RateEvent } from '../pubsub.ts';
import { TierEnum } from './user.ts';

type RateShape = RateEvent;

export async function loadRate(ctx: Context, tier: string) {
  try {
    return await ctx.loaders.rate.load(tier);
  } catch {
    throw new GraphQLError(`no rate is set for tier "${tier}"`, { extensions: { code: 'NOT_FOUND' } });
  }
}

export const RateRef = builder.objectRef<RateShape>('Rate').implement({
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
builder.queryField('rates', (t) =>
  t.field({ type: [RateRef], resolve: (_root, _args, ctx) => listRates(ctx.db) }),
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

builder.mutationField('updateRate', (t) =>
  t.field({
    type: RateRef,
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateRateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      let rate: RateShape;
      try {
        rate = await updateRate(ctx.db, input, ctx.meta);
      } catch (error) {
        if (error instanceof RateError || error instanceof MoneyError) throw badInput(error.message);
        throw error;
      }
      // Published after the transaction commits, so subscribers never see a rolled-back rate.
      ctx.pubsub.publish('rateChanged', rate);
      return rate;
    },
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
