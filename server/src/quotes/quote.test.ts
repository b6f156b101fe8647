import type { RateValues } from '@hpc-accounting/pricing/cost';
import { describe, expect, it, vi } from 'vitest';
import { parseQuoteInput, quoteJob, type RateContext } from './quote.ts';
import { parseJobCommand, parseJobScript, QuoteInputError } from './sbatch.ts';

const flat = (rate: RateValues) => () => rate;

describe('quoteJob', () => {
  it('prices a GPU training job at its time limit', () => {
    const request = parseJobScript(
      [
        '#!/bin/bash',
        '#SBATCH -p gpu -A ai-lab',
        '#SBATCH -c 32 --gres=gpu:a100:4',
        '#SBATCH --mem=256G',
        '#SBATCH -t 2-00:00:00',
        'srun python train.py',
      ].join('\n'),
    );
    const rateFor = vi.fn((_: RateContext): RateValues => ({ cpuPerHour: '0.5', gpuPerHour: '40', memGBPerHour: '0.05' }));
    const q = quoteJob(request, rateFor);
    expect(rateFor).toHaveBeenCalledWith({ partition: 'gpu', gpuType: 'a100', account: 'ai-lab' });
    // 32 CPUs × 48 h × 0.5 = 768 THB; 4 GPUs × 48 h × 40 = 7,680 THB; 256 GiB × 48 h × 0.05 = 614.40 THB.
    expect(q.perTask).toEqual({
      cpuHours: 1536,
      gpuHours: 192,
      memGBHours: 12288,
      cpuSatang: 76_800n,
      gpuSatang: 768_000n,
      memSatang: 61_440n,
      costSatang: 906_240n,
    });
    expect(q).toMatchObject({ total: 906_240n, arrayTasks: 1, hours: 48, units: { cpus: 32, gpus: 4, memMiB: 262_144 } });
  });

  it('prices an MPI job over four nodes', () => {
    const request = parseJobCommand('sbatch -N 4 --ntasks-per-node 32 --mem-per-cpu=2000 -t 12:00:00 wrf.sh');
    const q = quoteJob(request, flat({ cpuPerHour: '0.25', gpuPerHour: '0', memGBPerHour: '0.02' }));
    // 128 CPUs × 12 h × 0.25 = 384 THB; 128 × 2000 MiB = 250 GiB × 12 h × 0.02 = 60 THB.
    expect(q.perTask).toMatchObject({ cpuSatang: 38_400n, gpuSatang: 0n, memSatang: 6_000n, costSatang: 44_400n });
    expect(q.total).toBe(44_400n);
  });

  it('prices every task of an array job', () => {
    const request = parseJobScript(['#SBATCH --array=0-99%10', '#SBATCH -c 4 --mem=8G', '#SBATCH -t 0:45:00'].join('\n'));
    const q = quoteJob(request, flat({ cpuPerHour: '1.25', gpuPerHour: '0', memGBPerHour: '0.1' }));
    // Per task: 4 CPUs × 0.75 h × 1.25 = 3.75 THB; 8 GiB × 0.75 h × 0.1 = 0.60 THB; 100 tasks.
    expect(q.perTask).toMatchObject({ cpuSatang: 375n, memSatang: 60n, costSatang: 435n });
    expect(q).toMatchObject({ total: 43_500n, arrayTasks: 100, hours: 0.75 });
  });

  it('rounds each array task on its own, as each is billed as a job of its own', () => {
    // 1 CPU × 1 min × 0.5 THB/h = 0.8333 satang → 1 satang per task; 7 tasks are 7 satang, not round(5.83) = 6.
    const request = parseJobCommand('sbatch -a 1-7 -t 1 --mem-per-cpu=1 job.sh');
    const q = quoteJob(request, flat({ cpuPerHour: '0.5', gpuPerHour: '0', memGBPerHour: '0' }));
    expect(q.perTask.costSatang).toBe(1n);
    expect(q.total).toBe(7n);
  });

  it('rounds the whole once, half up, like a receipt line', () => {
    // 3 CPUs × 10 min × 0.01 THB/h = 0.5 satang per line; the total of the exact parts is rounded once.
    const request = parseJobCommand('sbatch -n 3 -t 10 --mem-per-cpu=1 job.sh');
    const q = quoteJob(request, flat({ cpuPerHour: '0.01', gpuPerHour: '0', memGBPerHour: '0' }));
    expect(q.perTask).toMatchObject({ cpuSatang: 1n, costSatang: 1n });
  });

  it('lets the rate depend on the partition and GPU type', () => {
    const rateFor = ({ gpuType }: RateContext): RateValues => ({ cpuPerHour: '0', gpuPerHour: gpuType === 'h100' ? '80' : '40', memGBPerHour: '0' });
    const a100 = quoteJob(parseJobCommand('sbatch --gpus=a100:1 -t 60 --mem=1 job.sh'), rateFor);
    const h100 = quoteJob(parseJobCommand('sbatch --gpus=h100:1 -t 60 --mem=1 job.sh'), rateFor);
    expect([a100.total, h100.total]).toEqual([4_000n, 8_000n]);
    expect(h100.rate.gpuPerHour).toBe('80');
  });

  it('carries the request warnings', () => {
    const request = parseJobCommand('sbatch -N 2-4 -t 10 --mem=1G job.sh');
    expect(quoteJob(request, flat({ cpuPerHour: '1', gpuPerHour: '0', memGBPerHour: '0' })).warnings).toEqual(request.warnings);
  });

  it('refuses a job with no known time limit', () => {
    const request = parseJobCommand('sbatch -n 2 job.sh');
    expect(() => quoteJob(request, flat({ cpuPerHour: '1', gpuPerHour: '0', memGBPerHour: '0' }))).toThrow(
      new QuoteInputError('--time', null, "no time limit given, and the partition's default is not known"),
    );
    expect(() => quoteJob(request, flat({ cpuPerHour: '1', gpuPerHour: '0', memGBPerHour: '0' }))).toThrow(
      "--time: no time limit given, and the partition's default is not known",
    );
  });
});

describe('parseQuoteInput', () => {
  it('reads a script', () => {
    const q = parseQuoteInput('#!/bin/bash\n#SBATCH -n 4 -t 10\nsrun -n 64 ./a.out\n');
    // srun inside a script starts a step within the allocation; it asks for nothing more.
    expect(q).toMatchObject({ kind: 'script', command: 'sbatch', request: { ntasks: 4 } });
  });

  it('reads a script without #SBATCH lines by its shebang', () => {
    expect(parseQuoteInput('#!/bin/bash\nsrun -n 8 hostname\n', { timeSeconds: 600 })).toMatchObject({ kind: 'script', request: { ntasks: 1 } });
    expect(parseQuoteInput('\n\n#!/bin/bash\nsrun -n 8 hostname\n', { timeSeconds: 600 }).kind).toBe('script');
  });

  it.each([
    ['sbatch -n 4 -t 10 job.sh', 'sbatch'],
    ['srun -n 4 -t 10 hostname', 'srun'],
    ['salloc -n 4 -t 10', 'salloc'],
    ['$ sbatch -n 4 -t 10 job.sh', 'sbatch'],
    ['\n  sbatch -n 4 \\\n    -t 10 job.sh\n', 'sbatch'],
  ])('reads a command line: %j', (text, command) => {
    expect(parseQuoteInput(text)).toMatchObject({ kind: 'command', command, request: { ntasks: 4, timeSeconds: 600 } });
  });

  it('quotes the first of several commands and says so', () => {
    const q = parseQuoteInput('salloc -n 4 -t 10\nsrun -n 4 hostname');
    expect(q).toMatchObject({ kind: 'command', command: 'salloc', request: { ntasks: 4 } });
    expect(q.request.warnings).toContain('only the first command (line 1) is quoted, not the one on line 2');
    expect(parseQuoteInput('srun -t 1 a\nsrun b\nsrun c').request.warnings).toContain('only the first command (line 1) is quoted, not those on lines 2, 3');
  });

  it.each([
    ['#SBATCH -n 4\n#SBATCH -t 10\n#SBATCH -p small\nhostname\nsbatch -n 8 -p big job.sh'],
    ['sbatch -n 8 -p big job.sh\n#SBATCH -n 4\n#SBATCH -t 10\n#SBATCH -p small\nhostname'],
    ['#!/bin/bash\n#SBATCH -n 4\n#SBATCH -t 10\n#SBATCH -p small\n\nsbatch -n 8 \\\n  -p big job.sh'],
  ])('applies an sbatch command line over the #SBATCH lines: %j', (text) => {
    expect(parseQuoteInput(text)).toMatchObject({ kind: 'mixed', command: 'sbatch', request: { ntasks: 8, timeSeconds: 600, partition: 'big' } });
  });

  it('numbers lines as pasted in a mixed text', () => {
    const e = (text: string) => {
      try {
        parseQuoteInput(text);
      } catch (err) {
        return (err as Error).message;
      }
      return null;
    };
    expect(e('#SBATCH -n 4\n#SBATCH -t 10\n\nsbatch \\\n  --time=soon job.sh')).toBe(
      'line 5: --time: "soon" is not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)',
    );
    expect(e('sbatch -n 8 job.sh\n#SBATCH -t 10\n#SBATCH --mem=lots')).toBe(
      'line 3: --mem: "lots" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)',
    );
  });

  it.each([
    ['', 'expected a job script with #SBATCH lines, or an sbatch, srun or salloc command line'],
    ['squeue -u me', 'expected a job script with #SBATCH lines, or an sbatch, srun or salloc command line'],
    ['#SBATCH -n 2\nsbatch -n 4 a.sh\nsbatch -n 8 b.sh', 'line 3: more than one sbatch command line; paste the one that submits this script'],
  ])('refuses %j', (text, message) => {
    expect(() => parseQuoteInput(text)).toThrow(message);
  });

  it('passes the defaults on', () => {
    expect(parseQuoteInput('sbatch -n 2 job.sh', { timeSeconds: 3600, memMiBPerCpu: 1000 }).request).toMatchObject({ timeSeconds: 3600, memMiB: 2000 });
  });
});
