/**
 * The real Slurm cluster brought up by `tests/system/slurm/up.sh`: where it is, how to run its commands as root or
 * as another user, and what Slurm itself reports (sreport, sacct) to compare our numbers with.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnExec, type Exec } from '../../../server/src/lib/exec.ts';

export const UP_SH = fileURLToPath(new URL('./up.sh', import.meta.url));

export interface SeedJob {
  name: string;
  user: string;
  account: string;
  /** The id sbatch printed (for an array: the array's own id). */
  jobId: string;
}

/** `$HPC_SLURM_DIR/env.json`, written by `up.sh up`. Times are epoch seconds. */
export interface SandboxEnv {
  dir: string;
  slurmConf: string;
  cluster: string;
  restdUrl: string;
  privateData: string;
  users: string[];
  seedStart: number;
  seedEnd: number;
  seedExpectedRecords: number;
  seedJobs: SeedJob[];
}

export type Availability = { ok: true; env: SandboxEnv } | { ok: false; reason: string };

export function sandboxDir(): string {
  return process.env.HPC_SLURM_DIR || '/tmp/hpc-accounting-slurm';
}

/** Whether the cluster is there and running; never starts anything (that is run.sh's job). */
export function findSandbox(): Availability {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not root: the Slurm system tests need root (tokens, runuser)' };
  const file = join(sandboxDir(), 'env.json');
  if (!existsSync(file)) return { ok: false, reason: `no ${file}: bring the cluster up with 'bash ${UP_SH} up'` };
  const env = JSON.parse(readFileSync(file, 'utf8')) as SandboxEnv;
  if (!env.seedEnd || !env.seedJobs?.length) return { ok: false, reason: `${file} has no finished seed jobs (up.sh up did not complete)` };
  const status = spawnSync('bash', [UP_SH, 'status'], { env: upEnv(), encoding: 'utf8' });
  if (status.status !== 0) return { ok: false, reason: `Slurm daemons are not all running:\n${status.stdout}${status.stderr}` };
  return { ok: true, env };
}

function upEnv(): NodeJS.ProcessEnv {
  return { ...process.env, HPC_SLURM_DIR: sandboxDir() };
}

/** A JWT for `user` from `scontrol token` (through up.sh, as root). */
export function token(user: string, lifespanSeconds = 3600): string {
  const out = execFileSync('bash', [UP_SH, 'token', user, String(lifespanSeconds)], { env: upEnv(), encoding: 'utf8' }).trim();
  if (!out) throw new Error(`up.sh token ${user} printed nothing`);
  return out;
}

/** spawnExec with this cluster's SLURM_CONF added to the command's environment (nothing global is changed). */
export function rootExec(env: SandboxEnv): Exec {
  return (cmd, args, opts) => spawnExec(cmd, args, { ...opts, env: { ...opts.env, SLURM_CONF: env.slurmConf } });
}

/**
 * Runs the command as `user` (`runuser -u USER -- env K=V... CMD ARGS`): `env` because runuser resets part of the
 * environment, and the source's own variables (TZ=UTC, SLURM_TIME_FORMAT) must reach sacct.
 */
export function userExec(env: SandboxEnv, user: string): Exec {
  return (cmd, args, opts) => {
    const vars = { ...opts.env, SLURM_CONF: env.slurmConf };
    const assignments = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
    return spawnExec('runuser', ['-u', user, '--', 'env', ...assignments, cmd, ...args], opts);
  };
}

/** Runs a Slurm client command as root with this cluster's config, in UTC; returns stdout or throws with stderr. */
export function slurmCmd(env: SandboxEnv, cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, {
    env: { ...process.env, SLURM_CONF: env.slurmConf, TZ: 'UTC', SLURM_TIME_FORMAT: 'standard' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC (the commands above run with TZ=UTC). */
export function slurmTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

export type Usage = Map<string, { cpuSeconds: number; gpuSeconds: number }>;

function add(usage: Usage, user: string, cpu: number, gpu: number): void {
  const u = usage.get(user) ?? { cpuSeconds: 0, gpuSeconds: 0 };
  u.cpuSeconds += cpu;
  u.gpuSeconds += gpu;
  usage.set(user, u);
}

/**
 * Per-user TRES-seconds from slurmdbd's usage tables, the numbers sreport bills from. Those tables are filled by the
 * hourly rollup, which only covers finished hours, so first ask slurmdbd to roll up [from, to) now (`sacctmgr rollup
 * START END`, a re-roll that does not move its own last-rollup marker). `-t Seconds` so nothing is rounded to minutes.
 */
export function sreportUsage(env: SandboxEnv, fromEpoch: number, toEpoch: number): Usage {
  slurmCmd(env, 'sacctmgr', ['-i', 'rollup', slurmTime(fromEpoch), slurmTime(toEpoch)]);
  const out = slurmCmd(env, 'sreport', [
    '-n',
    '-P',
    '-t',
    'Seconds',
    'cluster',
    'AccountUtilizationByUser',
    `cluster=${env.cluster}`,
    `start=${slurmTime(fromEpoch)}`,
    `end=${slurmTime(toEpoch)}`,
    '-T',
    'cpu,gres/gpu',
  ]);
  // Cluster|Account|Login|Proper Name|TRES Name|Used — account rows have an empty Login; users are summed over accounts.
  const usage: Usage = new Map();
  for (const line of out.split('\n')) {
    const f = line.split('|');
    if (f.length < 6 || !f[2]) continue;
    const used = Number(f[5]);
    if (!Number.isFinite(used)) throw new Error(`sreport: cannot read "${line}"`);
    if (f[4] === 'cpu') add(usage, f[2], used, 0);
    else if (f[4] === 'gres/gpu') add(usage, f[2], 0, used);
  }
  return usage;
}

/** Per-user CPU-seconds as sacct computes them (CPUTimeRAW = allocated CPUs × ElapsedRaw), allocations only. */
export function sacctCpuTimeRaw(env: SandboxEnv, fromEpoch: number, toEpoch: number): Map<string, number> {
  const out = slurmCmd(env, 'sacct', [
    '-X',
    '-n',
    '-P',
    '--allusers',
    '-S',
    slurmTime(fromEpoch),
    '-E',
    slurmTime(toEpoch),
    '-o',
    'User,CPUTimeRAW',
  ]);
  const byUser = new Map<string, number>();
  for (const line of out.split('\n')) {
    const [user, raw] = line.split('|');
    if (!user) continue;
    byUser.set(user, (byUser.get(user) ?? 0) + Number(raw));
  }
  return byUser;
}
