/**
 * The ledger against Slurm's own totals: per account, CPU-, GPU- and memory-hours from both, the difference, and
 * whether it is within the tolerance (a share of the larger side; 0.001 is 0.1 %).
 */

export interface HourTotals {
  cpuHours: number;
  gpuHours: number;
  memGBHours: number;
}

export interface ReconciliationRow {
  account: string;
  ledger: HourTotals;
  slurm: HourTotals;
  /** ledger − slurm */
  diff: HourTotals;
  /** The largest of the three relative differences (0 where both sides are 0) */
  worstRelative: number;
  withinTolerance: boolean;
}

const MEASURES = ['cpuHours', 'gpuHours', 'memGBHours'] as const;
const ZERO: HourTotals = { cpuHours: 0, gpuHours: 0, memGBHours: 0 };

/**
 * Differences below `floorHours` count as agreement whatever their share: sreport keeps whole seconds or minutes per
 * row, so an account with a few seconds of use can differ by a large share and still be right.
 */
export function reconcile(
  ledger: ReadonlyMap<string, HourTotals>,
  slurm: ReadonlyMap<string, HourTotals>,
  tolerance = 0.001,
  floorHours = 1 / 60,
): ReconciliationRow[] {
  const accounts = [...new Set([...ledger.keys(), ...slurm.keys()])].sort();
  return accounts.map((account) => {
    const l = ledger.get(account) ?? ZERO;
    const s = slurm.get(account) ?? ZERO;
    const diff = { cpuHours: l.cpuHours - s.cpuHours, gpuHours: l.gpuHours - s.gpuHours, memGBHours: l.memGBHours - s.memGBHours };
    let worst = 0;
    let ok = true;
    for (const m of MEASURES) {
      const d = Math.abs(diff[m]);
      const scale = Math.max(Math.abs(l[m]), Math.abs(s[m]));
      const rel = scale === 0 ? 0 : d / scale;
      worst = Math.max(worst, rel);
      if (rel > tolerance && d > floorHours) ok = false;
    }
    return { account, ledger: l, slurm: s, diff, worstRelative: worst, withinTolerance: ok };
  });
}
