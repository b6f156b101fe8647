import { addFractions, type Fraction, frac, fromNumber, mulRate, parseRate, toNumber, toSatang } from './money.js';

export interface RateValues {
  cpuPerHour: string;
  gpuPerHour: string;
  memGBPerHour: string;
}

export interface CostBreakdown {
  cpuHours: number;
  gpuHours: number;
  memGBHours: number;
  cpuSatang: bigint;
  gpuSatang: bigint;
  memSatang: bigint;
  /** The exact sum rounded once; may differ by a satang from the sum of the rounded parts. */
  costSatang: bigint;
}

/** What a job holds while it runs, in the units Slurm reports (memory in MiB). */
export interface BillingUnits {
  cpus: number;
  gpus: number;
  memMiB: number;
}

/** CPU-hours, GPU-hours and GiB-hours at a rate, each line and the total rounded to the satang. */
export function price(cpuH: Fraction, gpuH: Fraction, memH: Fraction, rate: RateValues): CostBreakdown {
  const cpu = mulRate(cpuH, parseRate(rate.cpuPerHour, 'cpuPerHour'));
  const gpu = mulRate(gpuH, parseRate(rate.gpuPerHour, 'gpuPerHour'));
  const mem = mulRate(memH, parseRate(rate.memGBPerHour, 'memGBPerHour'));
  return {
    cpuHours: toNumber(cpuH),
    gpuHours: toNumber(gpuH),
    memGBHours: toNumber(memH),
    cpuSatang: toSatang(cpu),
    gpuSatang: toSatang(gpu),
    memSatang: toSatang(mem),
    costSatang: toSatang(addFractions(cpu, gpu, mem)),
  };
}

/** Cost of units held for `elapsedSeconds`: cpu × h, gpu × h, mem (GiB) × h. */
export function costOfUnits(units: BillingUnits, elapsedSeconds: number, rate: RateValues): CostBreakdown {
  const secs = BigInt(Math.max(0, Math.round(elapsedSeconds)));
  return price(
    frac(BigInt(units.cpus) * secs, 3600),
    frac(BigInt(units.gpus) * secs, 3600),
    frac(BigInt(units.memMiB) * secs, 3600 * 1024),
    rate,
  );
}

export interface Estimate {
  cpus: number;
  gpus: number;
  memGB: number;
  hours: number;
}

/** The playground's what-if: same rule, with quantities typed by a person (GraphQL Floats on the API). */
export function estimateCost(e: Estimate, rate: RateValues): CostBreakdown {
  const h = fromNumber(e.hours, 'hours');
  const times = (n: number, field: string) => {
    const q = fromNumber(n, field);
    return { num: q.num * h.num, den: q.den * h.den };
  };
  return price(times(e.cpus, 'cpus'), times(e.gpus, 'gpus'), times(e.memGB, 'memGB'), rate);
}
