/**
 * Which rate prices a job: the most specific override of its tier in force (its partition and GPU type, then its GPU
 * type, then its partition), else the tier's own rate. Plain functions, so the database's pricing (billing/usage.ts)
 * and every per-job price in code pick the same rule.
 */
import type { RateValues } from '@hpc-accounting/pricing/cost';

export interface RateOverride extends RateValues {
  id: number;
  tier: string;
  partition: string | null;
  gpuType: string | null;
}

/** How specific a rule is; the database's pricing orders by the same number. */
export const specificity = (r: Pick<RateOverride, 'partition' | 'gpuType'>) => (r.partition !== null ? 1 : 0) + (r.gpuType !== null ? 2 : 0);

/** The GPU types a job's TRES name (`gres/gpu:a100=4` → a100). */
export function gpuTypesOf(tres: Record<string, number> | string): string[] {
  const map: Record<string, number> = typeof tres === 'string' ? (JSON.parse(tres) as Record<string, number>) : tres;
  return Object.keys(map)
    .filter((k) => k.startsWith('gres/gpu:') && (map[k] ?? 0) > 0)
    .map((k) => k.slice('gres/gpu:'.length));
}

/** A GPU type or partition as Slurm names them: no spaces, quotes, `%`, `_` wildcards or TRES separators. */
export const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;

export function pickRate(
  overrides: readonly RateOverride[],
  base: RateValues,
  job: { tier: string; partition: string | null; gpuTypes: readonly string[] },
): RateValues {
  let best: RateOverride | null = null;
  for (const r of overrides) {
    if (r.tier !== job.tier) continue;
    if (r.partition !== null && r.partition !== job.partition) continue;
    if (r.gpuType !== null && !job.gpuTypes.includes(r.gpuType)) continue;
    if (!best || specificity(r) > specificity(best) || (specificity(r) === specificity(best) && r.id < best.id)) best = r;
  }
  return best ?? base;
}
