import { describe, expect, it } from 'vitest';
import { type JobRequest, parseJobCommand, parseJobRequest, parseJobScript, QuoteInputError } from './sbatch.ts';

const cmd = (line: string, defaults = {}) => parseJobCommand(line, defaults);
const script = (...lines: string[]) => parseJobScript(lines.join('\n'));
const fails = (run: () => unknown): QuoteInputError => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(QuoteInputError);
    return e as QuoteInputError;
  }
  throw new Error('expected a QuoteInputError');
};

describe('option forms', () => {
  it.each([
    ['sbatch -n 4 job.sh'],
    ['sbatch -n4 job.sh'],
    ['sbatch --ntasks=4 job.sh'],
    ['sbatch --ntasks 4 job.sh'],
    ['sbatch --ntasks-per-n=4 -N 1 job.sh'],
    ['sbatch -Hn4 job.sh'],
    ['sbatch -H -n 4 job.sh'],
    ['/usr/bin/sbatch -n 4 job.sh'],
  ])('%s → 4 tasks', (line) => {
    expect(cmd(line)).toMatchObject({ ntasks: 4, cpus: 4 });
  });

  it('reads the same options from #SBATCH lines', () => {
    expect(script('#SBATCH -n 4', '#SBATCH --cpus-per-task=2')).toMatchObject({ ntasks: 4, cpusPerTask: 2, cpus: 8 });
  });

  it.each<[string, Partial<JobRequest>]>([
    ['-p gpu', { partition: 'gpu' }],
    ['--partition=gpu', { partition: 'gpu' }],
    ['--part gpu', { partition: 'gpu' }],
    ['-A proj42', { account: 'proj42' }],
    ['--account=proj42', { account: 'proj42' }],
    ['-q high', { qos: 'high' }],
    ['--qos=high', { qos: 'high' }],
    ['-J train', { jobName: 'train' }],
    ['--job-name=train', { jobName: 'train' }],
    ['-c 8', { cpusPerTask: 8, cpus: 8 }],
    ['--cpus-per-task 8', { cpusPerTask: 8, cpus: 8 }],
    ['-N 3', { nodes: 3, ntasks: 3, cpus: 3 }],
    ['--nodes=3', { nodes: 3, ntasks: 3 }],
    ['-N 4 --ntasks-per-node 32', { nodes: 4, ntasks: 128, cpus: 128 }],
    ['-N 3 --tasks-per-node=2', { nodes: 3, ntasks: 6 }],
    ['--ntasks-per-node=8', { nodes: 1, ntasks: 8 }],
    ['-n 10 --ntasks-per-node 4', { nodes: 3, ntasks: 10 }],
    ['-n 2 -c 8', { ntasks: 2, cpusPerTask: 8, cpus: 16 }],
    ['-G 2', { gpus: 2, gpuType: null }],
    ['--gpus=a100:2', { gpus: 2, gpuType: 'a100' }],
    ['-N 2 --gpus-per-node=4', { gpus: 8 }],
    ['-N 2 --gpus-per-node=h100:4', { gpus: 8, gpuType: 'h100' }],
    ['-n 4 --gpus-per-task=1', { gpus: 4 }],
    ['-N 3 --gres=gpu:2', { gpus: 6, gpuType: null }],
    ['--gres=gpu:a100:4', { gpus: 4, gpuType: 'a100' }],
    ['--gres=gpu', { gpus: 1 }],
    ['--gres=gpu:v100', { gpus: 1, gpuType: 'v100' }],
    ['--gres=gres/gpu:2', { gpus: 2 }],
    ['--gres=none', { gpus: 0 }],
    ['--gpus=2 --cpus-per-gpu=8', { gpus: 2, cpus: 16, cpusPerTask: 1 }],
    ['-t 30', { timeSeconds: 1800 }],
    ['--time=1:00:00', { timeSeconds: 3600 }],
    ['-a 1-10', { arrayTasks: 10 }],
    ['--array=1,3,5', { arrayTasks: 3 }],
    ['--exclusive', { exclusive: true }],
    ['--exclusive=user', { exclusive: false }],
    ['--exclusive=mcs', { exclusive: false }],
  ])('sbatch %s', (options, expected) => {
    const time = /(^| )(-t|--time)\b/.test(options) ? '' : ' -t 10';
    expect(cmd(`sbatch ${options}${time} job.sh`)).toMatchObject(expected);
  });

  it('defaults to one task of one CPU, no GPUs, one array task', () => {
    expect(cmd('sbatch -t 10 job.sh')).toMatchObject({
      nodes: 1,
      ntasks: 1,
      cpusPerTask: 1,
      cpus: 1,
      gpus: 0,
      gpuType: null,
      partition: null,
      account: null,
      qos: null,
      arrayTasks: 1,
      exclusive: false,
    });
  });

  it('lets a later option replace an earlier one', () => {
    expect(cmd('sbatch -n 2 -t 10 --ntasks=6 job.sh').ntasks).toBe(6);
    expect(script('#SBATCH -p a', '#SBATCH -p b').partition).toBe('b');
  });

  it('takes the next word as a required value even when it starts with a dash, as getopt does', () => {
    const e = fails(() => cmd('sbatch -n -1 job.sh'));
    expect(e.message).toBe('line 1: -n: "-1" is not a whole number above 0');
  });

  it('gives an optional value only when it is joined: `--exclusive user` runs the script "user"', () => {
    expect(cmd('sbatch -t 10 --exclusive user')).toMatchObject({ exclusive: true, jobName: 'user' });
  });
});

describe('node counts', () => {
  it.each([
    ['2-4', 4],
    ['4', 4],
    ['2,4,8', 8],
    ['2-8:2', 8],
    ['1k', 1024],
  ])('-N %s → %d nodes', (value, nodes) => {
    expect(cmd(`sbatch -N ${value} -t 10 job.sh`).nodes).toBe(nodes);
  });

  it('warns that a range is quoted at its maximum', () => {
    expect(cmd('sbatch -N 2-4 -t 10 job.sh').warnings).toContain('-N 2-4 lets Slurm choose the node count; quoted at the most, 4 nodes');
  });

  it('lowers the node count to the task count, as sbatch does', () => {
    const r = cmd('sbatch -N 4 -n 2 -t 10 job.sh');
    expect(r).toMatchObject({ nodes: 2, ntasks: 2 });
    expect(r.warnings).toContain('2 tasks cannot run on 4 nodes; Slurm lowers the node count to 2');
  });

  it.each([
    ['abc', 'line 1: -N: "abc" is not a node count (N, MIN-MAX or a list like 2,4,8)'],
    ['4-2', 'line 1: -N: the maximum node count 2 is less than the minimum 4'],
    ['0', 'line 1: -N: a job needs at least 1 node'],
    ['2-x', 'line 1: -N: "2-x" is not a node count (N, MIN-MAX or a list like 2,4,8)'],
    ['2-4-6', 'line 1: -N: "2-4-6" is not a node count (N, MIN-MAX or a list like 2,4,8)'],
  ])('-N %s is refused', (value, message) => {
    expect(fails(() => cmd(`sbatch -N ${value} -t 10 job.sh`)).message).toBe(message);
  });
});

describe('counts', () => {
  it.each([
    ['-n 0', 'line 1: -n: "0" is not a whole number above 0'],
    ['-c two', 'line 1: -c: "two" is not a whole number above 0'],
    ['--ntasks-per-node=1.5', 'line 1: --ntasks-per-node: "1.5" is not a whole number above 0'],
    ['--cpus-per-task=99999999999', 'line 1: --cpus-per-task: "99999999999" is not a whole number above 0'],
    ['--gpus=two', 'line 1: --gpus: "two" is not a GPU count ([type:]count)'],
    ['--gpus-per-node=a100:x', 'line 1: --gpus-per-node: "a100:x" is not a GPU count ([type:]count)'],
    ['--gres=gpu:a:b:c', 'line 1: --gres: "gpu:a:b:c" is not a GRES (name[:type][:count])'],
    ['--gres=gpu:a100:x', 'line 1: --gres: "gpu:a100:x" is not a GRES (name[:type][:count])'],
  ])('%s is refused', (options, message) => {
    expect(fails(() => cmd(`sbatch ${options} -t 10 job.sh`)).message).toBe(message);
  });
});

describe('GPUs', () => {
  it('sums a GRES list, prices only the GPUs, and says so', () => {
    const r = cmd('sbatch --gres=gpu:a100:2,shard:1 -t 10 job.sh');
    expect(r).toMatchObject({ gpus: 2, gpuType: 'a100' });
    expect(r.warnings).toContain('--gres=shard:1: only GPUs are priced');
  });

  it('has no single type when GPUs of several types are asked for', () => {
    const r = cmd('sbatch --gres=gpu:a100:1,gpu:v100:2 -t 10 job.sh');
    expect(r).toMatchObject({ gpus: 3, gpuType: null });
    expect(r.warnings).toContain('GPUs of several types (a100, v100) are quoted at one rate');
  });

  it('quotes the largest of several GPU options', () => {
    const r = cmd('sbatch -N 2 -G 2 --gpus-per-task=1 -n 4 -t 10 job.sh');
    expect(r.gpus).toBe(4);
    expect(r.warnings).toContain('-G asks for 2, --gpus-per-task asks for 4 GPUs; quoted the most, 4');
  });

  it('scales per-node GRES by the nodes', () => {
    expect(cmd('sbatch -N 2 --gres=gpu:a100:4 -t 10 job.sh')).toMatchObject({ nodes: 2, gpus: 8, gpuType: 'a100' });
  });
});

describe('memory', () => {
  it.each([
    ['--mem=4000', 4000],
    ['--mem=4000M', 4000],
    ['--mem=4G', 4096],
    ['--mem=4g', 4096],
    ['--mem=4GB', 4096],
    ['--mem=2048K', 2],
    ['--mem=1025K', 2],
    ['--mem=1T', 1024 * 1024],
    ['-N 2 --mem=4G', 8192],
    ['-n 4 -c 2 --mem-per-cpu=1G', 8192],
    ['-N 2 --ntasks-per-node=4 --mem-per-cpu=500', 4000],
    ['--gpus=2 --mem-per-gpu=10G', 20480],
    ['-N 2 --gres=gpu:4 --mem-per-gpu=16G', 8 * 16384],
  ])('%s → %d MiB', (options, mib) => {
    expect(cmd(`sbatch ${options} -t 10 job.sh`).memMiB).toBe(mib);
  });

  it.each([
    ['--mem=1.5G', 'line 1: --mem: "1.5G" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)'],
    ['--mem=4X', 'line 1: --mem: "4X" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)'],
    ['--mem=G', 'line 1: --mem: "G" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)'],
    ['--mem-per-cpu=-1', 'line 1: --mem-per-cpu: "-1" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)'],
    ['--mem-per-cpu=0', 'line 1: --mem-per-cpu: must be above 0'],
    ['--mem=0', "line 1: --mem: 0 asks for all of each node's memory; the quote needs the node's memory size"],
  ])('%s is refused', (options, message) => {
    expect(fails(() => cmd(`sbatch ${options} -t 10 job.sh`)).message).toBe(message);
  });

  it("takes --mem=0 as all of each node's memory when the node size is given", () => {
    const r = cmd('sbatch -N 2 --mem=0 -t 10 job.sh', { memMiBPerNode: 256000 });
    expect(r.memMiB).toBe(512000);
    expect(r.warnings).toContain("--mem=0 takes all of each node's memory: quoted as 2 × 256000 MiB");
  });

  it.each([
    ['--mem=1G --mem-per-cpu=1G', "line 1: --mem-per-cpu: --mem, --mem-per-cpu and --mem-per-gpu are mutually exclusive (--mem is on line 1)"],
    ['--mem-per-gpu=1G --mem=1G', "line 1: --mem: --mem, --mem-per-cpu and --mem-per-gpu are mutually exclusive (--mem-per-gpu is on line 1)"],
    ['--gpus-per-node=1 --gres=gpu:1', 'line 1: --gres: --gpus-per-node and --gres=gpu are mutually exclusive (--gpus-per-node is on line 1)'],
    ['-c 2 --cpus-per-gpu=4', 'line 1: --cpus-per-gpu: --cpus-per-task and --cpus-per-gpu are mutually exclusive (-c is on line 1)'],
    ['--exclusive -s', 'line 1: -s: --exclusive and --oversubscribe are mutually exclusive (--exclusive is on line 1)'],
  ])('%s is refused, as Slurm refuses it', (options, message) => {
    expect(fails(() => cmd(`sbatch ${options} -t 10 job.sh`)).message).toBe(message);
  });

  it('allows --gpus-per-node beside a GRES that is not a GPU', () => {
    expect(cmd('sbatch --gpus-per-node=1 --gres=shard:1 -t 10 job.sh').gpus).toBe(1);
  });

  it('refuses --mem in the script with --mem-per-cpu on the command line: sbatch counts both as given', () => {
    const e = fails(() => parseJobRequest({ script: '#SBATCH --mem=4G\n#SBATCH -t 10', command: 'sbatch --mem-per-cpu=1G job.sh', commandFirstLine: 3 }));
    expect(e.message).toBe('line 3: --mem-per-cpu: --mem, --mem-per-cpu and --mem-per-gpu are mutually exclusive (--mem is on line 1)');
    expect(e).toMatchObject({ option: '--mem-per-cpu', line: 3, code: 'BAD_INPUT' });
  });

  it("assumes the partition's DefMemPerCPU when no memory option is given", () => {
    const r = cmd('sbatch -n 4 -t 10 job.sh', { memMiBPerCpu: 2000 });
    expect(r.memMiB).toBe(8000);
    expect(r.warnings).toContain("no memory option: assumed the partition's DefMemPerCPU, 2000 MiB per CPU");
  });

  it("assumes the whole node's memory without a DefMemPerCPU but with a node size", () => {
    const r = cmd('sbatch -N 2 -t 10 job.sh', { memMiBPerNode: 1000 });
    expect(r.memMiB).toBe(2000);
    expect(r.warnings).toContain("no memory option and no DefMemPerCPU: assumed all of each node's memory, 1000 MiB");
  });

  it('prices no memory when neither the job nor the defaults say how much, and says so', () => {
    const r = cmd('sbatch -t 10 job.sh');
    expect(r.memMiB).toBe(0);
    expect(r.warnings).toContain("no memory option: the partition's DefMemPerCPU is unknown, so memory is not priced");
  });

  it('warns that --mem-per-gpu without GPUs gives nothing', () => {
    const r = cmd('sbatch --mem-per-gpu=8G -t 10 job.sh');
    expect(r.memMiB).toBe(0);
    expect(r.warnings).toContain('--mem-per-gpu with no GPUs requested gives no memory');
  });

  it('warns that per-node amounts assume one node when the tasks may spread', () => {
    const r = cmd('sbatch -n 64 --mem=8G -t 10 job.sh');
    expect(r).toMatchObject({ nodes: 1, memMiB: 8192 });
    expect(r.warnings).toContain('no node count given: --mem is per node, quoted for 1 node; Slurm may spread the tasks over more');
  });

  it('sizes the node count from the CPUs per node when it is given', () => {
    const r = cmd('sbatch -n 64 --mem=8G -t 10 job.sh', { cpusPerNode: 32 });
    expect(r).toMatchObject({ nodes: 2, memMiB: 16384 });
  });
});

describe('time limits', () => {
  it.each([
    ['30', 30 * 60],
    ['0:30', 60],
    ['1:30', 2 * 60],
    ['5:00', 5 * 60],
    ['90:00', 90 * 60],
    ['1:00:00', 3600],
    ['12:00:00', 12 * 3600],
    ['1:75:00', 2 * 3600 + 15 * 60],
    ['0:0:1', 60],
    ['2-12', 2 * 86400 + 12 * 3600],
    ['1-2:30', 86400 + 2 * 3600 + 30 * 60],
    ['1-02:03:04', 86400 + 2 * 3600 + 4 * 60],
    ['7-00:00:00', 7 * 86400],
  ])('--time=%s → %d s (whole minutes, rounded up, as Slurm keeps them)', (value, seconds) => {
    expect(cmd(`sbatch --time=${value} job.sh`).timeSeconds).toBe(seconds);
    expect(script(`#SBATCH -t ${value}`).timeSeconds).toBe(seconds);
  });

  it.each(['UNLIMITED', 'unlimited', 'INFINITE', 'Infinite', '-1', '0', '0:00', '0-0'])('--time=%s means no limit and cannot be quoted', (value) => {
    expect(fails(() => cmd(`sbatch --time=${value} job.sh`)).message).toBe(
      `line 1: --time: "${value}" means no time limit, which cannot be quoted; give the limit the job will run under`,
    );
  });

  it.each(['1:2:3:4', 'abc', '1.5', '', '1h', '1-2-3', '1-', ':30', '1 2'])('--time=%s is not a Slurm time', (value) => {
    expect(fails(() => cmd(`sbatch "--time=${value}" job.sh`)).message).toBe(
      `line 1: --time: "${value}" is not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)`,
    );
  });

  it("assumes the partition's default time when given, and says so", () => {
    const r = cmd('sbatch job.sh', { timeSeconds: 7200 });
    expect(r.timeSeconds).toBe(7200);
    expect(r.warnings).toContain("no --time: assumed the partition's default time limit, 2 h");
  });

  it('leaves the time unknown without --time or a default', () => {
    const r = cmd('sbatch job.sh');
    expect(r.timeSeconds).toBeNull();
    expect(r.warnings).toContain("no --time: the partition's default time limit applies, which the quote does not know");
  });
});

describe('job arrays', () => {
  it.each([
    ['0-15', 16],
    ['1-9:2', 5],
    ['0-10:5', 3],
    ['1,3,5', 3],
    ['0-99%10', 100],
    ['1-3,2-4', 4],
    ['1,1,1', 1],
    ['[1-4]', 4],
    ['7', 1],
    ['0-4,10-20:5%2', 8],
  ])('--array=%s → %d tasks', (value, tasks) => {
    expect(cmd(`sbatch --array=${value} -t 10 job.sh`).arrayTasks).toBe(tasks);
  });

  it.each([
    ['5-1', 'line 1: --array: "5-1" ends before it starts'],
    ['1-9:0', 'line 1: --array: "1-9:0" has a step of 0'],
    ['a', 'line 1: --array: "a" is not an array spec (like 0-15, 1-9:2, 1,3,5 or 0-99%10)'],
    ['1-3%x', 'line 1: --array: "x" after % is not a number of tasks'],
    ['1,,2', 'line 1: --array: "1,,2" is not an array spec (like 0-15, 1-9:2, 1,3,5 or 0-99%10)'],
  ])('--array=%s is refused', (value, message) => {
    expect(fails(() => cmd(`sbatch --array=${value} -t 10 job.sh`)).message).toBe(message);
  });

  it('warns about an index above the default MaxArraySize', () => {
    expect(cmd('sbatch -a 0-1500 -t 10 job.sh').warnings).toContain('-a 0-1500 uses index 1500; Slurm refuses it unless MaxArraySize is above 1500');
  });

  it('is an sbatch option only: srun ignores it with a warning', () => {
    const r = cmd('srun --array=1-3 -t 10 prog');
    expect(r.arrayTasks).toBe(1);
    expect(r.warnings).toContain('unknown to srun, ignored: --array');
  });
});

describe('--exclusive', () => {
  it('warns that whole nodes are billed and the size is unknown', () => {
    expect(cmd('sbatch --exclusive -t 10 job.sh').warnings).toContain(
      "--exclusive: the job is billed for whole nodes, which the quote cannot size without the node's CPU count; quoted as requested",
    );
  });

  it('quotes whole nodes when their size is given, memory per CPU included', () => {
    const r = cmd('sbatch --exclusive -N 2 -n 4 --mem-per-cpu=1000 -t 10 job.sh', { cpusPerNode: 64 });
    expect(r).toMatchObject({ exclusive: true, cpus: 128, memMiB: 128000 });
    expect(r.warnings).toContain('--exclusive: the job holds whole nodes, quoted as 2 × 64 CPUs');
  });

  it('refuses an unknown mode', () => {
    expect(fails(() => cmd('sbatch --exclusive=all -t 10 job.sh')).message).toBe('line 1: --exclusive: "all" is not one of exclusive, user, mcs, topo');
  });
});

describe('command lines', () => {
  it.each<[string, Partial<JobRequest>]>([
    ['sbatch -J "my job" -t 10 job.sh', { jobName: 'my job' }],
    ["sbatch -J 'my job' -t 10 job.sh", { jobName: 'my job' }],
    ['sbatch --job-name="my job" -t 10 job.sh', { jobName: 'my job' }],
    ['sbatch -J my\\ job -t 10 job.sh', { jobName: 'my job' }],
    ["sbatch -J it\\'s -t 10 job.sh", { jobName: "it's" }],
    ['sbatch -J "say \\"hi\\"" -t 10 job.sh', { jobName: 'say "hi"' }],
    ["sbatch -J 'a\\b' -t 10 job.sh", { jobName: 'a\\b' }],
    ['sbatch -J a"b c"d -t 10 job.sh', { jobName: 'ab cd' }],
    ['sbatch -J "" -t 10 job.sh', { jobName: '' }],
    ['sbatch -t 10 ./jobs/run.sh', { jobName: 'run.sh' }],
    ['sbatch -t 10 --wrap "python x.py"', { jobName: 'wrap' }],
    ['salloc -N 1 -t 1:00:00', { nodes: 1, jobName: null, timeSeconds: 3600 }],
    ['srun -n 4 -c 2 --mem-per-cpu=2G -t 10 python train.py -n 99', { ntasks: 4, cpus: 8, memMiB: 16384, jobName: 'python' }],
  ])('%s', (line, expected) => {
    expect(cmd(line)).toMatchObject(expected);
  });

  it('stops at the script: what follows belongs to it', () => {
    expect(cmd('sbatch -n 2 -t 10 job.sh -n 8 --mem=0').ntasks).toBe(2);
  });

  it('stops at --', () => {
    expect(cmd('srun -n 2 -t 10 -- prog -n 8').ntasks).toBe(2);
  });

  it('joins backslash-newline continuations and numbers lines across them', () => {
    expect(cmd('sbatch -N 2 \\\n  -n 8 \\\n  -t 10 job.sh')).toMatchObject({ nodes: 2, ntasks: 8 });
    expect(fails(() => cmd('sbatch -N 2 \\\n  --time=abc \\\n  job.sh')).line).toBe(2);
    expect(fails(() => cmd('sbatch -N 2 \\\r\n  --time=abc job.sh')).line).toBe(2);
  });

  it('ends the command at ;, & or |, and at a newline not continued', () => {
    expect(cmd('sbatch -n 2 -t 10 --wrap=x; sbatch -n 4 -t 10 --wrap=y').ntasks).toBe(2);
    expect(cmd('sbatch -n 2 -t 10 job.sh && squeue').ntasks).toBe(2);
    expect(cmd('sbatch -n 2 -t 10 --wrap=x\n-n 4').ntasks).toBe(2);
    expect(cmd('sbatch -n 2 -t 10 job.sh # -n 4').ntasks).toBe(2);
  });

  it('skips a pasted prompt and environment assignments, warning about Slurm variables', () => {
    const r = cmd('$ SBATCH_PARTITION=gpu OMP_NUM_THREADS=4 sbatch -n 2 -t 10 job.sh');
    expect(r.ntasks).toBe(2);
    expect(r.warnings).toContain('environment variables are not read by the quote: SBATCH_PARTITION');
  });

  it('warns that shell variables are not expanded', () => {
    const r = cmd('sbatch -J "$USER-job" -t 10 job.sh');
    expect(r.jobName).toBe('$USER-job');
    expect(r.warnings).toContain('shell variables and command substitutions ($…, `…`) are read as they stand, not expanded');
    expect(cmd("sbatch -J '$x' -t 10 job.sh").warnings).not.toContain('shell variables and command substitutions ($…, `…`) are read as they stand, not expanded');
  });

  it.each([
    ['sbatch -J "open -t 10 job.sh', 'line 1: unmatched " in the command line'],
    ["sbatch -J 'open -t 10 job.sh", "line 1: unmatched ' in the command line"],
    ['squeue -u me', 'line 1: expected an sbatch, srun or salloc command, got "squeue"'],
    ['', 'line 1: no sbatch, srun or salloc command found'],
    ['sbatch -t 10 -n', 'line 1: -n: needs a value'],
    ['sbatch -t 10 --ntasks', 'line 1: --ntasks: needs a value'],
    ['sbatch --hold=yes -t 10 job.sh', 'line 1: --hold: takes no value'],
    ['sbatch --cpu=4 -t 10 job.sh', 'line 1: --cpu: is ambiguous: --cpu-freq, --cpus-per-gpu, --cpus-per-task'],
    [
      'sbatch --ntask=4 -t 10 job.sh',
      'line 1: --ntask: is ambiguous: --ntasks, --ntasks-per-core, --ntasks-per-gpu, --ntasks-per-node, --ntasks-per-socket, --ntasks-per-tres',
    ],
    ['sbatch --mem-per=1G -t 10 job.sh', 'line 1: --mem-per: is ambiguous: --mem-per-cpu, --mem-per-gpu'],
  ])('%s is refused', (line, message) => {
    expect(fails(() => cmd(line)).message).toBe(message);
  });

  it('ignores unknown options with a warning naming them', () => {
    const r = cmd('sbatch --frobnicate -y -n 2 -t 10 job.sh');
    expect(r.ntasks).toBe(2);
    expect(r.warnings).toContain('unknown to sbatch, ignored: --frobnicate, -y');
  });

  it("skips the value of another command's option", () => {
    const r = cmd('sbatch --mpi pmix -T 4 -t 10 job.sh');
    expect(r.jobName).toBe('job.sh');
    expect(r.warnings).toContain('unknown to sbatch, ignored: --mpi, -T');
  });

  it('names the options that change the allocation but are not read', () => {
    const r = cmd('sbatch --mincpus=4 --threads-per-core=1 -w node[1-2] -t 10 job.sh');
    expect(r.warnings).toContain('not read by the quote, though they can change the allocation: --mincpus, --threads-per-core, -w');
  });

  it('takes the first of several partitions, with a warning', () => {
    const r = cmd('sbatch -p gpu,cpu -t 10 job.sh');
    expect(r.partition).toBe('gpu');
    expect(r.warnings).toContain('-p gpu,cpu: Slurm starts the job in whichever partition can run it first; quoted for gpu');
  });
});

describe('#SBATCH lines', () => {
  it('reads directives until the first command and warns about later ones', () => {
    const r = script('#!/bin/bash', '#SBATCH -n 4', '', '# a comment', '#SBATCH -t 30', 'module load gcc', '#SBATCH -n 64', '#SBATCH -p big', 'srun ./a.out');
    expect(r).toMatchObject({ ntasks: 4, timeSeconds: 1800, partition: null });
    expect(r.warnings).toContain('#SBATCH on lines 7, 8 comes after the first command (line 6), so sbatch ignores it');
  });

  it('treats an indented line as a comment, not a command', () => {
    const r = script('#SBATCH -t 10', '   # indented comment', '\t', '#SBATCH -n 3');
    expect(r.ntasks).toBe(3);
  });

  it('reads several options on a line, quoted values and trailing comments', () => {
    const r = script(
      '#SBATCH -n 2 -c 4   # two tasks of four',
      '#SBATCH --job-name="my job"#name',
      "#SBATCH --partition='gpu' -t 10 # partition",
      '#SBATCH --account=a\\#b',
    );
    expect(r).toMatchObject({ ntasks: 2, cpus: 8, jobName: 'my job', partition: 'gpu', account: 'a#b' });
  });

  it('ends a value at an unquoted #, as sbatch does', () => {
    expect(script('#SBATCH -t 10 --job-name=a#b').jobName).toBe('a');
  });

  it('lets a value follow its option on the next #SBATCH line', () => {
    expect(script('#SBATCH -t 10 -p', '#SBATCH gpu').partition).toBe('gpu');
  });

  it('warns that an indented #SBATCH is a comment to sbatch', () => {
    const r = script('#SBATCH -t 10', '  #SBATCH -n 8');
    expect(r.ntasks).toBe(1);
    expect(r.warnings).toContain('#SBATCH after leading spaces is a comment to sbatch, not read: line 2');
  });

  it('reads #SLURM lines too, with a warning', () => {
    const r = script('#SLURM -n 2', '#SBATCH -t 10');
    expect(r.ntasks).toBe(2);
    expect(r.warnings).toContain('#SLURM lines are read like #SBATCH, which sbatch asks for instead');
  });

  it('quotes the first component of a heterogeneous job', () => {
    const r = script('#SBATCH -n 2 -t 10', '#SBATCH hetjob', '#SBATCH -n 64');
    expect(r.ntasks).toBe(2);
    expect(r.warnings).toContain('line 2 starts another component of a heterogeneous job; only the first one is quoted');
  });

  it('reads CRLF line endings', () => {
    expect(parseJobScript('#!/bin/bash\r\n#SBATCH -n 2\r\n#SBATCH -t 10\r\necho hi\r\n')).toMatchObject({ ntasks: 2, timeSeconds: 600 });
  });

  it('notes #PBS lines it does not read', () => {
    expect(script('#PBS -l nodes=2', '#SBATCH -t 10').warnings).toContain('#PBS lines are not read by the quote (sbatch translates some of them)');
  });

  it.each([
    [['#SBATCH -t 10', '#SBATCH gpu'], 'line 2: "gpu" is not an option (sbatch stops with "Invalid directive found in batch script")'],
    [['#SBATCH -J "open', '#SBATCH -t 10'], 'line 1: unmatched " in an #SBATCH line'],
    [['#SBATCH : -n 2'], 'line 1: unexpected ":" in an #SBATCH line'],
    [['#SBATCH -t 10', '', '#SBATCH --mem=lots'], 'line 3: --mem: "lots" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)'],
  ])('%j is refused', (lines, message) => {
    expect(fails(() => script(...lines)).message).toBe(message);
  });

  it('applies the command line over the script', () => {
    const r = parseJobRequest({ script: '#SBATCH -n 4\n#SBATCH -t 10\n#SBATCH -p small', command: 'sbatch -n 8 -p big job.sh' });
    expect(r).toMatchObject({ ntasks: 8, timeSeconds: 600, partition: 'big', jobName: 'job.sh' });
  });

  it('refuses #SBATCH lines with an srun command line', () => {
    expect(fails(() => parseJobRequest({ script: '#SBATCH -n 4', command: 'srun -n 2 prog' })).message).toBe('line 1: #SBATCH lines are read by sbatch, not srun');
  });
});

describe('realistic scripts', () => {
  it('a GPU training job', () => {
    const r = script(
      '#!/bin/bash',
      '#SBATCH --job-name=llm-finetune',
      '#SBATCH --partition=gpu',
      '#SBATCH --account=ai-lab',
      '#SBATCH --nodes=1',
      '#SBATCH --ntasks-per-node=1',
      '#SBATCH --cpus-per-task=32',
      '#SBATCH --gres=gpu:a100:4',
      '#SBATCH --mem=256G',
      '#SBATCH --time=2-00:00:00',
      '#SBATCH --output=%x-%j.out',
      '',
      'module load cuda/12.2',
      'srun python train.py --config cfg.yaml',
    );
    expect(r).toEqual({
      nodes: 1,
      ntasks: 1,
      cpusPerTask: 32,
      cpus: 32,
      gpus: 4,
      gpuType: 'a100',
      memMiB: 256 * 1024,
      timeSeconds: 2 * 86400,
      partition: 'gpu',
      account: 'ai-lab',
      qos: null,
      jobName: 'llm-finetune',
      arrayTasks: 1,
      exclusive: false,
      warnings: [],
    });
  });

  it('an MPI job', () => {
    const r = script(
      '#!/bin/bash -l',
      '#SBATCH -J wrf',
      '#SBATCH -p compute',
      '#SBATCH -N 4',
      '#SBATCH --ntasks-per-node 32',
      '#SBATCH --mem-per-cpu=2000',
      '#SBATCH -t 12:00:00',
      '#SBATCH -q normal',
      'module load openmpi',
      'srun ./wrf.exe',
    );
    expect(r).toMatchObject({ nodes: 4, ntasks: 128, cpus: 128, memMiB: 256000, timeSeconds: 12 * 3600, qos: 'normal', warnings: [] });
  });

  it('an array job', () => {
    const r = script(
      '#!/bin/sh',
      '#SBATCH --job-name=sweep',
      '#SBATCH --array=0-99%10',
      '#SBATCH -c 4',
      '#SBATCH --mem=8G',
      '#SBATCH -t 0:45:00',
      'python sweep.py --seed "$SLURM_ARRAY_TASK_ID"',
    );
    expect(r).toMatchObject({ arrayTasks: 100, cpus: 4, memMiB: 8192, timeSeconds: 45 * 60, warnings: [] });
  });
});
