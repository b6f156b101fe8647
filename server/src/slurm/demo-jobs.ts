import { stringify } from 'csv-stringify/sync';
import { CSV_COLUMNS } from './csv.ts';
import { formatElapsed, formatTres } from './tres.ts';
import type { NormalizedJob, TresMap } from './types.ts';

export interface DemoOptions {
  seed?: number;
  /** Approximate number of jobs (array tasks and het components count one each). */
  count?: number;
  now?: Date;
  days?: number;
  cluster?: string;
}

export const DEMO_NOW = new Date('2026-11-26T00:00:00Z');

const USERS = [
  { user: 'alice', uid: 1001, accounts: ['physics'], weight: 30 },
  { user: 'bob', uid: 1002, accounts: ['chemistry'], weight: 25 },
  { user: 'carol', uid: 1003, accounts: ['biology'], weight: 22 },
  { user: 'dave', uid: 1004, accounts: ['physics', 'chemistry'], weight: 18 },
  { user: 'admin', uid: 1000, accounts: ['ops'], weight: 5 },
] as const;

const NAMES: Record<string, string[]> = {
  physics: ['lattice_qcd', 'nbody_sim', 'cfd_wing', 'mc_transport', 'wrf_d02'],
  chemistry: ['dft_relax', 'md_run', 'gaussian_opt', 'vasp_scf', 'orca_tddft'],
  biology: ['blast_search', 'alphafold_predict', 'rnaseq_align', 'gatk_call', 'preprocess'],
  ops: ['backup-verify', 'node-health', 'scratch-purge'],
};
const GPU_NAMES = ['train_resnet50', 'llm_finetune', 'cryoem_refine', 'gromacs_gpu'];

const FINAL_STATES: Array<[string, number]> = [
  ['COMPLETED', 70],
  ['FAILED', 10],
  ['CANCELLED', 7],
  ['TIMEOUT', 6],
  ['OUT_OF_MEMORY', 4],
  ['NODE_FAIL', 3],
];

/** mulberry32: small, fast, and the same sequence on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A deterministic, realistic job history for the demo cluster: CPU, GPU (some typed `gres/gpu:a100`) and big-memory
 * jobs; every common end state; array tasks (`123_4`) and het components (`123+0`); a few running and pending jobs
 * (End unknown); a job name with a comma and one in Thai. Pure: the same options give the same jobs.
 */
export function generateDemoJobs(opts: DemoOptions = {}): NormalizedJob[] {
  const rand = rng(opts.seed ?? 20261126);
  const now = (opts.now ?? DEMO_NOW).getTime();
  const days = opts.days ?? 120;
  const target = opts.count ?? 400;
  const cluster = opts.cluster ?? 'demo';
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const weighted = <T>(xs: ReadonlyArray<readonly [T, number]>): T => {
    let r = rand() * xs.reduce((s, [, w]) => s + w, 0);
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1][0];
  };
  const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

  // Submission times first, so job ids grow with time as in Slurm.
  const submissions: number[] = [];
  for (let i = 0; i < target; i++) submissions.push(sec(now - days * 86400_000 + rand() * (days - 1) * 86400_000));
  submissions.sort((a, b) => a - b);

  const jobs: NormalizedJob[] = [];
  let nextId = 204_100;
  let specialNames = [
    'analysis, part 2',
    'จำลองโมเลกุล',
    'param sweep "lr=3e-4"',
  ];

  const makeJob = (
    jobId: string,
    submitMs: number,
    who: (typeof USERS)[number],
    account: string,
    partition: string,
    name: string,
    final: string,
    shape: { cpu: number; memMiB: number; nodes: number; gpus: number; typed: boolean },
  ): NormalizedJob => {
    const req: TresMap = { billing: shape.cpu + shape.gpus * 8, cpu: shape.cpu, mem: shape.memMiB, node: shape.nodes };
    if (shape.gpus) {
      req['gres/gpu'] = shape.gpus;
      if (shape.typed) req['gres/gpu:a100'] = shape.gpus;
    }
    const limit = pick([3600, 4 * 3600, 12 * 3600, 24 * 3600, 48 * 3600]);
    const wait = Math.floor(rand() ** 3 * 4 * 3600);
    const startMs = submitMs + wait * 1000;
    let elapsed: number;
    if (final === 'TIMEOUT') elapsed = limit + Math.floor(rand() * 90);
    else if (final === 'FAILED' || final === 'NODE_FAIL' || final === 'OUT_OF_MEMORY') elapsed = 5 + Math.floor(rand() * limit * 0.4);
    else elapsed = 30 + Math.floor(rand() ** 2 * limit * 0.95);
    const neverStarted = final === 'CANCELLED' && rand() < 0.4;
    if (neverStarted) elapsed = 0;
    let endMs = neverStarted ? submitMs + Math.floor(rand() * 1800) * 1000 : startMs + elapsed * 1000;
    let state = final;
    let start: Date | null = neverStarted ? new Date(endMs) : new Date(startMs);
    let end: Date | null = new Date(endMs);
    if (endMs >= now) {
      // Still going at "now": running, with sacct's End=Unknown and elapsed so far.
      state = 'RUNNING';
      end = null;
      start = new Date(startMs);
      elapsed = Math.floor((now - startMs) / 1000);
      endMs = now;
    }
    const efficiency = final === 'FAILED' ? 0.1 + rand() * 0.4 : 0.35 + rand() * 0.63;
    let cpu = state === 'RUNNING' ? 0 : elapsed * shape.cpu * efficiency;
    // TotalCPU as sacct prints it: milliseconds under an hour, whole seconds above.
    cpu = cpu >= 3600 ? Math.floor(cpu) : Math.floor(cpu * 1000) / 1000;
    return {
      cluster,
      jobId,
      user: who.user,
      account,
      partition,
      name,
      state,
      submit: new Date(submitMs),
      start,
      end,
      elapsedSeconds: elapsed,
      totalCpuSeconds: cpu,
      reqTres: req,
      allocTres: neverStarted ? {} : { ...req },
    };
  };

  for (let i = 0; i < submissions.length && jobs.length < target; i++) {
    const submitMs = submissions[i];
    const who = weighted(USERS.map((u) => [u, u.weight] as const));
    const account = pick(who.accounts);
    const partition = who.user === 'admin' ? 'cpu' : weighted([['cpu', 62], ['gpu', 26], ['bigmem', 12]] as const);
    let name = partition === 'gpu' ? pick(GPU_NAMES) : pick(NAMES[account]);
    if (specialNames.length && i % 97 === 13) {
      name = specialNames[0];
      specialNames = specialNames.slice(1);
    }
    const final = weighted(FINAL_STATES);
    const shape =
      partition === 'gpu'
        ? { cpu: pick([4, 8, 16, 32]), memMiB: pick([64, 128, 256]) * 1024, nodes: 1, gpus: pick([1, 2, 4, 8]), typed: rand() < 0.5 }
        : partition === 'bigmem'
          ? { cpu: pick([8, 16, 32]), memMiB: pick([256, 512, 1024]) * 1024, nodes: 1, gpus: 0, typed: false }
          : (() => {
              const cpus = pick([1, 2, 4, 8, 16, 32, 64, 128]);
              return { cpu: cpus, memMiB: cpus * pick([2048, 4096]), nodes: cpus > 32 ? cpus / 32 : 1, gpus: 0, typed: false };
            })();

    const kind = rand();
    if (kind < 0.04 && partition !== 'gpu') {
      // Array job: tasks share the parent id, as sacct shows them (`<array job>_<task>`).
      const base = nextId;
      const tasks = 3 + Math.floor(rand() * 6);
      nextId += tasks + 1;
      for (let t = 1; t <= tasks && jobs.length < target; t++) {
        const taskFinal = t === tasks && final !== 'COMPLETED' ? final : 'COMPLETED';
        jobs.push(makeJob(`${base}_${t}`, submitMs, who, account, partition, name, taskFinal, shape));
      }
    } else if (kind < 0.07) {
      // Heterogeneous job: one component for the controller, one for the workers.
      const base = nextId;
      nextId += 2;
      jobs.push(makeJob(`${base}+0`, submitMs, who, account, partition, name, final, { ...shape, cpu: 1, memMiB: 4096, gpus: 0, nodes: 1 }));
      jobs.push(makeJob(`${base}+1`, submitMs, who, account, partition, name, final, shape));
    } else {
      jobs.push(makeJob(String(nextId++), submitMs, who, account, partition, name, final, shape));
    }
  }

  // A few jobs still queued at "now": no start, no end, nothing allocated yet.
  for (let p = 0; p < 3; p++) {
    const who = USERS[p + 1];
    const account = who.accounts[0];
    const submitMs = sec(now - (p + 1) * 2700_000);
    const partition = p === 0 ? 'gpu' : 'bigmem';
    const job = makeJob(String(nextId++), submitMs, who, account, partition, p === 0 ? 'llm_finetune' : pick(NAMES[account]), 'COMPLETED', {
      cpu: 16,
      memMiB: partition === 'gpu' ? 131072 : 524288,
      nodes: 1,
      gpus: partition === 'gpu' ? 8 : 0,
      typed: partition === 'gpu',
    });
    jobs.push({ ...job, state: 'PENDING', start: null, end: null, elapsedSeconds: 0, totalCpuSeconds: 0, allocTres: {} });
  }
  // A few long jobs started in the last day, still running.
  for (let r = 0; r < 3; r++) {
    const who = USERS[r];
    const submitMs = sec(now - (r + 2) * 5 * 3600_000);
    const job = makeJob(String(nextId++), submitMs, who, who.accounts[0], r === 1 ? 'gpu' : 'cpu', r === 1 ? 'train_resnet50' : pick(NAMES[who.accounts[0]]), 'COMPLETED', {
      cpu: 32,
      memMiB: 131072,
      nodes: 1,
      gpus: r === 1 ? 4 : 0,
      typed: r === 1,
    });
    const startMs = submitMs + 600_000;
    jobs.push({ ...job, state: 'RUNNING', start: new Date(startMs), end: null, elapsedSeconds: Math.floor((now - startMs) / 1000), totalCpuSeconds: 0 });
  }
  return jobs;
}

const UID = new Map<string, number>(USERS.map((u) => [u.user, u.uid]));

function sacctTime(d: Date | null): string {
  return d ? d.toISOString().slice(0, 19) : 'Unknown';
}

/** Jobs → CSV with sacct's field names and formats (the CSV source's input format). */
export function demoJobsCsv(jobs: readonly NormalizedJob[]): string {
  const rows = jobs.map((j, i) => {
    // Exports taken from sacct say who cancelled: `CANCELLED by <uid>`.
    const state = j.state === 'CANCELLED' && i % 2 === 0 ? `CANCELLED by ${UID.get(j.user) ?? 0}` : j.state;
    const byColumn: Record<(typeof CSV_COLUMNS)[number], string> = {
      Cluster: j.cluster,
      JobID: j.jobId,
      User: j.user,
      Account: j.account ?? '',
      Partition: j.partition ?? '',
      JobName: j.name ?? '',
      State: state,
      Submit: sacctTime(j.submit),
      Start: j.state === 'PENDING' ? 'Unknown' : sacctTime(j.start),
      End: sacctTime(j.end),
      Elapsed: formatElapsed(j.elapsedSeconds),
      TotalCPU: formatElapsed(j.totalCpuSeconds, 'cpu'),
      ReqTRES: formatTres(j.reqTres),
      AllocTRES: formatTres(j.allocTres),
    };
    return CSV_COLUMNS.map((c) => byColumn[c]);
  });
  return stringify([[...CSV_COLUMNS], ...rows]);
}
