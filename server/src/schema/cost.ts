import { builder } from '../builder.ts';
import { type CostBreakdown, estimateCost } from '@hpc-accounting/pricing/cost';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { TierEnum } from './user.ts';
import { loadRate } from './rate.ts';

export const CostRef = builder.objectRef<CostBreakdown>('Cost').implement({
  description: 'Hours from TRES and their price at a rate (THB)',
  fields: (t) => ({
    cpuHours: t.exposeFloat('cpuHours'),
    gpuHours: t.exposeFloat('gpuHours'),
    memGBHours: t.exposeFloat('memGBHours'),
    cpuCost: t.field({ type: 'Decimal', resolve: (c) => formatSatang(c.cpuSatang) }),
    gpuCost: t.field({ type: 'Decimal', resolve: (c) => formatSatang(c.gpuSatang) }),
    memCost: t.field({ type: 'Decimal', resolve: (c) => formatSatang(c.memSatang) }),
    cost: t.field({ type: 'Decimal', resolve: (c) => formatSatang(c.costSatang) }),
  }),
});

const EstimateCostInput = builder.inputType('EstimateCostInput', {
  fields: (t) => ({
    tier: t.field({ type: TierEnum, required: true }),
    cpus: t.float({ required: true }),
    gpus: t.float({ required: true }),
    memGB: t.float({ required: true }),
    hours: t.float({ required: true }),
  }),
});

builder.queryField('estimateCost', (t) =>
  t.field({
    type: CostRef,
    authScopes: { loggedIn: true },
    description: 'What a job of this size would cost at the current rates of a tier',
    args: { input: t.arg({ type: EstimateCostInput, required: true }) },
    resolve: async (_root, { input }, ctx) => estimateCost(input, await loadRate(ctx, input.tier)),
  }),
);
