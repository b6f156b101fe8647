/**
 * Accounts, associations and sreport's totals against the real Slurm 22.05 brought up by `tests/system/slurm/up.sh`
 * (its account tree: root > physics, chemistry, ops; root > science > astro; coordinators alice of science, oper of
 * astro). Run through `bash tests/system/run.sh tests/system/assoc.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { type Db, openDatabase } from '../../server/src/db/client.ts';
import { syncJobs } from '../../server/src/jobs/sync.ts';
import { reconcile } from '../../server/src/reconcile/compare.ts';
import { ledgerHoursInWindow } from '../../server/src/reconcile/store.ts';
import { type AccountTree, fetchAssociations, fetchRestdAssociations } from '../../server/src/slurm/assoc.ts';
import { createSacctSource } from '../../server/src/slurm/sacct.ts';
import { accountTotals, fetchSreport, type SreportTotals } from '../../server/src/slurm/sreport.ts';
import { findSandbox, rootExec, type SandboxEnv, slurmCmd, slurmTime, sreportUsage, token, userExec } from './slurm/sandbox.ts';

const sandbox = findSandbox();
const TIMEOUT_MS = 60_000;

if (!sandbox.ok && process.env.HPC_SLURM_REQUIRED === '1') {
  describe('real Slurm', () => {
    it('is up (tests/system/run.sh brought it up)', () => {
      throw new Error(sandbox.reason);
    });
  });
}

describe.skipIf(!sandbox.ok)('accounts and associations from a real Slurm 22.05', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  let viaSacctmgr: AccountTree;
  let viaRestd: AccountTree;

  beforeAll(async () => {
    [viaSacctmgr, viaRestd] = await Promise.all([
      fetchAssociations({ exec: rootExec(env), timeoutMs: TIMEOUT_MS, cluster: env.cluster }),
      fetchRestdAssociations({ baseUrl: env.restdUrl, token: token('root'), userName: 'root', timeoutMs: TIMEOUT_MS, cluster: env.cluster }),
    ]);
  });

  const account = (name: string) => {
    const a = viaSacctmgr.accounts.find((x) => x.name === name);
    if (!a) throw new Error(`no account ${name}`);
    return a;
  };

  it('has the seeded accounts and the tree', () => {
    const names = viaSacctmgr.accounts.map((a) => a.name);
    for (const name of ['root', 'physics', 'chemistry', 'ops', 'science', 'astro']) expect(names).toContain(name);
    expect(account('root').parent).toBeNull();
    for (const name of ['physics', 'chemistry', 'ops', 'science']) expect(account(name).parent, name).toBe('root');
    expect(account('astro')).toEqual({ name: 'astro', description: 'astronomy-group', organization: 'science', parent: 'science', coordinators: ['alice', 'oper'] });
    expect(account('ops')).toMatchObject({ description: 'operations', organization: 'it' });
  });

  it('lists coordinators, a coordinator of science also on its sub-account', () => {
    expect(account('science').coordinators).toEqual(['alice']);
    expect(account('astro').coordinators).toEqual(['alice', 'oper']);
    expect(account('physics').coordinators).toEqual([]);
  });

  it('has the users\' associations, one limited to a partition', () => {
    const users = viaSacctmgr.associations.filter((a) => a.user).map((a) => `${a.user}@${a.account}${a.partition ? `:${a.partition}` : ''}`);
    for (const u of ['alice@physics', 'alice@chemistry', 'alice@astro', 'bob@chemistry', 'bob@astro:gpu', 'oper@ops', 'admin1@ops']) {
      expect(users).toContain(u);
    }
    expect(viaSacctmgr.associations.every((a) => a.cluster === env.cluster)).toBe(true);
    expect(viaSacctmgr.associations.find((a) => a.account === 'astro' && a.user === null)?.parentAccount).toBe('science');
  });

  it('sacctmgr and slurmrestd give the same normalised answer', () => {
    expect(viaRestd).toEqual(viaSacctmgr);
  });

  it('a plain user sees the same accounts (PrivateData hides jobs and usage, not accounts)', async () => {
    const [asAlice, restdAsAlice] = await Promise.all([
      fetchAssociations({ exec: userExec(env, 'alice'), timeoutMs: TIMEOUT_MS, cluster: env.cluster }),
      fetchRestdAssociations({ baseUrl: env.restdUrl, token: token('alice'), userName: 'alice', timeoutMs: TIMEOUT_MS, cluster: env.cluster }),
    ]);
    expect(asAlice).toEqual(viaSacctmgr);
    expect(restdAsAlice).toEqual(viaSacctmgr);
  });
});

describe.skipIf(!sandbox.ok)('sreport totals from a real Slurm 22.05', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  // Whole hours around the seed run; sreportUsage rolls them up first (sreport reads only rolled-up hours).
  const from = () => Math.floor((env.seedStart - 5) / 3600) * 3600;
  const to = () => Math.floor((env.seedEnd + 5) / 3600) * 3600 + 3600;
  const fetch = (unit: 'minutes' | 'seconds') =>
    fetchSreport({
      exec: rootExec(env),
      timeoutMs: TIMEOUT_MS,
      cluster: env.cluster,
      from: new Date(from() * 1000),
      to: new Date(to() * 1000),
      unit,
    });

  /** Parent of each account as Slurm has it (sreport's rows do not say). */
  let parents: Map<string, string | null>;
  const parentOf = (name: string) => parents.get(name) ?? null;

  beforeAll(async () => {
    slurmCmd(env, 'sacctmgr', ['-i', 'rollup', slurmTime(from()), slurmTime(to())]);
    const tree = await fetchAssociations({ exec: rootExec(env), timeoutMs: TIMEOUT_MS, cluster: env.cluster });
    parents = new Map(tree.accounts.map((a) => [a.name, a.parent]));
  });

  it('reads the same per-user CPU and GPU seconds as the sandbox\'s own sreport reading', async () => {
    const { rows } = await fetch('seconds');
    const slurm = sreportUsage(env, from(), to());
    const ours = new Map<string, { cpuSeconds: number; gpuSeconds: number }>();
    for (const r of rows) {
      if (!r.user || r.tres === 'mem') continue;
      const u = ours.get(r.user) ?? { cpuSeconds: 0, gpuSeconds: 0 };
      if (r.tres === 'cpu') u.cpuSeconds += r.minutes * 60;
      else u.gpuSeconds += r.minutes * 60;
      ours.set(r.user, u);
    }
    for (const [user, s] of slurm) {
      expect(ours.get(user)?.cpuSeconds, user).toBeCloseTo(s.cpuSeconds, 6);
      expect(ours.get(user)?.gpuSeconds, user).toBeCloseTo(s.gpuSeconds, 6);
    }
    expect(ours.get('alice')?.cpuSeconds ?? 0).toBeGreaterThan(0);
  });

  it('every account has a row per TRES, and root\'s total is its children\'s', async () => {
    const { rows, from: f, to: t } = await fetch('minutes');
    expect([f.getTime() / 1000, t.getTime() / 1000]).toEqual([from(), to()]);
    for (const account of ['root', 'physics', 'chemistry']) {
      expect(rows.filter((r) => r.account === account && r.user === null).map((r) => r.tres).sort(), account).toEqual(['cpu', 'gres/gpu', 'mem']);
    }
    const exact = accountTotals((await fetch('seconds')).rows);
    const children = [...exact].filter(([name]) => name !== 'root' && parentOf(name) === 'root');
    const sum = (k: keyof SreportTotals) => children.reduce((s, [, v]) => s + v[k], 0);
    for (const k of ['cpuHours', 'memGBHours', 'gpuHours'] as const) expect(exact.get('root')![k], k).toBeCloseTo(sum(k), 9);
  });

  it('per-account hours (own usage) equal the jobs\' allocations × their time in the window, from sacct', async () => {
    const exact = accountTotals((await fetch('seconds')).rows, { own: true });
    const jobs = await createSacctSource({ exec: rootExec(env), cluster: env.cluster, timeoutMs: TIMEOUT_MS, allUsers: true }).fetchJobs({
      from: new Date(from() * 1000),
      to: new Date(Math.min(to() * 1000, Date.now())),
    });
    const ours = new Map<string, SreportTotals>();
    for (const j of jobs) {
      if (!j.start || !j.end || !j.account) continue;
      const secs = Math.min(j.end.getTime() / 1000, to()) - Math.max(j.start.getTime() / 1000, from());
      if (secs <= 0) continue;
      const t = ours.get(j.account) ?? { cpuHours: 0, memGBHours: 0, gpuHours: 0 };
      t.cpuHours += ((j.allocTres.cpu ?? 0) * secs) / 3600;
      t.memGBHours += ((j.allocTres.mem ?? 0) * secs) / 1024 / 3600;
      t.gpuHours += ((j.allocTres['gres/gpu'] ?? 0) * secs) / 3600;
      ours.set(j.account, t);
    }
    for (const name of new Set([...ours.keys(), ...exact.keys()])) {
      const o = ours.get(name) ?? { cpuHours: 0, memGBHours: 0, gpuHours: 0 };
      const s = exact.get(name) ?? { cpuHours: 0, memGBHours: 0, gpuHours: 0 };
      for (const k of ['cpuHours', 'memGBHours', 'gpuHours'] as const) expect(o[k], `${name} ${k}: jobs ${o[k]} vs sreport ${s[k]}`).toBeCloseTo(s[k], 9);
    }
    expect(exact.get('physics')?.cpuHours ?? 0).toBeGreaterThan(0);
    console.info('sreport hours per account (own usage):', JSON.stringify(Object.fromEntries(exact)));
  });
});

describe.skipIf(!sandbox.ok)('the reconciliation of the ledger against a real sreport', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  const from = () => new Date(Math.floor((env.seedStart - 5) / 3600) * 3600 * 1000);
  const to = () => new Date((Math.floor((env.seedEnd + 5) / 3600) * 3600 + 3600) * 1000);
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-reconcile-'));
    db = openDatabase(path.join(dir, 'ledger.db'));
    slurmCmd(env, 'sacctmgr', ['-i', 'rollup', slurmTime(from().getTime() / 1000), slurmTime(to().getTime() / 1000)]);
  });
  afterAll(async () => {
    await db?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds every account’s CPU-, GPU- and memory-hours in the ledger within 0.1 % of sreport’s', async () => {
    const source = createSacctSource({ exec: rootExec(env), cluster: env.cluster, timeoutMs: TIMEOUT_MS, allUsers: true });
    const run = await syncJobs(db, [source], { from: new Date(env.seedStart * 1000 - 60_000), to: new Date(env.seedEnd * 1000 + 60_000), trigger: 'cli' }, systemMeta());
    expect(run.status).toBe('ok');
    const report = await fetchSreport({ exec: rootExec(env), timeoutMs: TIMEOUT_MS, cluster: env.cluster, from: from(), to: to(), unit: 'seconds' });
    const rows = reconcile(await ledgerHoursInWindow(db, env.cluster, report.from, report.to), accountTotals(report.rows, { own: true }), 0.001, 0);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect(r, `${r.account}: ledger ${JSON.stringify(r.ledger)} vs sreport ${JSON.stringify(r.slurm)}`).toMatchObject({ withinTolerance: true });
    expect(rows.find((r) => r.account === 'physics')?.ledger.cpuHours ?? 0).toBeGreaterThan(0);
    console.info('reconciliation:', JSON.stringify(rows.map((r) => [r.account, r.worstRelative])));
  });
});
