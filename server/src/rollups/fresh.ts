import { bucketStart } from './calendar.ts';

/**
 * The rollup rows of jobs new to the ledger, summed in code instead of in SQL. A first sync stores a year of jobs
 * nobody has seen, into quarter hours that hold nothing yet: there is nothing to take away and nothing billed, so
 * their rows are the batch's own sums, added to the day, month and marginal rows as they are. Summing them in SQL
 * priced every job again through joins and temporary tables; here each job is priced once, exactly as
 * `pricedJobs` (billing/usage.ts) prices an unbilled job, and tests hold the two to the same rows.
 */

/** A rate in µTHB per hour of each unit, as `pricedJobs` multiplies it. */
export interface MicroRate {
  cpu: number;
  gpu: number;
  mem: number;
}

export interface MicroOverride extends MicroRate {
  id: number;
  tier: string;
  partition: string | null;
  gpuType: string | null;
}

/** What prices an unbilled job: each tier's rate, the overrides in force, and whose tier is what. */
export interface FreshPricing {
  rates: ReadonlyMap<string, MicroRate>;
  overrides: readonly MicroOverride[];
  userTiers: ReadonlyMap<string, string>;
  /** Only the accounts an admin gave a tier of their own. */
  accountTiers: ReadonlyMap<string, string>;
  defaultTier: string;
}

/** A finished job as the ledger stores it. */
export interface FreshJob {
  end: number;
  cluster: string;
  user: string;
  account: string | null;
  partition: string | null;
  state: string;
  allocTres: string;
  cpus: number;
  gpus: number;
  memMiB: number;
  elapsedSeconds: number;
}

/** jobs, elapsedSec, cpuSec, gpuSec, memMiBSec, costSatang, cpuCostSatang, gpuCostSatang */
export type Measures = [number, number, number, number, number, number, number, number];

/** The rollup's grain: every real zone's offset from UTC is a whole number of quarter hours. */
export const SLOT_MS = 15 * 60_000;

// D = 3600 s × 1024 MiB × 10⁴ µTHB per satang, as in billing/usage.ts.
const D = 3600 * 1024 * 10_000;
const BIG_D = BigInt(D);

/** round(secs × u / D), half up, in the two parts the SQL computes it in; NaN where a step leaves 53 bits. */
function satang(u: number, secs: number): number {
  const r = u % D;
  const t = 2 * r * secs + D;
  if (!Number.isSafeInteger(u) || !Number.isSafeInteger(t)) return Number.NaN;
  const whole = ((u - r) / D) * secs + (t - (t % (2 * D))) / (2 * D);
  return Number.isSafeInteger(whole) ? whole : Number.NaN;
}

/** The same in BigInt, for the jobs whose steps leave 53 bits; NaN where even the result does. */
function bigSatang(u: bigint, secs: bigint): number {
  const exact = (u / BIG_D) * secs + (2n * (u % BIG_D) * secs + BIG_D) / (2n * BIG_D);
  return exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : Number.NaN;
}

const specificity = (o: Pick<MicroOverride, 'partition' | 'gpuType'>) => (o.partition !== null ? 1 : 0) + (o.gpuType !== null ? 2 : 0);

/** The tier a job is priced at: its account's own, else its owner's, else the default (tierSql). */
export function freshTier(job: Pick<FreshJob, 'user' | 'account'>, p: FreshPricing): string {
  return (job.account !== null ? p.accountTiers.get(job.account) : undefined) ?? p.userTiers.get(job.user) ?? p.defaultTier;
}

/**
 * The rate of a job: the most specific override of its tier that matches (by id among equals), else the tier's own;
 * undefined when its tier has none, which prices it at zero. A GPU type matches as SQLite's LIKE does, whatever the
 * letters' case.
 */
export function freshRate(job: Pick<FreshJob, 'partition' | 'allocTres'>, tier: string, p: FreshPricing): MicroRate | undefined {
  let best: MicroOverride | undefined;
  let tres: string | undefined;
  for (const o of p.overrides) {
    if (o.tier !== tier) continue;
    if (o.partition !== null && o.partition !== job.partition) continue;
    if (o.gpuType !== null) {
      tres ??= job.allocTres.toLowerCase();
      if (!tres.includes(`"gres/gpu:${o.gpuType.toLowerCase()}"`)) continue;
    }
    if (!best || specificity(o) > specificity(best) || (specificity(o) === specificity(best) && o.id < best.id)) best = o;
  }
  return best ?? p.rates.get(tier);
}

/** A job's measures alone, priced at its rate; NaN in any that leaves 53 bits. */
export function freshMeasures(job: FreshJob, rate: MicroRate | undefined): Measures {
  const secs = job.elapsedSeconds;
  const m: Measures = [1, secs, job.cpus * secs, job.gpus * secs, job.memMiB * secs, 0, 0, 0];
  if (!rate) return m;
  const uc = job.cpus * 1024 * rate.cpu;
  const ug = job.gpus * 1024 * rate.gpu;
  const u = uc + ug + job.memMiB * rate.mem;
  [m[5], m[6], m[7]] = [satang(u, secs), satang(uc, secs), satang(ug, secs)];
  if (Number.isNaN(m[5] + m[6] + m[7])) {
    // A job of weeks on thousands of CPUs: its products are exact in BigInt only.
    const bc = BigInt(job.cpus) * 1024n * BigInt(rate.cpu);
    const bg = BigInt(job.gpus) * 1024n * BigInt(rate.gpu);
    const bs = BigInt(secs);
    [m[5], m[6], m[7]] = [bigSatang(bc + bg + BigInt(job.memMiB) * BigInt(rate.mem), bs), bigSatang(bc, bs), bigSatang(bg, bs)];
  }
  return m;
}

function add(into: Measures, m: Measures) {
  for (let i = 0; i < 8; i++) into[i] += m[i];
}

/** The marginal fields, as MARGINAL_DIMS (levels.ts) names them: '' sums everything. */
const DIMS = ['', 'user', 'account', 'partition', 'tier', 'cluster', 'state'] as const;

/** One row of each level, keyed by its key columns; `bucket` is an instant in ms. Every row is unbilled. */
export interface FreshRows {
  /** bucket (quarter hour), cluster, user, account, partition, state, tier */
  slots: Map<string, { key: [number, string, string, string, string, string, string]; sums: Measures }>;
  /** bucket (local day), cluster, account, partition, state, tier */
  days: Map<string, { key: [number, string, string, string, string, string]; sums: Measures }>;
  /** bucket (local month), cluster, user, account, partition, state, tier */
  months: Map<string, { key: [number, string, string, string, string, string, string]; sums: Measures }>;
  /** bucket (local day or month), dim, value */
  marginalDays: Map<string, { key: [number, string, string]; sums: Measures }>;
  marginalMonths: Map<string, { key: [number, string, string]; sums: Measures }>;
}

const zero = (): Measures => [0, 0, 0, 0, 0, 0, 0, 0];

function into<K extends unknown[]>(map: Map<string, { key: K; sums: Measures }>, key: K, m: Measures) {
  const id = key.join('\u0000');
  let row = map.get(id);
  if (!row) map.set(id, (row = { key, sums: zero() }));
  add(row.sums, m);
}

/**
 * Every level's rows for new, unbilled, finished jobs, with the local days and months of `zone` (the rollup zone,
 * whose calendar must hold these days before the rows are stored). Each level is summed from the one below it that
 * holds what it needs: the quarter hours from the jobs, the day and month rows and the users' marginal days from the
 * quarter hours, the other fields' marginal days from the day rows, the marginal months from the marginal days.
 * Null when a sum would leave the 53 bits a double holds exactly.
 */
export function freshRollups(jobs: Iterable<FreshJob>, p: FreshPricing, zone: string): FreshRows | null {
  const out: FreshRows = { slots: new Map(), days: new Map(), months: new Map(), marginalDays: new Map(), marginalMonths: new Map() };
  for (const job of jobs) {
    const slot = job.end - (((job.end % SLOT_MS) + SLOT_MS) % SLOT_MS);
    const tier = freshTier(job, p);
    into(out.slots, [slot, job.cluster, job.user, job.account ?? '', job.partition ?? '', job.state, tier], freshMeasures(job, freshRate(job, tier, p)));
  }
  // A batch's jobs end in a few hundred quarter hours: each one's local day and month is found once.
  const calendar = new Map<number, [number, number]>();
  const monthOf = new Map<number, number>();
  for (const { key, sums } of out.slots.values()) {
    const [slot, cluster, user, account, partition, state, tier] = key;
    let local = calendar.get(slot);
    if (!local) {
      calendar.set(slot, (local = [bucketStart(slot, 'DAY', zone), bucketStart(slot, 'MONTH', zone)]));
      monthOf.set(local[0], local[1]);
    }
    const [day, month] = local;
    into(out.days, [day, cluster, account, partition, state, tier], sums);
    into(out.months, [month, cluster, user, account, partition, state, tier], sums);
    into(out.marginalDays, [day, 'user', user], sums);
  }
  for (const { key, sums } of out.days.values()) {
    const [day, cluster, account, partition, state, tier] = key;
    const values: Record<Exclude<(typeof DIMS)[number], 'user'>, string> = { '': '', account, partition, tier, cluster, state };
    for (const dim of DIMS) if (dim !== 'user') into(out.marginalDays, [day, dim, values[dim]], sums);
  }
  for (const { key, sums } of out.marginalDays.values()) into(out.marginalMonths, [monthOf.get(key[0])!, key[1], key[2]], sums);
  // The whole-batch sums are the largest: where one leaves 53 bits (never for real jobs), SQL sums the batch.
  for (const level of [out.marginalMonths, out.months, out.slots]) {
    for (const { sums } of level.values()) if (!sums.every(Number.isSafeInteger)) return null;
  }
  return out;
}
