import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, createCsvSource, parseCsvJobs, parseCsvText } from './csv.ts';
import { SlurmSourceError } from './types.ts';

const HEADER = CSV_COLUMNS.join(',');
const row = (cells: Record<string, string>) =>
  CSV_COLUMNS.map((c) => {
    const v = cells[c] ?? '';
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');

const base = {
  Cluster: 'tara',
  JobID: '100',
  User: 'alice',
  Account: 'physics',
  Partition: 'cpu',
  JobName: 'run',
  State: 'COMPLETED',
  Submit: '2026-10-01T00:00:00',
  Start: '2026-10-01T00:10:00',
  End: '2026-10-01T02:10:00',
  Elapsed: '02:00:00',
  TotalCPU: '07:59:00',
  ReqTRES: 'billing=4,cpu=4,mem=16G,node=1',
  AllocTRES: 'billing=4,cpu=4,mem=16G,node=1',
};

describe('parseCsvText', () => {
  it('reads sacct field names and formats', async () => {
    const jobs = await parseCsvText([HEADER, row(base)].join('\n'), { cluster: 'demo' });
    expect(jobs).toEqual([
      {
        cluster: 'tara',
        jobId: '100',
        user: 'alice',
        account: 'physics',
        partition: 'cpu',
        name: 'run',
        state: 'COMPLETED',
        submit: new Date('2026-10-01T00:00:00Z'),
        start: new Date('2026-10-01T00:10:00Z'),
        end: new Date('2026-10-01T02:10:00Z'),
        elapsedSeconds: 7200,
        totalCpuSeconds: 28740,
        reqTres: { billing: 4, cpu: 4, mem: 16384, node: 1 },
        allocTres: { billing: 4, cpu: 4, mem: 16384, node: 1 },
      },
    ]);
  });

  it('uses the default cluster without a Cluster column, accepts ElapsedRaw, any column order and case, a BOM and CRLF', async () => {
    const text =
      '\uFEFFjobid,USER,account,partition,jobname,state,submit,start,end,elapsedraw,totalcpu,reqtres,alloctres,Comment\r\n' +
      '7_3,bob,chem,gpu,"name, with comma",CANCELLED by 1002,2026-10-01T00:00:00,Unknown,2026-10-01T00:05:00,0,00:00:00,"cpu=8,gres/gpu:a100=2",,x\r\n' +
      '8+1,bob,chem,gpu,"สวัสดี ""quoted""\nsecond line",RUNNING,2026-10-01T00:00:00,2026-10-01T00:01:00,Unknown,3600,00:00:00,cpu=8,cpu=8,y\r\n';
    const jobs = await parseCsvText(text, { cluster: 'demo' });
    expect(jobs.map((j) => [j.cluster, j.jobId, j.state, j.name, j.start, j.end, j.elapsedSeconds])).toEqual([
      ['demo', '7_3', 'CANCELLED', 'name, with comma', null, new Date('2026-10-01T00:05:00Z'), 0],
      ['demo', '8+1', 'RUNNING', 'สวัสดี "quoted"\nsecond line', new Date('2026-10-01T00:01:00Z'), null, 3600],
    ]);
    expect(jobs[0].reqTres).toEqual({ cpu: 8, 'gres/gpu:a100': 2 });
    expect(jobs[0].allocTres).toEqual({});
  });

  it('folds exported step rows like sacct does', async () => {
    const text = [
      HEADER,
      row({ ...base, TotalCPU: '00:00:00' }),
      row({ ...base, JobID: '100.batch', User: '', TotalCPU: '01:00:00', State: 'COMPLETED' }),
      row({ ...base, JobID: '100.0', User: '', TotalCPU: '00:30.250', State: 'FAILED' }),
    ].join('\n');
    const [job] = await parseCsvText(text, { cluster: 'demo' });
    expect(job.totalCpuSeconds).toBe(3630.25);
  });

  it.each(['JobID', 'User', 'State', 'AllocTRES', 'TotalCPU', 'JobName'])('names a missing %s column', async (col) => {
    const cols = CSV_COLUMNS.filter((c) => c !== col);
    const err = await parseCsvText(`${cols.join(',')}\n`, { cluster: 'c', where: '/data/jobs.csv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlurmSourceError);
    expect((err as Error).message).toBe(`csv: missing column ${col} in /data/jobs.csv`);
  });

  it('names a missing Elapsed when neither Elapsed nor ElapsedRaw is there', async () => {
    const cols = CSV_COLUMNS.filter((c) => c !== 'Elapsed');
    await expect(parseCsvText(`${cols.join(',')}\n`, { cluster: 'c', where: 'x.csv' })).rejects.toThrow(
      'csv: missing column Elapsed (or ElapsedRaw) in x.csv',
    );
  });

  it('reports malformed CSV and empty files with the file name', async () => {
    await expect(parseCsvText(`${HEADER}\n${row(base)},extra`, { cluster: 'c', where: 'bad.csv' })).rejects.toThrow(
      /^csv: bad.csv is not valid CSV: Invalid Record Length: expect 14, got 15 on line 2/,
    );
    await expect(parseCsvText(`${HEADER}\n100,"unterminated`, { cluster: 'c', where: 'bad.csv' })).rejects.toThrow(/^csv: bad.csv is not valid CSV: Quote Not Closed/);
    await expect(parseCsvText('', { cluster: 'c', where: 'empty.csv' })).rejects.toThrow('csv: empty.csv is empty (no header row)');
    await expect(parseCsvText(`${HEADER}\n${row({ ...base, State: '' })}`, { cluster: 'c', where: 'e.csv' })).rejects.toThrow(
      'csv: e.csv: job 100 (row 1) has no State',
    );
  });

  it('streams from an async iterable of chunks split anywhere', async () => {
    const text = [HEADER, row(base), row({ ...base, JobID: '101', JobName: 'ไทย' })].join('\n');
    const bytes = Buffer.from(text);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const ids: string[] = [];
    for await (const job of parseCsvJobs(chunks(), { cluster: 'c' })) ids.push(`${job.jobId}:${job.name}`);
    expect(ids).toEqual(['100:run', '101:ไทย']);
  });
});

describe('createCsvSource', () => {
  const text = [
    HEADER,
    row({ ...base, JobID: '1', End: '2026-09-30T23:59:59' }),
    row({ ...base, JobID: '2', End: '2026-10-01T00:00:00' }),
    row({ ...base, JobID: '3', User: 'bob', End: '2026-10-31T23:59:59' }),
    row({ ...base, JobID: '4', End: '2026-11-01T00:00:00' }),
    row({ ...base, JobID: '5', State: 'RUNNING', Start: '2026-10-20T00:00:00', End: 'Unknown' }),
    row({ ...base, JobID: '6', State: 'PENDING', Submit: '2026-11-02T00:00:00', Start: 'Unknown', End: 'Unknown' }),
  ].join('\n');
  const q = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };

  it('keeps jobs that ended in [from, to) and jobs still running or pending that began before `to`', async () => {
    const source = createCsvSource({ path: '/x/jobs.csv', cluster: 'demo', readFile: async () => text });
    expect(source.name).toBe('csv');
    expect((await source.fetchJobs(q)).map((j) => j.jobId)).toEqual(['2', '3', '5']);
    expect((await source.fetchJobs({ ...q, user: 'bob' })).map((j) => j.jobId)).toEqual(['3']);
    expect((await source.fetchJobs({ ...q, to: new Date('2026-12-01T00:00:00Z') })).map((j) => j.jobId)).toEqual(['2', '3', '4', '5', '6']);
  });

  it('streams the demo file from disk', async () => {
    const path = new URL('../../demo/jobs.csv', import.meta.url).pathname;
    const jobs = await createCsvSource({ path, cluster: 'demo' }).fetchJobs({ from: new Date('2026-01-01Z'), to: new Date('2027-01-01Z') });
    expect(jobs.length).toBeGreaterThan(380);
    expect(jobs.length).toBe((await readFile(path, 'utf8')).trim().split('\n').length - 1);
  });

  it('fails clearly on a missing file', async () => {
    await expect(createCsvSource({ path: '/nonexistent/jobs.csv', cluster: 'demo' }).fetchJobs(q)).rejects.toThrow(
      /^csv: cannot read \/nonexistent\/jobs.csv: ENOENT/,
    );
    await expect(
      createCsvSource({ path: '/nope.csv', cluster: 'demo', readFile: () => Promise.reject(new Error('EACCES: permission denied')) }).fetchJobs(q),
    ).rejects.toThrow('csv: cannot read /nope.csv: EACCES: permission denied');
  });
});
