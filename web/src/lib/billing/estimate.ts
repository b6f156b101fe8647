import { type CostBreakdown, estimateCost as priceEstimate, type RateValues } from '@hpc-accounting/pricing/cost';
import { LARGEST_JOB } from '@hpc-accounting/pricing/limits';
import { formatSatang, MoneyError } from '@hpc-accounting/pricing/money';
import { isNegative, mul, parseDecimal, toPlain, type Decimal } from './decimal';

export interface Usage {
  cpus: Decimal;
  gpus: Decimal;
  memGB: Decimal;
  hours: Decimal;
}

export interface Estimate {
  cpuHours: string;
  gpuHours: string;
  memGBHours: string;
  cpuCost: string;
  gpuCost: string;
  memCost: string;
  cost: string;
}

/** The most of each quantity a job can have: the largest job the ledger prices (@hpc-accounting/pricing/limits). */
export const QUANTITY_MAX: Record<keyof Usage, number> = {
  cpus: LARGEST_JOB.cpus,
  gpus: LARGEST_JOB.gpus,
  memGB: Math.floor(LARGEST_JOB.memMiB / 1024),
  hours: LARGEST_JOB.elapsedSeconds / 3600,
};

/** Digits with an optional decimal point, as people write a quantity: no sign, no exponent, no grouping. */
const PLAIN = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A quantity as people type it: a plain decimal ("12", "2.5"), at most `max`; null for anything else, such as
 * "1e9", "-1", "1,000" or a number past the limit.
 */
export function parsePlainQuantity(text: string, max: number): Decimal | null {
  const trimmed = text.trim();
  if (!PLAIN.test(trimmed) || Number(trimmed) > max) return null;
  return parseQuantity(trimmed);
}

/**
 * A non-negative amount typed by the user, or null when it is not one. The API takes quantities as GraphQL
 * Floats, read back as their shortest decimal text; going through a JS number here too keeps a local
 * estimate equal to `estimateCost` even for input with more digits than a double holds.
 */
export function parseQuantity(text: string): Decimal | null {
  if (!parseDecimal(text)) return null;
  const value = parseDecimal(String(Number(text.trim())));
  return value && !isNegative(value) ? value : null;
}

/**
 * The server's estimate (@hpc-accounting/pricing), fed the numbers the API would receive: exact, rounded
 * half-up to the satang once, at the end. Null when a rate is not one the server would accept.
 */
export function estimateCost(usage: Usage, rate: RateValues): Estimate | null {
  // exact: a parsed quantity is the shortest decimal text of its double
  const number = (value: Decimal) => Number(toPlain(value));
  let cost: CostBreakdown;
  try {
    cost = priceEstimate(
      { cpus: number(usage.cpus), gpus: number(usage.gpus), memGB: number(usage.memGB), hours: number(usage.hours) },
      rate,
    );
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
  return {
    cpuHours: toPlain(mul(usage.cpus, usage.hours)),
    gpuHours: toPlain(mul(usage.gpus, usage.hours)),
    memGBHours: toPlain(mul(usage.memGB, usage.hours)),
    cpuCost: formatSatang(cost.cpuSatang),
    gpuCost: formatSatang(cost.gpuSatang),
    memCost: formatSatang(cost.memSatang),
    cost: formatSatang(cost.costSatang),
  };
}
