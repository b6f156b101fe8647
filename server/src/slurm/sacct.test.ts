import { describe, expect, it } from 'vitest';
import { listSlurmFixtures, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import { spawnExec, type Exec } from '../lib/exec.ts';
import { SACCT_DELIMITER, SACCT_FIELDS, createSacctSource, parseSacctStream, parseSacctText, sacctArgs } from './sacct.ts';
import type { NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

const utc = (s: string) => new Date(`${s}Z`);
const byId = (jobs: NormalizedJob[]) => new Map(jobs.map((j) => [j.jobId, j]));

describe('sacctArgs', () => {
  const q = { from: new Date('2026-08-01T07:00:00+07:00'), to: new Date('2026-09-01T00:00:00Z') };

  it('asks for every user, in UTC, in exact units, with JobName last and the unit-separator delimiter', () => {
    expect(sacctArgs(q)).toEqual([
      '--parsable2',
      '--delimiter=\x1f',
      '--noconvert',
      '-S',
      '2026-08-01T00:00:00',
      '-E',
      '2026-09-01T00:00:00',
      '--allusers',
      '--format=Cluster,JobID,JobIDRaw,User,Account,Partition,State,Submit,Start,End,Elapsed,ElapsedRaw,TotalCPU,ReqTRES,AllocTRES,JobName',
    ]);
    expect(SACCT_FIELDS.at(-1)).toBe('JobName');
  });

  it('filters one user with -u and never mixes in --allusers', () => {
    const args = sacctArgs({ ...q, user: 'alice' });
    expect(args).toContain('-u');
    expect(args[args.indexOf('-u') + 1]).toBe('alice');
    expect(args).not.toContain('--allusers');
  });

  it('leaves out --allusers when the source is limited to its own user', () => {
    expect(sacctArgs(q, { allUsers: false })).not.toContain('--allusers');
  });
});

describe('parseSacctText on the real Slurm 22.05 captures', () => {
  const steps = slurmFixtureText('real-22.05/privatedata-none/sacct/root-allusers-steps.psv');

  it('folds steps into 12 jobs with the values sacct printed', async () => {
    const jobs = await parseSacctText(steps, { cluster: 'sandbox' });
    expect(jobs.map((j) => j.jobId)).toEqual(['1', '2', '4', '5', '6', '7', '8', '9', '11', '10_1', '10_2', '10_3']);
    expect(jobs[0]).toEqual({
      cluster: 'sandbox',
      jobId: '1',
      user: 'alice',
      account: 'physics',
      partition: 'cpu',
      name: 'seed-cpu-srun',
      state: 'COMPLETED',
      submit: utc('2026-11-24T11:34:02'),
      start: utc('2026-11-24T11:34:04'),
      end: utc('2026-11-24T11:34:07'),
      elapsedSeconds: 3,
      totalCpuSeconds: 3.29,
      reqTres: { billing: 2, cpu: 2, mem: 512, node: 1 },
      allocTres: { billing: 2, cpu: 2, mem: 512, node: 1 },
    });
    const m = byId(jobs);
    expect(m.get('2')).toMatchObject({ state: 'CANCELLED', allocTres: {}, elapsedSeconds: 0, totalCpuSeconds: 0 });
    expect(m.get('4')).toMatchObject({ state: 'TIMEOUT', elapsedSeconds: 84, reqTres: { mem: 100 } });
    expect(m.get('4')!.totalCpuSeconds).toBeCloseTo(0.026, 6);
    expect(m.get('6')!.state).toBe('FAILED');
    expect(m.get('7')!.allocTres).toEqual({ billing: 1, cpu: 1, 'gres/gpu': 2, mem: 1024, node: 1 });
    expect(m.get('10_2')).toMatchObject({ user: 'alice', name: 'seed-array', start: utc('2026-11-24T11:34:19') });
  });

  it('takes TotalCPU from the allocation line, which sacct already summed from the steps (no double count)', async () => {
    const job = (await parseSacctText(steps))[0];
    // 1.batch 0.150 + 1.extern 0.011 + 1.0 3.114 + 1.1 0.014 = 3.289 as printed (each truncated to ms); sacct's 3.290.
    expect(job.totalCpuSeconds).toBe(3.29);
  });

  it('gets 0 CPU from -X captures: without steps sacct has nothing to sum', async () => {
    const jobs = await parseSacctText(slurmFixtureText('real-22.05/privatedata-none/sacct/root-allusers-X.psv'));
    expect(jobs).toHaveLength(12);
    expect(jobs.every((j) => j.totalCpuSeconds === 0)).toBe(true);
  });

  it('reads --noheader output when told the field order', async () => {
    const fields = steps.split('\n')[0].split('|');
    const jobs = await parseSacctText(slurmFixtureText('real-22.05/privatedata-none/sacct/root-allusers-steps-noheader.psv'), { fields });
    expect(jobs).toEqual(await parseSacctText(steps));
  });

  it('keeps the never-eligible job that only a -j query shows', async () => {
    const jobs = byId(await parseSacctText(slurmFixtureText('real-22.05/privatedata-none/sacct/root-by-jobids-steps.psv')));
    expect(jobs.size).toBe(13);
    expect(jobs.get('3')).toMatchObject({ user: 'bob', state: 'CANCELLED', name: 'seed-held-cancelled' });
  });

  it.each(listSlurmFixtures('real-22.05', /\.psv$/))('parses %s', async (rel) => {
    const jobs = await parseSacctText(slurmFixtureText(rel), {
      cluster: 'sandbox',
      fields: rel.includes('noheader') ? steps.split('\n')[0].split('|') : undefined,
    });
    const users = new Set(jobs.map((j) => j.user));
    expect(jobs.length).toBeGreaterThanOrEqual(4);
    expect([...users].every((u) => ['alice', 'bob', 'oper', 'root'].includes(u))).toBe(true);
    expect(jobs.every((j) => /^\d+(_\d+)?$/.test(j.jobId) && j.state !== '')).toBe(true);
  });
});

describe('parseSacctText on the unit-separator capture (names with |, \\x1f and a newline)', () => {
  const text = slurmFixtureText('real-22.05-extra/sacct/root-allusers-steps.usv');

  it('rejoins names containing the delimiter and a newline, and reads het, requeued and running jobs', async () => {
    const jobs = byId(await parseSacctText(text));
    expect([...jobs.keys()]).toEqual(['13', '14', '15', '16', '17+0', '17+1', '19', '20']);
    expect(jobs.get('13')!.name).toBe('pipe|name,comma');
    expect(jobs.get('15')!.name).toBe('us\x1fsep');
    expect(jobs.get('16')!.name).toBe('two\nlines');
    expect(jobs.get('16')!.totalCpuSeconds).toBe(0.006);
    // slurmdbd's MariaDB tables were latin1 on this sandbox: the Thai name was stored as '?'.
    expect(jobs.get('14')!.name).toBe('???????? ???????');
    expect(jobs.get('17+1')).toMatchObject({ state: 'CANCELLED', start: null, end: utc('2026-11-26T03:20:28'), allocTres: {} });
    expect(jobs.get('19')).toMatchObject({ state: 'COMPLETED', submit: utc('2026-11-26T03:20:35'), elapsedSeconds: 9 });
    expect(jobs.get('20')).toMatchObject({ state: 'RUNNING', end: null, elapsedSeconds: 18, totalCpuSeconds: 0 });
    expect(jobs.get('20')!.cluster).toBe('sandbox');
  });

  it('reads the same jobs from the | capture of the same moment, except the name that holds a |', async () => {
    const usv = await parseSacctText(text);
    const psv = await parseSacctText(slurmFixtureText('real-22.05-extra/sacct/root-allusers-steps.psv'));
    expect(psv.map((j) => j.jobId)).toEqual(usv.map((j) => j.jobId));
    expect(psv.find((j) => j.jobId === '13')!.name).toBe('pipe|name,comma');
  });

  it('filtered by -u alice, steps still fold into their jobs', async () => {
    const jobs = await parseSacctText(slurmFixtureText('real-22.05-extra/sacct/root-user-alice-steps.usv'));
    expect(jobs.map((j) => j.jobId)).toEqual(['13', '15', '16', '17+0', '17+1', '20']);
    expect(jobs.every((j) => j.user === 'alice')).toBe(true);
  });
});

describe('parseSacctStream on hand-made input', () => {
  const header = 'JobID|User|Account|Partition|State|Submit|Start|End|Elapsed|TotalCPU|ReqTRES|AllocTRES|JobName';
  const parse = (...lines: string[]) => parseSacctText([header, ...lines].join('\n'), { cluster: 'c1' });

  it('rejoins a | inside the last field (JobName)', async () => {
    const [job] = await parse('7|bob|chem|cpu|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:10|2026-01-01T00:01:10|00:01:00|00:30.500|cpu=1|cpu=1|a|b|c');
    expect(job.name).toBe('a|b|c');
    expect(job.totalCpuSeconds).toBe(30.5);
  });

  it('maps "CANCELLED by 1002", Unknown/None/empty times and empty account', async () => {
    const [job] = await parse('8|bob||cpu|CANCELLED by 1002|2026-01-01T00:00:00|None||00:00:00|00:00:00|cpu=2||x');
    expect(job).toMatchObject({ state: 'CANCELLED', start: null, end: null, account: null, allocTres: {} });
    const [running] = await parse('9|bob|chem|cpu|RUNNING|2026-01-01T00:00:00|2026-01-01T00:00:00|Unknown|1-00:00:00|00:00:00|cpu=2|cpu=2|x');
    expect(running).toMatchObject({ state: 'RUNNING', end: null, elapsedSeconds: 86400 });
  });

  it('sums finished steps when the allocation line carries no TotalCPU, skipping running steps', async () => {
    const [job] = await parse(
      '10|carol|bio|cpu|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T02:00:00|02:00:00|00:00:00|cpu=4|cpu=4|big',
      '10.batch||bio||COMPLETED|||||01:00:00|||batch',
      '10.0||bio||CANCELLED|||||1-00:00:01|||step0',
      '10.1||bio||RUNNING|||||00:10.000|||step1',
    );
    expect(job.totalCpuSeconds).toBe(3600 + 86401);
  });

  it('ignores steps whose job line is not the current one', async () => {
    const jobs = await parse(
      '11.batch||x||COMPLETED|||||00:10.000|||batch',
      '12|dave|x|cpu|COMPLETED|2026-01-01T00:00:00|2026-01-01T00:00:00|2026-01-01T00:00:01|00:00:01|00:00:00|cpu=1|cpu=1|j',
      '13.0||x||COMPLETED|||||00:10.000|||s',
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ jobId: '12', totalCpuSeconds: 0 });
  });

  it('keeps array tasks and het components as separate jobs', async () => {
    const jobs = await parse(
      '20_1|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|arr',
      '20_1.batch||x||COMPLETED|||||00:01.000|||batch',
      '20_2|a|x|cpu|FAILED|||||00:00:00|cpu=1|cpu=1|arr',
      '30+0|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|het',
      '30+1|a|x|cpu|COMPLETED|||||00:00:00|cpu=8|cpu=8|het',
      '30+1.0||x||COMPLETED|||||00:02.000|||s',
    );
    expect(jobs.map((j) => [j.jobId, j.totalCpuSeconds])).toEqual([
      ['20_1', 1],
      ['20_2', 0],
      ['30+0', 0],
      ['30+1', 2],
    ]);
  });

  it('rejects a header without JobID, rows without a user, and short rows before any job', async () => {
    await expect(parseSacctText('User|State\nalice|COMPLETED')).rejects.toThrow(/header has no JobID/);
    await expect(parse('14||x|cpu|COMPLETED|||||00:00:00|||n')).rejects.toThrow(/job 14 \(row 1\) has no User/);
    await expect(parse('15|bob|x')).rejects.toThrow(/line 2 has 3 fields, expected 13/);
    await expect(parse('15|bob|x')).rejects.toBeInstanceOf(SlurmSourceError);
  });

  it('streams: jobs come out before the input ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* lines() {
      yield header;
      yield '1|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|one';
      yield '2|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|two';
      // A job is complete once the next job's line has been read (and the one after: a name may span lines).
      yield '3|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|three';
      await gate;
      yield '4|a|x|cpu|COMPLETED|||||00:00:00|cpu=1|cpu=1|four';
    }
    const it = parseSacctStream(lines())[Symbol.asyncIterator]();
    expect((await it.next()).value.jobId).toBe('1');
    release();
    const rest = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value.jobId);
    expect(rest).toEqual(['2', '3', '4']);
  });
});

describe('createSacctSource', () => {
  const usv = slurmFixtureText('real-22.05-extra/sacct/root-allusers-steps.usv');
  const q = { from: new Date('2026-11-26T03:19:01Z'), to: new Date('2026-11-26T03:23:32Z') };

  function fakeExec(text: string, end: { code: number | null; stderr: string; signal?: string | null; error?: Error }) {
    const calls: Array<{ cmd: string; args: readonly string[]; env: Record<string, string>; timeoutMs: number }> = [];
    let killed = false;
    const exec: Exec = (cmd, args, opts) => {
      calls.push({ cmd, args, env: opts.env, timeoutMs: opts.timeoutMs });
      return {
        lines: (async function* () {
          yield* text ? text.split('\n') : [];
        })(),
        done: Promise.resolve(end),
        kill: () => {
          killed = true;
        },
      };
    };
    return { exec, calls, killed: () => killed };
  }

  it('runs sacct with UTC and returns the folded jobs, labelled with the configured cluster', async () => {
    const fake = fakeExec(usv, { code: 0, stderr: '' });
    const source = createSacctSource({ exec: fake.exec, sacctPath: '/usr/bin/sacct', cluster: 'hpc', timeoutMs: 5000 });
    const jobs = await source.fetchJobs(q);
    expect(source.name).toBe('sacct');
    expect(jobs).toHaveLength(8);
    expect(jobs.every((j) => j.cluster === 'hpc')).toBe(true);
    expect(fake.calls[0]).toMatchObject({ cmd: '/usr/bin/sacct', env: { TZ: 'UTC', SLURM_TIME_FORMAT: 'standard' }, timeoutMs: 5000 });
    expect(fake.calls[0].args).toEqual(sacctArgs(q));
  });

  it('keeps only the asked user', async () => {
    const fake = fakeExec(usv, { code: 0, stderr: '' });
    const jobs = await createSacctSource({ exec: fake.exec, cluster: 'hpc', timeoutMs: 5000 }).fetchJobs({ ...q, user: 'bob' });
    expect(jobs.map((j) => j.jobId)).toEqual(['14', '19']);
    const args = fake.calls[0].args;
    expect(args.slice(args.indexOf('-u'), args.indexOf('-u') + 2)).toEqual(['-u', 'bob']);
  });

  it('fails with the exit code and stderr', async () => {
    const fake = fakeExec('', { code: 1, stderr: 'sacct: error: Problem talking to the database: Connection refused\n' });
    const source = createSacctSource({ exec: fake.exec, cluster: 'hpc', timeoutMs: 5000 });
    await expect(source.fetchJobs(q)).rejects.toThrow(
      'sacct: sacct exited with code 1: sacct: error: Problem talking to the database: Connection refused',
    );
  });

  it('says when sacct cannot be started or was killed', async () => {
    const missing = fakeExec('', { code: null, stderr: '', error: Object.assign(new Error('spawn sacct ENOENT'), { code: 'ENOENT' }) });
    await expect(createSacctSource({ exec: missing.exec, cluster: 'c', timeoutMs: 10 }).fetchJobs(q)).rejects.toThrow(
      'could not run sacct: spawn sacct ENOENT',
    );
    const killed = fakeExec('', { code: null, stderr: '', signal: 'SIGKILL' });
    await expect(createSacctSource({ exec: killed.exec, cluster: 'c', timeoutMs: 10 }).fetchJobs(q)).rejects.toThrow(
      'sacct was killed (SIGKILL; timeout 10 ms)',
    );
  });

  it('stops the process when its output cannot be parsed', async () => {
    const fake = fakeExec('JobID|User\n1|alice|extra', { code: 0, stderr: '' });
    await expect(createSacctSource({ exec: fake.exec, cluster: 'c', timeoutMs: 10 }).fetchJobs(q)).rejects.toThrow(
      /line 2 has 3 fields, expected 2/,
    );
    expect(fake.killed()).toBe(true);
  });
});

describe('spawnExec', () => {
  const node = process.execPath;

  it('streams stdout lines of a real process and reports its exit', async () => {
    const script = `process.stdout.write(${JSON.stringify(`JobID${SACCT_DELIMITER}User${SACCT_DELIMITER}State\n1${SACCT_DELIMITER}alice${SACCT_DELIMITER}COMPLETED\n`)}); console.error('warn: ' + process.env.TZ)`;
    const run = spawnExec(node, ['-e', script], { env: { TZ: 'UTC' }, timeoutMs: 10_000 });
    const jobs: NormalizedJob[] = [];
    for await (const job of parseSacctStream(run.lines)) jobs.push(job);
    expect(jobs.map((j) => [j.jobId, j.user, j.state])).toEqual([['1', 'alice', 'COMPLETED']]);
    expect(await run.done).toMatchObject({ code: 0, stderr: 'warn: UTC\n' });
  });

  it('kills a process that outlives its timeout', async () => {
    const started = Date.now();
    const run = spawnExec(node, ['-e', 'setTimeout(() => {}, 60000)'], { env: {}, timeoutMs: 300 });
    for await (const _ of run.lines) void _;
    const end = await run.done;
    expect(end.code).toBeNull();
    expect(end.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a missing program through done', async () => {
    const run = spawnExec('/nonexistent/sacct', [], { env: {}, timeoutMs: 1000 });
    for await (const _ of run.lines) void _;
    const end = await run.done;
    expect(end.error?.message).toMatch(/ENOENT/);
  });
});
