/**
 * The Slurm cascade against a real Slurm 22.05 (slurmdbd + slurmrestd v0.0.38) brought up by
 * `tests/system/slurm/up.sh` with its seed jobs (run through `bash tests/system/run.sh`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { costOfUnits } from '@hpc-accounting/pricing/cost';
import { billingUnits } from '../../server/src/billing/cost.ts';
import { fetchJobs } from '../../server/src/slurm/cascade.ts';
import { createRestdSource } from '../../server/src/slurm/restd-client.ts';
import { createSacctSource } from '../../server/src/slurm/sacct.ts';
import type { FetchJobsQuery, NormalizedJob } from '../../server/src/slurm/types.ts';
import {
  findSandbox,
  rootExec,
  sacctCpuTimeRaw,
  sreportUsage,
  token,
  userExec,
  type SandboxEnv,
  type Usage,
} from './slurm/sandbox.ts';

const sandbox = findSandbox();
const TIMEOUT_MS = 60_000;

if (!sandbox.ok && process.env.HPC_SLURM_REQUIRED === '1') {
  describe('real Slurm', () => {
    it('is up (tests/system/run.sh brought it up)', () => {
      throw new Error(sandbox.reason);
    });
  });
}

describe.skipIf(!sandbox.ok)('Slurm sources against a real Slurm 22.05', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  /** The seed run, padded by a few seconds: jobs are submitted after seedStart and finished before seedEnd. */
  const query = (): FetchJobsQuery => ({ from: new Date((env.seedStart - 5) * 1000), to: new Date((env.seedEnd + 5) * 1000) });

  const restdAs = (user: string, tok: string) =>
    createRestdSource({ baseUrl: env.restdUrl, token: tok, userName: user, verifyTls: true, timeoutMs: TIMEOUT_MS, cluster: env.cluster });
  const sacctAsRoot = () => createSacctSource({ exec: rootExec(env), cluster: env.cluster, timeoutMs: TIMEOUT_MS, allUsers: true });

  /** Expected records: one per seed job, three for the array (`<id>_1` … `<id>_3`, the canonical ids). */
  const expected = new Map<string, { name: string; user: string; account: string }>();
  for (const seed of env?.seedJobs ?? []) {
    const ids = seed.name === 'seed-array' ? [1, 2, 3].map((t) => `${seed.jobId}_${t}`) : [seed.jobId];
    for (const id of ids) expected.set(id, { name: seed.name, user: seed.user, account: seed.account });
  }
  const seedId = (name: string) => {
    const s = env.seedJobs.find((j) => j.name === name);
    if (!s) throw new Error(`no seed job ${name} in env.json`);
    return s.jobId;
  };

  let restdRoot: NormalizedJob[];
  let sacctRoot: NormalizedJob[];

  beforeAll(async () => {
    const rootToken = token('root');
    [restdRoot, sacctRoot] = await Promise.all([
      restdAs('root', rootToken).fetchJobs(query()),
      sacctAsRoot().fetchJobs(query()),
    ]);
  });

  it('has the seed jobs of env.json (a sanity check of up.sh)', () => {
    expect(expected.size).toBe(env.seedExpectedRecords);
    expect(new Set([...expected.values()].map((e) => e.user))).toEqual(new Set(['alice', 'bob']));
  });

  it.each(['restd', 'sacct'] as const)('%s (as root) returns every finished seed job exactly once', (source) => {
    const jobs = source === 'restd' ? restdRoot : sacctRoot;
    const counts = new Map<string, number>();
    for (const j of jobs) counts.set(j.jobId, (counts.get(j.jobId) ?? 0) + 1);
    for (const [id, seed] of expected) {
      expect(counts.get(id), `${source}: job ${id} (${seed.name})`).toBe(1);
    }
    for (const j of jobs) {
      expect(j.cluster).toBe(env.cluster);
      const seed = expected.get(j.jobId);
      if (seed) {
        expect(j.user, `${j.jobId} user`).toBe(seed.user);
        expect(j.account, `${j.jobId} account`).toBe(seed.account);
        expect(j.name, `${j.jobId} name`).toBe(seed.name);
      }
    }
  });

  it('restd talks to /slurmdb (accounting), not /slurm (live jobs only), and the SlurmUser sees what root sees', async () => {
    const source = restdAs('slurm', token('slurm'));
    expect(await source.discover()).toMatchObject({ api: 'slurmdb', version: expect.stringMatching(/^v0\.0\.3[78]$/) });
    const jobs = await source.fetchJobs(query());
    expect(jobs.map((j) => j.jobId).sort()).toEqual(restdRoot.map((j) => j.jobId).sort());
  });

  it('restd (/slurmdb) and sacct give the same normalized records', () => {
    const project = (j: NormalizedJob) => ({
      user: j.user,
      account: j.account,
      partition: j.partition,
      name: j.name,
      state: j.state,
      submit: j.submit?.toISOString() ?? null,
      start: j.start?.toISOString() ?? null,
      end: j.end?.toISOString() ?? null,
      elapsedSeconds: j.elapsedSeconds,
      reqCpu: j.reqTres.cpu ?? 0,
      reqGpu: j.reqTres['gres/gpu'] ?? 0,
      reqMem: j.reqTres.mem ?? 0,
      allocCpu: j.allocTres.cpu ?? 0,
      allocGpu: j.allocTres['gres/gpu'] ?? 0,
      allocMem: j.allocTres.mem ?? 0,
    });
    const byId = (jobs: NormalizedJob[]) => new Map(jobs.map((j) => [j.jobId, j]));
    const r = byId(restdRoot);
    const s = byId(sacctRoot);
    expect([...r.keys()].sort()).toEqual([...s.keys()].sort());
    for (const [id, rj] of r) {
      const sj = s.get(id)!;
      expect(project(rj), `job ${id}`).toEqual(project(sj));
      // sacct prints TotalCPU in ms (MM:SS.mmm); slurmrestd gives µs per step. Within 1 s, as asked; it is ~ms here.
      expect(Math.abs(rj.totalCpuSeconds - sj.totalCpuSeconds), `job ${id} totalCpu ${rj.totalCpuSeconds} vs ${sj.totalCpuSeconds}`).toBeLessThan(1);
    }
  });

  it('the seed jobs look like what was submitted', () => {
    for (const [source, jobs] of [
      ['restd', restdRoot],
      ['sacct', sacctRoot],
    ] as const) {
      const job = (id: string) => {
        const j = jobs.find((x) => x.jobId === id);
        if (!j) throw new Error(`${source}: no job ${id}`);
        return j;
      };
      const cpu = job(seedId('seed-cpu-srun'));
      expect(cpu.state).toBe('COMPLETED');
      expect(cpu.elapsedSeconds).toBeGreaterThanOrEqual(2);
      // srun step 0 keeps every allocated CPU busy for ~3 s: real CPU time, summed from the steps. How much of it
      // a process gets depends on what else the (2-core) machine runs, so only "clearly more than a sleep" (~0.01 s).
      expect(cpu.totalCpuSeconds).toBeGreaterThan(0.5);
      expect(cpu.totalCpuSeconds).toBeLessThanOrEqual((cpu.allocTres.cpu ?? 1) * cpu.elapsedSeconds + 1);
      expect(job(seedId('seed-cpu-bob')).totalCpuSeconds).toBeGreaterThan(0.2);
      expect(job(seedId('seed-gpu2')).totalCpuSeconds).toBeLessThan(0.5); // sleep 3: next to nothing
      expect(job(seedId('seed-gpu1')).allocTres['gres/gpu']).toBe(1);
      expect(job(seedId('seed-gpu1')).partition).toBe('gpu');
      expect(job(seedId('seed-gpu2')).allocTres['gres/gpu']).toBe(2);
      expect(job(seedId('seed-gpu2')).reqTres['gres/gpu']).toBe(2);
      expect(cpu.allocTres['gres/gpu']).toBeUndefined();
      expect(job(seedId('seed-fail')).state).toBe('FAILED');
      const cancelled = job(seedId('seed-cancel-running'));
      expect(cancelled.state).toBe('CANCELLED');
      expect(cancelled.elapsedSeconds).toBeGreaterThan(0);
      expect(cancelled.allocTres.cpu).toBe(1);
      const pending = job(seedId('seed-cancel-pending'));
      expect(pending.state).toBe('CANCELLED');
      expect(pending.elapsedSeconds).toBe(0);
      expect(pending.allocTres.cpu ?? 0).toBe(0);
      const array = seedId('seed-array');
      for (const t of [1, 2, 3]) expect(job(`${array}_${t}`).state).toBe('COMPLETED');
      const timeout = env.seedJobs.find((j) => j.name === 'seed-timeout');
      if (timeout) expect(job(timeout.jobId).state).toBe('TIMEOUT');
    }
  });

  describe('CPU-hours and GPU-hours per user agree with what Slurm reports', () => {
    const zeroRate = { cpuPerHour: '0', gpuPerHour: '0', memGBPerHour: '0' };
    /** Our hours (the billing module's units × seconds), from one source, for the part of each job inside [from, to). */
    function ourUsage(jobs: NormalizedJob[], fromEpoch: number, toEpoch: number): Usage {
      const usage: Usage = new Map();
      for (const j of jobs) {
        if (!j.start || !j.end) continue; // never started, or still running: nothing used yet
        const s = Math.max(j.start.getTime() / 1000, fromEpoch);
        const e = Math.min(j.end.getTime() / 1000, toEpoch);
        if (e <= s) continue;
        const hours = costOfUnits(billingUnits(j), e - s, zeroRate);
        const u = usage.get(j.user) ?? { cpuSeconds: 0, gpuSeconds: 0 };
        u.cpuSeconds += hours.cpuHours * 3600;
        u.gpuSeconds += hours.gpuHours * 3600;
        usage.set(j.user, u);
      }
      return usage;
    }
    /**
     * Tolerance: none beyond float noise. Every number here is whole seconds: ElapsedRaw = end − start, and the
     * hourly rollup adds allocated TRES × (seconds of the job inside each hour), so over whole hours containing the
     * jobs it is Σ TRES × elapsed exactly; `-t Seconds` keeps sreport from rounding to minutes. A mismatch of even
     * 1 TRES-second is a real difference (wrong TRES, a job missing or counted twice).
     */
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
    function expectSameUsage(ours: Usage, slurm: Usage, label: string) {
      const users = new Set([...ours.keys(), ...slurm.keys()]);
      for (const user of users) {
        const o = ours.get(user) ?? { cpuSeconds: 0, gpuSeconds: 0 };
        const s = slurm.get(user) ?? { cpuSeconds: 0, gpuSeconds: 0 };
        expect(close(o.cpuSeconds, s.cpuSeconds), `${label} ${user}: CPU-seconds ours ${o.cpuSeconds} vs Slurm ${s.cpuSeconds}`).toBe(true);
        expect(close(o.gpuSeconds, s.gpuSeconds), `${label} ${user}: GPU-seconds ours ${o.gpuSeconds} vs Slurm ${s.gpuSeconds}`).toBe(true);
      }
    }

    it('sreport cluster AccountUtilizationByUser (after a rollup of the seed hours)', async () => {
      // Whole hours around the seed run: sreport reads hourly usage rows, so it can only answer for whole hours.
      const from = Math.floor((env.seedStart - 5) / 3600) * 3600;
      const to = Math.floor((env.seedEnd + 5) / 3600) * 3600 + 3600;
      const slurm = sreportUsage(env, from, to);
      // Every job of the window (not only the seed: a kept cluster may have run others in the same hours)
      const q = { from: new Date(from * 1000), to: new Date(Math.min(to * 1000, Date.now())) };
      const [r, s] = await Promise.all([restdAs('root', token('root')).fetchJobs(q), sacctAsRoot().fetchJobs(q)]);
      expect(slurm.get('alice')?.cpuSeconds ?? 0).toBeGreaterThan(0);
      expect(slurm.get('bob')?.gpuSeconds ?? 0).toBeGreaterThan(0);
      expectSameUsage(ourUsage(r, from, to), slurm, 'restd vs sreport');
      expectSameUsage(ourUsage(s, from, to), slurm, 'sacct vs sreport');
      const hours = (u: Usage) => Object.fromEntries([...u].map(([k, v]) => [k, { cpuH: v.cpuSeconds / 3600, gpuH: v.gpuSeconds / 3600 }]));
      console.info('usage per user (hours), sreport:', JSON.stringify(hours(slurm)));
    });

    it('sacct CPUTimeRAW (allocated CPUs × elapsed, per job)', () => {
      const q = query();
      const fromEpoch = q.from.getTime() / 1000;
      const toEpoch = q.to.getTime() / 1000;
      const raw = sacctCpuTimeRaw(env, fromEpoch, toEpoch);
      const slurm: Usage = new Map([...raw].map(([user, cpu]) => [user, { cpuSeconds: cpu, gpuSeconds: 0 }]));
      // Whole jobs here (no clipping): sacct's CPUTimeRAW is per job, whatever the window.
      for (const [label, jobs] of [
        ['restd', restdRoot],
        ['sacct', sacctRoot],
      ] as const) {
        const ours = ourUsage(jobs, 0, Number.MAX_SAFE_INTEGER);
        for (const u of ours.values()) u.gpuSeconds = 0;
        expectSameUsage(ours, slurm, `${label} vs sacct CPUTimeRAW`);
      }
    });
  });

  describe('PrivateData=jobs: alice sees only her own jobs', () => {
    const aliceSeed = () => [...expected].filter(([, e]) => e.user === 'alice').map(([id]) => id).sort();

    it('through slurmrestd with her own JWT', async () => {
      expect(env.privateData).toContain('jobs');
      const jobs = await restdAs('alice', token('alice')).fetchJobs(query());
      expect(new Set(jobs.map((j) => j.user))).toEqual(new Set(['alice']));
      expect(jobs.map((j) => j.jobId).sort()).toEqual(aliceSeed());
      // …while root sees bob's too, so the filter is Slurm's, not an empty window
      expect(restdRoot.some((j) => j.user === 'bob')).toBe(true);
    });

    it('while oper (AdminLevel=Operator) sees everyone\'s', async () => {
      const jobs = await restdAs('oper', token('oper')).fetchJobs(query());
      expect(jobs.map((j) => j.jobId).sort()).toEqual(restdRoot.map((j) => j.jobId).sort());
    });

    it('through sacct run as alice (runuser), even with --allusers', async () => {
      const source = createSacctSource({ exec: userExec(env, 'alice'), cluster: env.cluster, timeoutMs: TIMEOUT_MS, allUsers: true });
      const jobs = await source.fetchJobs(query());
      expect(new Set(jobs.map((j) => j.user))).toEqual(new Set(['alice']));
      expect(jobs.map((j) => j.jobId).sort()).toEqual(aliceSeed());
      expect(sacctRoot.some((j) => j.user === 'bob')).toBe(true);
    });
  });

  describe('the cascade', () => {
    it('falls through to sacct when slurmrestd refuses the token, and says why', async () => {
      // A well-formed JWT with a forged signature: what an expired key or a token from another cluster looks like.
      const [head, payload] = token('root').split('.');
      const forged = `${head}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
      const result = await fetchJobs(query(), [restdAs('root', forged), sacctAsRoot()], { timeoutMs: TIMEOUT_MS });
      expect(result.source).toBe('sacct');
      expect(result.attempts.map((a) => [a.source, a.ok])).toEqual([
        ['restd', false],
        ['sacct', true],
      ]);
      const reason = result.attempts[0].reason ?? '';
      console.info('restd attempt with a forged token failed with:', reason);
      expect(reason).toMatch(/^restd: /);
      // 22.05's slurmrestd passes the token on; slurmdbd refuses it and slurmrestd answers HTTP 200 with an error list
      expect(reason).toMatch(/authentication/i);
      expect(result.attempts[1].count).toBe(result.jobs.length);
      expect(result.jobs.map((j) => j.jobId).sort()).toEqual(sacctRoot.map((j) => j.jobId).sort());
    });

    it('falls through to sacct when slurmrestd is unreachable', async () => {
      const closed = createRestdSource({ baseUrl: 'http://127.0.0.1:9', token: 'x', userName: 'root', timeoutMs: 5_000, cluster: env.cluster });
      const result = await fetchJobs(query(), [closed, sacctAsRoot()], { timeoutMs: TIMEOUT_MS });
      expect(result.source).toBe('sacct');
      expect(result.attempts[0]).toMatchObject({ source: 'restd', ok: false });
      expect(result.attempts[0].reason).toMatch(/cannot reach|ECONNREFUSED/);
    });

    it('uses slurmrestd when it answers', async () => {
      const result = await fetchJobs(query(), [restdAs('root', token('root')), sacctAsRoot()], { timeoutMs: TIMEOUT_MS });
      expect(result.source).toBe('restd');
      expect(result.attempts).toHaveLength(1);
      expect(result.jobs.map((j) => j.jobId).sort()).toEqual(restdRoot.map((j) => j.jobId).sort());
    });
  });
});
