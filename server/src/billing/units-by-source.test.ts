import { describe, expect, it } from 'vitest';
import { slurmFixtureJson, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import { parseCsvText } from '../slurm/csv.ts';
import { neverAllocated } from '../slurm/normalize.ts';
import { parseSlurmdbJobs, parseSlurmJobs } from '../slurm/restd-parse.ts';
import { parseSacctText } from '../slurm/sacct.ts';
import type { NormalizedJob } from '../slurm/types.ts';
import { billingUnits, costOfJob } from './cost.ts';

/**
 * The billing units (CPUs, GPUs, memory) of the parsed records, per source. A job cancelled before it started held
 * nothing: every source must give it zero CPUs, GPUs, memory and cost.
 */

const rate = { cpuPerHour: '1', gpuPerHour: '10', memGBPerHour: '0.1' };
const ZERO = { cpus: 0, gpus: 0, memMiB: 0 };

function expectNothingHeld(job: NormalizedJob | undefined) {
  expect(job, 'job present').toBeDefined();
  expect(job!.state).toBe('CANCELLED');
  expect(Object.keys(job!.reqTres).length, 'the request is kept as reported').toBeGreaterThan(0);
  expect(neverAllocated(job!)).toBe(true);
  expect(billingUnits(job!)).toEqual(ZERO);
  expect(costOfJob(job!, rate).costSatang).toBe(0n);
}

const find = (jobs: NormalizedJob[], id: string) => jobs.find((j) => j.jobId === id);

describe('the same jobs from sacct and from slurmrestd have the same units', () => {
  it.each(['v0.0.39', 'v0.0.41', 'v0.0.45'])('sacct --noconvert = /slurmdb/%s/jobs', async (version) => {
    const fromSacct = await parseSacctText(slurmFixtureText('sacct-spec-built/sacct-noconvert-steps.usv'));
    const fromRest = parseSlurmdbJobs(slurmFixtureJson(`slurmdb-${version}-jobs.json`), version);
    const units = (jobs: NormalizedJob[]) => jobs.map((j) => [j.jobId, billingUnits(j)]);
    expect(units(fromSacct)).toEqual(units(fromRest));
    expect(billingUnits(find(fromSacct, '812010')!)).toEqual({ cpus: 16, gpus: 4, memMiB: 128000 });
    expect(billingUnits(find(fromSacct, '812101')!)).toEqual({ cpus: 32, gpus: 0, memMiB: 64000 });
  });
});

describe('a job cancelled while pending has no allocation', () => {
  it('sacct (Slurm 22.05 capture): job 2, and the het components 17+0 and 17+1 whose Start is None', async () => {
    const seed = await parseSacctText(slurmFixtureText('real-22.05/privatedata-none/sacct/root-allusers-steps.psv'));
    expectNothingHeld(find(seed, '2'));
    // Cancelled while running: it held its allocation.
    expect(billingUnits(find(seed, '8')!)).toEqual({ cpus: 1, gpus: 0, memMiB: 256 });
    const extra = await parseSacctText(slurmFixtureText('real-22.05-extra/sacct/root-allusers-steps.usv'));
    expectNothingHeld(find(extra, '17+0'));
    expectNothingHeld(find(extra, '17+1'));
  });

  it.each(['v0.0.37', 'v0.0.38'])('/slurmdb/%s/jobs (Slurm 22.05 capture)', (version) => {
    const jobs = parseSlurmdbJobs(slurmFixtureJson(`real-22.05/privatedata-none/rest/root/slurmdb-${version}-jobs.json`), version);
    expectNothingHeld(find(jobs, '2'));
    expect(billingUnits(find(jobs, '8')!)).toEqual({ cpus: 1, gpus: 0, memMiB: 256 });
  });

  it.each(['v0.0.39', 'v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44', 'v0.0.45'])('/slurmdb/%s/jobs (spec-built shape)', (version) => {
    // Job 812001 of the spec-built file, as slurmdbd records it when cancelled while pending: start = end, no
    // allocation, no steps.
    const doc = structuredClone(slurmFixtureJson(`slurmdb-${version}-jobs.json`)) as { jobs: any[] };
    const job = doc.jobs[0];
    job.state.current = version === 'v0.0.39' ? 'CANCELLED' : ['CANCELLED'];
    job.time.start = job.time.end = job.time.submission + 600;
    job.time.elapsed = 0;
    job.tres.allocated = [];
    job.steps = [];
    const parsed = parseSlurmdbJobs(doc, version);
    expectNothingHeld(find(parsed, '812001'));
    expect(billingUnits(find(parsed, '812010')!)).toEqual({ cpus: 16, gpus: 4, memMiB: 128000 });
  });

  it.each(['v0.0.37', 'v0.0.38'])('/slurm/%s/jobs (Slurm 22.05 capture): jobs 2 and 3', (version) => {
    const jobs = parseSlurmJobs(slurmFixtureJson(`real-22.05/privatedata-none/rest/root/slurm-${version}-jobs.json`), version);
    expectNothingHeld(find(jobs, '2'));
    expectNothingHeld(find(jobs, '3'));
  });

  it('/slurm/v0.0.41/jobs (state list, NV times)', () => {
    const t = 1741600000;
    const nv = (n: number) => ({ set: true, infinite: false, number: n });
    const jobs = parseSlurmJobs(
      {
        jobs: [
          {
            job_id: 900,
            user_name: 'alice',
            account: 'chem',
            partition: 'gpu',
            job_state: ['CANCELLED'],
            submit_time: nv(t),
            start_time: nv(t + 30),
            end_time: nv(t + 30),
            tres_req_str: 'cpu=4,mem=16000M,node=1,billing=4,gres/gpu=1',
            tres_alloc_str: '',
          },
        ],
      },
      'v0.0.41',
    );
    expectNothingHeld(find(jobs, '900'));
  });

  it('CSV export: empty AllocTRES, zero elapsed', async () => {
    const csv = [
      'JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES',
      '501,alice,chem,gpu,queued,CANCELLED by 1001,2026-03-01T00:00:00,2026-03-01T02:00:00,2026-03-01T02:00:00,00:00:00,00:00:00,"cpu=8,mem=32000M,gres/gpu=2,node=1",',
      '502,alice,chem,gpu,ran,CANCELLED by 1001,2026-03-01T00:00:00,2026-03-01T01:00:00,2026-03-01T02:00:00,01:00:00,00:10:00,"cpu=8,mem=32000M,gres/gpu=2,node=1","cpu=8,mem=32000M,gres/gpu=2,node=1"',
    ].join('\n');
    const jobs = await parseCsvText(csv, { cluster: 'hpc' });
    expectNothingHeld(find(jobs, '501'));
    expect(billingUnits(find(jobs, '502')!)).toEqual({ cpus: 8, gpus: 2, memMiB: 32000 });
  });
});
