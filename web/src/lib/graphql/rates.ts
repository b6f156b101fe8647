import { graphql } from './generated';
import type { RateChangePreviewQuery as RateChangePreviewResult, RatesQuery as RatesResult } from './generated/graphql';

/** A tier's rates as every page shows them. */
export const RateFieldsFragment = graphql(`
  fragment RateFields on Rate {
    tier
    cpuPerHour
    gpuPerHour
    memGBPerHour
    updatedAt
    updatedBy
    viewerCanUpdate
  }
`);

export const RatesQuery = graphql(`
  query Rates {
    rates {
      ...RateFields
    }
  }
`);

/** Every tier's changes (no `tier` argument): pages pick what they show. */
export const RateChangedSubscription = graphql(`
  subscription RateChanged {
    rateChanged {
      ...RateFields
    }
  }
`);

export const UpdateRateMutation = graphql(`
  mutation UpdateRate($input: UpdateRateInput!) {
    updateRate(input: $input) {
      ...RateFields
    }
  }
`);

/** What saving these rates would do to the tier's unbilled jobs (admins), changing nothing. */
export const RateChangePreviewQuery = graphql(`
  query RateChangePreview($input: UpdateRateInput!) {
    rateChangePreview(input: $input) {
      tier
      current {
        cpuPerHour
        gpuPerHour
        memGBPerHour
      }
      next {
        cpuPerHour
        gpuPerHour
        memGBPerHour
      }
      unbilledJobs
      unbilledBefore {
        cost
      }
      unbilledAfter {
        cost
      }
      difference
    }
  }
`);

/** Changes of every tier, newest first (staff). */
export const RateHistoryQuery = graphql(`
  query RateHistory($last: Int) {
    rateHistory(last: $last) {
      id
      tier
      changedAt
      changedBy
      cpuPerHour
      gpuPerHour
      memGBPerHour
      oldCpuPerHour
      oldGpuPerHour
      oldMemGBPerHour
    }
  }
`);

export type RateFields = RatesResult['rates'][number];
export type RateImpact = RateChangePreviewResult['rateChangePreview'];

/**
 * The rates a page shows: the query's answer, overridden per tier by anything newer that was pushed
 * (rateChanged) or saved since. Newer is decided by `updatedAt`, so a late query answer cannot undo a push.
 */
export function latestRates(...sources: ReadonlyArray<Iterable<RateFields> | undefined>): Map<RateFields['tier'], RateFields> {
  const byTier = new Map<RateFields['tier'], RateFields>();
  for (const source of sources) {
    for (const rate of source ?? []) {
      const known = byTier.get(rate.tier);
      if (!known || Date.parse(rate.updatedAt) >= Date.parse(known.updatedAt)) byTier.set(rate.tier, rate);
    }
  }
  return byTier;
}

/** Overrides per partition or GPU type, and scheduled changes of a tier's rate. */
export const RateRulesQuery = graphql(`
  query RateRules {
    rateRules {
      id
      tier
      partition
      gpuType
      cpuPerHour
      gpuPerHour
      memGBPerHour
      effectiveFrom
      inForce
    }
  }
`);

export const CreateRateRuleMutation = graphql(`
  mutation CreateRateRule($input: CreateRateRuleInput!) {
    createRateRule(input: $input) {
      id
      inForce
    }
  }
`);

export const DeleteRateRuleMutation = graphql(`
  mutation DeleteRateRule($id: Int!) {
    deleteRateRule(id: $id) {
      id
    }
  }
`);
