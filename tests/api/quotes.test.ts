import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/** Quotes through the API, as a job-submit wrapper or the web's quote page asks for them. Seeded rates: mu 0.50/CPU-h, 15/GPU-h, 0.05/GiB-h. */
let t: TestApp;
let alice: string;

const QUOTE = `query($i: QuoteJobInput!) { quoteJob(input: $i) { kind tier hours arrayTasks total warnings
  request { nodes ntasks cpus gpus gpuType memMiB timeSeconds partition account arrayTasks }
  perTask { cpuHours gpuHours memGBHours cpuCost gpuCost memCost cost } cpuPerHour } }`;

beforeAll(async () => {
  t = await startTestApp();
  alice = await t.cookieFor('alice', 'user', 'mu');
  await applyAssociations(
    t.app.db,
    { accounts: [{ name: 'industry', description: null, organization: null, parent: null, coordinators: [] }], associations: [] },
    systemMeta('test'),
  );
  await t.app.db.slurmAccount.update({ where: { name: 'industry' }, data: { tier: 'private' } });
});
afterAll(() => t.close());

describe('quoteJob', () => {
  it('prices a job script at the viewer’s tier, with the request as Slurm reads it', async () => {
    const text = ['#!/bin/bash', '#SBATCH --job-name=train', '#SBATCH -p gpu', '#SBATCH --gres=gpu:a100:2', '#SBATCH -c 8', '#SBATCH --mem=64G', '#SBATCH -t 2:00:00', 'python train.py'].join('\n');
    const r = await t.gql(QUOTE, { i: { text } }, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.quoteJob).toMatchObject({
      kind: 'script',
      tier: 'mu',
      hours: 2,
      arrayTasks: 1,
      request: { nodes: 1, ntasks: 1, cpus: 8, gpus: 2, gpuType: 'a100', memMiB: 65536, timeSeconds: 7200, partition: 'gpu', account: null },
    });
    const rates = (await t.gql('{ rate(tier: mu) { cpuPerHour gpuPerHour memGBPerHour } }', {}, alice)).data.rate;
    // 16 CPU-hours, 4 GPU-hours, 128 GiB-hours at mu.
    const expected = 16 * Number(rates.cpuPerHour) + 4 * Number(rates.gpuPerHour) + 128 * Number(rates.memGBPerHour);
    expect(Number(r.data.quoteJob.total)).toBeCloseTo(expected, 2);
    expect(r.data.quoteJob.perTask).toMatchObject({ cpuHours: 16, gpuHours: 4, memGBHours: 128 });
  });

  it('prices a command line of an account with its own tier, and an array job per task', async () => {
    const r = await t.gql(QUOTE, { i: { text: 'sbatch -A industry -n 4 --mem-per-cpu=1G -t 60 --array=0-9 job.sh' } }, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.quoteJob).toMatchObject({ kind: 'command', tier: 'private', arrayTasks: 10, request: { cpus: 4, memMiB: 4096, account: 'industry' } });
    expect(BigInt(r.data.quoteJob.total.replace('.', ''))).toBe(BigInt(r.data.quoteJob.perTask.cost.replace('.', '')) * 10n);
    // An explicit tier wins.
    expect((await t.gql(QUOTE, { i: { text: 'srun -A industry -n 1 -t 10 hostname', tier: 'gov' } }, alice)).data.quoteJob.tier).toBe('gov');
  });

  it('names the line and option Slurm would refuse, and what was assumed', async () => {
    const bad = await t.gql(QUOTE, { i: { text: '#!/bin/bash\n#SBATCH -n 2\n#SBATCH --time=soon\n' } }, alice);
    expect(codes(bad)).toEqual(['BAD_INPUT']);
    expect(bad.errors?.[0].message).toMatch(/line 3.*--time.*soon/);
    const noTime = await t.gql(QUOTE, { i: { text: 'sbatch -n 2 job.sh' } }, alice);
    expect(codes(noTime)).toEqual(['BAD_INPUT']);
    expect(noTime.errors?.[0].message).toContain('--time');
    const warned = await t.gql(QUOTE, { i: { text: 'sbatch -n 2 -t 10 --frobnicate job.sh' } }, alice);
    expect(warned.data.quoteJob.warnings.join(' ')).toContain('--frobnicate');
    expect(codes(await t.gql(QUOTE, { i: { text: 'x'.repeat(70_000) } }, alice))).toEqual(['BAD_INPUT']);
    expect(codes(await t.gql(QUOTE, { i: { text: 'sbatch -t 10 job.sh' } }))).toEqual(['UNAUTHENTICATED']);
  });
});
