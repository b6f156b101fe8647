import { describe, expect, it } from 'vitest';
import { slurmFixtureJson, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import { parseSlurmdbJobs } from './restd-parse.ts';
import { parseSacctText } from './sacct.ts';
import { formatElapsed, parseElapsed } from './tres.ts';
import type { NormalizedJob } from './types.ts';

/**
 * The same five jobs from sacct and from slurmrestd must give the same ledger record. The sacct text in
 * `sacct-spec-built/` is those jobs of `slurmdb-v0.0.4x-jobs.json` printed by sacct's own rules (see its README).
 */

const VERSIONS = ['v0.0.39', 'v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44', 'v0.0.45'];
/** SHAPES.md §10: the moment the spec-built files were "queried"; the running job's elapsed time is up to then. */
const NOW = new Date(1741603800 * 1000);

/**
 * Everything the ledger keeps of a job, CPU time at the precision sacct prints it (ms under an hour, else seconds).
 * The billing units are a function of these fields (billing/units-by-source.test.ts compares them too).
 */
function record(job: NormalizedJob) {
  return {
    ...job,
    totalCpuSeconds: parseElapsed(formatElapsed(job.totalCpuSeconds, 'cpu')),
  };
}

describe('sacct and slurmrestd give the same records for the same jobs', () => {
  const sacct = {
    noconvert: parseSacctText(slurmFixtureText('sacct-spec-built/sacct-noconvert-steps.usv')),
    converted: parseSacctText(slurmFixtureText('sacct-spec-built/sacct-default-steps.usv')),
  };

  it.each(VERSIONS.flatMap((v) => (['noconvert', 'converted'] as const).map((mode) => [v, mode] as const)))(
    '/slurmdb/%s/jobs = sacct (%s)',
    async (version, mode) => {
      const fromSacct = (await sacct[mode]).map(record);
      const fromRest = parseSlurmdbJobs(slurmFixtureJson(`slurmdb-${version}-jobs.json`), version, { now: NOW }).map(record);
      expect(fromRest.map((j) => j.jobId)).toEqual(['812001', '812010', '812055_7', '812070', '812101']);
      expect(fromSacct).toEqual(fromRest);
    },
  );

  it('the records carry what the jobs used, in the ledger units', async () => {
    const jobs = new Map((await sacct.noconvert).map((j) => [j.jobId, j]));
    expect(jobs.get('812010')!.allocTres).toEqual({ billing: 48, cpu: 16, 'gres/gpu': 4, 'gres/gpu:a100': 4, mem: 128000, node: 1 });
    expect(jobs.get('812101')!.allocTres).toEqual({ billing: 32, cpu: 32, mem: 64000, node: 1 });
    expect(jobs.get('812101')).toMatchObject({ state: 'RUNNING', end: null, elapsedSeconds: 1800, totalCpuSeconds: 0 });
    // 26993.150131 s from the steps; sacct prints whole seconds above an hour.
    expect(jobs.get('812001')!.totalCpuSeconds).toBe(26993);
    expect(jobs.get('812055_7')!.totalCpuSeconds).toBe(39.926);
  });

  it('--noconvert prints memory as the MB slurmdbd stores, where the default rounds to two decimals', async () => {
    const noconvert = slurmFixtureText('sacct-spec-built/sacct-noconvert-steps.usv');
    const converted = slurmFixtureText('sacct-spec-built/sacct-default-steps.usv');
    expect(noconvert).toContain('mem=64000M');
    expect(converted).toContain('mem=62.50G');
    expect(converted).toContain('mem=125G');
  });
});
