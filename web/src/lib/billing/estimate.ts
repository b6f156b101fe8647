import { add, isNegative, mul, parseDecimal, toFixed, toPlain, type Decimal } from './decimal';

export interface RateValues {
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
}

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
 * The server's rule: cost = cpus×hours×cpuRate + gpus×hours×gpuRate + memGB×hours×memRate, computed exactly
 * and rounded half-up to 0.01 THB once, at the end. Line amounts are rounded only for display.
 */
export function estimateCost(usage: Usage, rate: RateValues): Estimate | null {
  const cpuRate = parseDecimal(rate.cpuPerHour);
  const gpuRate = parseDecimal(rate.gpuPerHour);
  const memRate = parseDecimal(rate.memGBPerHour);
  if (!cpuRate || !gpuRate || !memRate) return null;

  const cpuHours = mul(usage.cpus, usage.hours);
  const gpuHours = mul(usage.gpus, usage.hours);
  const memGBHours = mul(usage.memGB, usage.hours);
  const cpuCost = mul(cpuHours, cpuRate);
  const gpuCost = mul(gpuHours, gpuRate);
  const memCost = mul(memGBHours, memRate);

  return {
    cpuHours: toPlain(cpuHours),
    gpuHours: toPlain(gpuHours),
    memGBHours: toPlain(memGBHours),
    cpuCost: toFixed(cpuCost, 2),
    gpuCost: toFixed(gpuCost, 2),
    memCost: toFixed(memCost, 2),
    cost: toFixed(add(add(cpuCost, gpuCost), memCost), 2),
  };
}
