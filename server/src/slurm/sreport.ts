import { type Exec, spawnExec } from '../lib/exec.ts';
import { runToText } from './command.ts';
import { SlurmSourceError } from './types.ts';

/**
 * Slurm's own usage totals (`sreport cluster AccountUtilizationByUser`), to reconcile the ledger against.
 *
 * sreport reads slurmdbd's hourly usage tables, not the jobs: an hour counts only once slurmdbd has rolled it up
 * (hourly, shortly after the hour ends; `sacctmgr rollup` forces it), and the window is whole hours. Up to 24.11
 * sreport rounds start and end to the *nearest* hour (from :29:30 up), and from 25.05 it rounds start down and end
 * up (https://github.com/SchedMD/slurm/commit/be741e340a); a window under an hour becomes the hour from its start
 * (slurmdb_report_set_start_end_time() in src/common/slurmdb_defs.c). So fetchSreport widens the window to whole
 * hours itself, which every version then reads the same way, and says which window it asked for.
 */

export const SREPORT_TRES = ['cpu', 'mem', 'gres/gpu'] as const;
export type SreportTres = (typeof SREPORT_TRES)[number];

export interface SreportRow {
  account: string;
  /** null: the account's own row, which includes the usage of its sub-accounts (root's is the cluster's total). */
  user: string | null;
  tres: SreportTres;
  /** TRES-minutes: CPU-minutes, MB-minutes of memory (Slurm's MB are MiB), GPU-minutes. */
  minutes: number;
}

/** `-t Minutes` (sreport's default unit) or `-t Seconds` (exact: minutes are rounded per row, see parseSreport). */
export type SreportUnit = 'minutes' | 'seconds';

const HOUR_MS = 3_600_000;

/** [from, to) widened to whole UTC hours, at least one. */
export function sreportWindow(from: Date, to: Date): { from: Date; to: Date } {
  const start = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.max(Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS, start + HOUR_MS);
  return { from: new Date(start), to: new Date(end) };
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC; sreport reads it in its local zone, which fetchSreport sets to UTC. */
function sreportTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/**
 * The argv for sreport (no shell), checked on 22.05: `-n -P` print only the data lines (no banner, no header), `-T`
 * picks the TRES (one line per TRES, with a TRES Name field), `-t` the unit. The window should be whole hours
 * (sreportWindow).
 */
export function sreportArgs(q: { cluster: string; from: Date; to: Date; unit?: SreportUnit }): string[] {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(q.cluster)) throw new SlurmSourceError('sreport', `"${q.cluster}" is not a valid cluster name`);
  return [
    '--noheader',
    '--parsable2',
    '-t',
    q.unit === 'seconds' ? 'Seconds' : 'Minutes',
    `--tres=${SREPORT_TRES.join(',')}`,
    'cluster',
    'AccountUtilizationByUser',
    `cluster=${q.cluster}`,
    `start=${sreportTime(q.from)}`,
    `end=${sreportTime(q.to)}`,
  ];
}

export interface SreportParseOptions {
  /** The unit sreport was asked for (default minutes); seconds are converted to (fractional) minutes. */
  unit?: SreportUnit;
}

/**
 * `Cluster|Account|Login|Proper Name|TRES Name|Used` lines → rows. Account rows have an empty Login. Proper Name is
 * the user's GECOS field, free text, so the fields are read from both ends. With `-t Minutes` each row is rounded to
 * whole minutes on its own: an account's row need not equal the sum of its users' rows, and a job of a few seconds
 * shows as 0. TRES sreport does not account (not in AccountingStorageTRES) are silently absent from its output.
 */
export function parseSreport(text: string, opts: SreportParseOptions = {}): SreportRow[] {
  const perMinute = opts.unit === 'seconds' ? 60 : 1;
  const rows: SreportRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    const where = `sreport output line ${i + 1}`;
    const f = line.split('|');
    if (f.length < 6) throw new SlurmSourceError('sreport', `${where} has ${f.length} fields, expected 6 (Cluster|Account|Login|Proper Name|TRES Name|Used): "${line.slice(0, 80)}"`);
    if (f[0] === 'Cluster' && f[1] === 'Account') return; // a header, when -n was left out
    const account = f[1];
    const tres = f[f.length - 2];
    const used = f[f.length - 1];
    if (!account) throw new SlurmSourceError('sreport', `${where} has no account: "${line.slice(0, 80)}"`);
    if (!(SREPORT_TRES as readonly string[]).includes(tres)) {
      throw new SlurmSourceError('sreport', `${where}: unexpected TRES "${tres}" (asked for ${SREPORT_TRES.join(', ')})`);
    }
    if (!/^\d+$/.test(used)) throw new SlurmSourceError('sreport', `${where}: Used "${used}" is not a whole number (was -t Percent given?)`);
    rows.push({ account, user: f[2] || null, tres: tres as SreportTres, minutes: Number(used) / perMinute });
  });
  return rows;
}

export interface SreportTotals {
  cpuHours: number;
  /** From sreport's MB-minutes: ÷ 1024 ÷ 60 (Slurm's MB are MiB; a GB here is 1024 MiB, as in billing). */
  memGBHours: number;
  gpuHours: number;
}

/**
 * Per account, from its own rows (user null): Slurm's account totals, each including its sub-accounts' usage.
 * `own: true` sums the account's user rows instead, only the usage charged to it directly (what ledger rows
 * with that account add up to), at the cost of adding up each row's rounding.
 */
export function accountTotals(rows: readonly SreportRow[], opts: { own?: boolean } = {}): Map<string, SreportTotals> {
  const totals = new Map<string, SreportTotals>();
  for (const r of rows) {
    if ((r.user === null) === Boolean(opts.own)) continue;
    const t = totals.get(r.account) ?? { cpuHours: 0, memGBHours: 0, gpuHours: 0 };
    if (r.tres === 'cpu') t.cpuHours += r.minutes / 60;
    else if (r.tres === 'mem') t.memGBHours += r.minutes / 1024 / 60;
    else t.gpuHours += r.minutes / 60;
    totals.set(r.account, t);
  }
  return totals;
}

export interface FetchSreportOptions {
  exec?: Exec;
  /** The sreport binary (a name on PATH or a full path); default `sreport`. */
  sreportPath?: string;
  /** Added to the command's environment, e.g. SLURM_CONF (TZ is always UTC). */
  env?: Record<string, string>;
  timeoutMs: number;
  cluster: string;
  from: Date;
  to: Date;
  unit?: SreportUnit;
  signal?: AbortSignal;
}

export interface SreportResult {
  /** The whole-hour window asked for (sreportWindow of from, to). */
  from: Date;
  to: Date;
  rows: SreportRow[];
}

export async function fetchSreport(opts: FetchSreportOptions): Promise<SreportResult> {
  const window = sreportWindow(opts.from, opts.to);
  const args = sreportArgs({ cluster: opts.cluster, ...window, unit: opts.unit });
  // sreport reads start/end, and rounds them to hours, in its local zone: in UTC they are the hours asked for.
  const env = { ...opts.env, TZ: 'UTC' };
  const text = await runToText('sreport', opts.exec ?? spawnExec, opts.sreportPath ?? 'sreport', args, {
    env,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
  });
  return { ...window, rows: parseSreport(text, { unit: opts.unit }) };
}
