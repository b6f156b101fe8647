import { describe, expect, it } from 'vitest';
import { parseSacctText } from './sacct.ts';

const D = '\x1f';
const header = ['JobID', 'User', 'State', 'Start', 'TotalCPU', 'AllocTRES', 'JobName'].join(D);
const row = (...fields: string[]) => fields.join(D);
const parse = (...lines: string[]) => parseSacctText([header, ...lines, ''].join('\n'), { cluster: 'c' });
const cpu = (jobs: Awaited<ReturnType<typeof parse>>) => jobs.map((j) => [j.jobId, j.name, j.totalCpuSeconds]);

describe('parseSacctText: rows read in place', () => {
  it('rejoins the delimiter and a newline in the names of jobs and steps alike', async () => {
    const jobs = await parse(
      row('1', 'ann', 'COMPLETED', '2026-01-01T00:00:00', '00:00:00', 'cpu=1', `a${D}b`),
      row('1.batch', '', 'COMPLETED', '', '00:01.500', 'cpu=1', `batch${D}x${D}y`),
      row('1.0', '', 'COMPLETED', '', '00:02.000', 'cpu=1', 'two'),
      `lines${D}and more`,
      row('2', 'bob', 'FAILED', '2026-01-01T00:00:00', '00:00:00', 'cpu=1', 'first'),
      'second',
      row('2.batch', '', 'COMPLETED', '', '00:04.000', 'cpu=1', 'batch'),
    );
    expect(cpu(jobs)).toEqual([
      ['1', `a${D}b`, 3.5],
      ['2', 'first\nsecond', 4],
    ]);
  });

  it('folds a step only into its own job: a JobID that merely starts with the job’s is another job’s step', async () => {
    const jobs = await parse(
      row('1', 'ann', 'COMPLETED', '', '00:00:00', 'cpu=1', 'one'),
      row('10.batch', '', 'COMPLETED', '', '00:05.000', 'cpu=1', 'batch'),
      row('10', 'ann', 'COMPLETED', '', '00:00:00', 'cpu=1', 'ten'),
      row('1.batch', '', 'COMPLETED', '', '00:05.000', 'cpu=1', 'batch'),
      row('10_1.batch', '', 'COMPLETED', '', '00:05.000', 'cpu=1', 'batch'),
      row('10.0', '', 'COMPLETED', '', '00:01.000', 'cpu=1', 'step'),
    );
    expect(cpu(jobs)).toEqual([
      ['1', 'one', 0],
      ['10', 'ten', 1],
    ]);
  });

  it('reads JobIDs with spaces as the folder trims them, and a JobID starting with a dot as a job', async () => {
    const jobs = await parse(
      row(' 3 ', 'ann', 'COMPLETED', '', '00:00:00', 'cpu=1', 'three'),
      row(' 3.batch', '', 'COMPLETED', '', '00:02.000', 'cpu=1', 'batch'),
      row('3.0 ', '', ' COMPLETED', '', '00:03.000', 'cpu=1', 'step'),
    );
    expect(cpu(jobs)).toEqual([['3', 'three', 5]]);
    await expect(parse(row('.batch', '', 'COMPLETED', '', '00:01.000', 'cpu=1', 'batch'))).rejects.toThrow(/job \.batch \(row 1\) has no User/);
  });

  it('takes the last of a repeated header name for a job and reads a delimiter of several characters', async () => {
    const [job] = await parseSacctText(['JobID||User||State||User||JobName', '4||ann||COMPLETED||bob||x||y'].join('\n'), { delimiter: '||', cluster: 'c' });
    expect(job).toMatchObject({ jobId: '4', user: 'bob', state: 'COMPLETED', name: 'x||y' });
  });

  it('splits between every character with an empty delimiter, as String.split does', async () => {
    const [job] = await parseSacctText('1aXYname', { delimiter: '', fields: ['JobID', 'User', 'State', 'Partition', 'JobName'], cluster: 'c' });
    expect(job).toMatchObject({ jobId: '1', user: 'a', state: 'X', partition: 'Y', name: 'name' });
  });

  it('counts fields as before: a short line before any row, or a long one without JobName last, is refused', async () => {
    await expect(parse('5')).rejects.toThrow(/line 2 has 1 fields, expected 7/);
    await expect(parseSacctText('JobID|User|State\n6|ann|COMPLETED|extra', { cluster: 'c' })).rejects.toThrow(/line 2 has 4 fields, expected 3/);
    await expect(parseSacctText('6|ann|COMPLETED', { fields: ['User', 'State', 'JobName'], cluster: 'c' })).rejects.toThrow(TypeError);
  });
});
