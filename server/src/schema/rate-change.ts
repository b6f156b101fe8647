import { formatSatang } from '@hpc-accounting/pricing/money';
import type { RateChangeImpact } from '../billing/rates.ts';
import { builder } from '../builder.ts';
import { UpdateRateInput } from './rate.ts';
import { LEDGER_SCAN_COST, UsageTotalsRef } from './usage.ts';
import { TierEnum } from './user.ts';

// The preview of a rate change, apart from rate.ts: a job's cost imports rate.ts and the usage types import the job,
// so rate.ts importing the usage types would be a cycle.
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
