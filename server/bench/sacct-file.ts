import { closeSync, openSync, writeSync } from 'node:fs';
import { generateDemoJobs } from '../src/slurm/demo-jobs.ts';
import { SACCT_DELIMITER, SACCT_FIELDS } from '../src/slurm/sacct.ts';
import { formatElapsed, formatTres } from '../src/slurm/tres.ts';
import type { NormalizedJob } from '../src/slurm/types.ts';

export interface SacctFileOptions {
  jobs: number;
  /** Spread over this many days before `now` (a year of a cluster by default). */
  days?: number;
  now?: Date;
  /** Each demo user becomes this many cluster users (alice0..aliceN), so group-bys see a realistic user count. */
  usersPerDemoUser?: number;
  cluster?: string;
}

type Field = (typeof SACCT_FIELDS)[number];

const time = (d: Date | null) => (d ? d.toISOString().slice(0, 19) : 'Unknown');
const SRUN_NAMES = ['python', 'mpirun', 'hydra_pmi_proxy', 'vasp_std', 'gmx_mpi', 'orted'];

/**
 * sacct `--parsable2 --delimiter=\x1f` lines for one job, as sacct prints them: the allocation line (TotalCPU already
 * summed over its finished steps), then `.batch`, `.extern` and `.0` for jobs that ran. Steps have no User and no
 * Partition, as in real output.
 */
function jobLines(job: NormalizedJob, rawId: number, index: number): string[] {
  const line = (values: Record<Field, string>) => SACCT_FIELDS.map((f) => values[f]).join(SACCT_DELIMITER);
  const state = job.state === 'CANCELLED' && index % 2 === 0 ? 'CANCELLED by 1001' : job.state;
  const base: Record<Field, string> = {
    Cluster: job.cluster,
    JobID: job.jobId,
    JobIDRaw: String(rawId),
    User: job.user,
    Account: job.account ?? '',
    Partition: job.partition ?? '',
    State: state,
    Submit: time(job.submit),
    Start: job.state === 'PENDING' ? 'Unknown' : time(job.start),
    End: time(job.end),
    Elapsed: formatElapsed(job.elapsedSeconds),
    ElapsedRaw: String(job.elapsedSeconds),
    TotalCPU: formatElapsed(job.totalCpuSeconds, 'cpu'),
    ReqTRES: formatTres(job.reqTres),
    AllocTRES: formatTres(job.allocTres),
    JobName: job.name ?? '',
  };
  const out = [line(base)];
  if (job.state === 'PENDING' || Object.keys(job.allocTres).length === 0) return out;
  const stepState = job.state === 'RUNNING' ? 'RUNNING' : job.state === 'CANCELLED' ? 'CANCELLED' : 'COMPLETED';
  const step = (suffix: string, name: string, cpuSeconds: number, tres: string) =>
    line({
      ...base,
      JobID: `${job.jobId}.${suffix}`,
      JobIDRaw: `${rawId}.${suffix}`,
      User: '',
      Partition: '',
      State: stepState,
      Submit: time(job.start),
      TotalCPU: formatElapsed(cpuSeconds, 'cpu'),
      ReqTRES: '',
      AllocTRES: tres,
      JobName: name,
    });
  const cpu = job.totalCpuSeconds;
  const node = `cpu=${job.allocTres.cpu ?? 1},mem=${job.allocTres.mem ?? 0}M,node=1`;
  out.push(step('batch', 'batch', cpu * 0.1, node));
  out.push(step('extern', 'extern', 0.001, `billing=${job.allocTres.billing ?? 1},${node}`));
  out.push(step('0', SRUN_NAMES[index % SRUN_NAMES.length], cpu - cpu * 0.1, formatTres(job.allocTres)));
  return out;
}

/**
 * Writes a realistic `sacct --parsable2` capture for a cluster's year: the demo generator's job mix (arrays, het
 * jobs, every end state, running and pending jobs), spread over more users, with step lines. Returns what it wrote.
 */
export function writeSacctFile(file: string, opts: SacctFileOptions) {
  const fanout = opts.usersPerDemoUser ?? 40;
  const jobs = generateDemoJobs({ count: opts.jobs, days: opts.days ?? 365, now: opts.now, cluster: opts.cluster ?? 'bench', seed: 7 });
  const fd = openSync(file, 'w');
  let lines = 0;
  let bytes = 0;
  try {
    let chunk: string[] = [SACCT_FIELDS.join(SACCT_DELIMITER)];
    const flush = () => {
      const text = `${chunk.join('\n')}\n`;
      bytes += writeSync(fd, text);
      lines += chunk.length;
      chunk = [];
    };
    let rawId = 5_000_000;
    jobs.forEach((job, i) => {
      const user = `${job.user}${i % fanout}`;
      chunk.push(...jobLines({ ...job, user }, rawId++, i));
      if (chunk.length >= 20_000) flush();
    });
    flush();
  } finally {
    closeSync(fd);
  }
  return { jobs: jobs.length, lines, bytes };
}
