import { describe, expect, it } from 'vitest';
import type { Exec } from '../lib/exec.ts';
import { SACCT_DELIMITER, SACCT_FIELDS, createSacctSource, parseSacctChunks, parseSacctText } from './sacct.ts';
import type { NormalizedJob } from './types.ts';

type Field = (typeof SACCT_FIELDS)[number];
const D = SACCT_DELIMITER;
const header = SACCT_FIELDS.join(D);

function line(values: Partial<Record<Field, string>>): string {
  const base: Record<Field, string> = {
    Cluster: 'c',
    JobID: '1',
    JobIDRaw: '1',
    User: 'alice',
    Account: 'phys',
    Partition: 'cpu',
    State: 'COMPLETED',
    Submit: '2026-11-01T00:00:00',
    Start: '2026-11-01T00:00:10',
    End: '2026-11-01T01:00:10',
    Elapsed: '01:00:00',
    ElapsedRaw: '3600',
    TotalCPU: '02:00:00',
    ReqTRES: 'cpu=2,mem=4096M,node=1',
    AllocTRES: 'cpu=2,mem=4096M,node=1',
    JobName: 'job',
  };
  return SACCT_FIELDS.map((f) => values[f] ?? base[f]).join(D);
}

const text = [
  header,
  line({ JobID: '101', JobName: `a${D}b` }),
  line({ JobID: '101.batch', User: '', JobName: 'batch', TotalCPU: '00:10' }),
  line({ JobID: '102', User: 'bob', JobName: 'naïve run', State: 'CANCELLED by 1000' }),
  line({ JobID: '103_4', End: 'Unknown', State: 'RUNNING' }),
  '',
].join('\r\n');

async function collect(pieces: Iterable<Buffer | string> | AsyncIterable<Buffer | string>) {
  const batches: NormalizedJob[][] = [];
  for await (const batch of parseSacctChunks(pieces, { cluster: 'c' })) batches.push(batch);
  return batches;
}

describe('parseSacctChunks', () => {
  it('reads the same jobs however the bytes are cut: lines and UTF-8 characters split across Buffers, CRLF', async () => {
    const whole = await parseSacctText(text, { cluster: 'c' });
    expect(whole.map((j) => [j.jobId, j.user, j.name, j.state])).toEqual([
      ['101', 'alice', `a${D}b`, 'COMPLETED'],
      ['102', 'bob', 'naïve run', 'CANCELLED'],
      ['103_4', 'alice', 'job', 'RUNNING'],
    ]);
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
      expect((await collect(pieces)).flat(), `pieces of ${size} bytes`).toEqual(whole);
    }
  });

  it('keeps a line cut exactly before its delimiter, and a last line without a newline', async () => {
    const cut = text.indexOf(`a${D}b`) + 1;
    const jobs = (await collect([text.slice(0, cut), text.slice(cut).trimEnd()])).flat();
    expect(jobs.map((j) => j.name)).toEqual([`a${D}b`, 'naïve run', 'job']);
  });

  it('yields a batch per piece of input, not per job', async () => {
    // The last two jobs wait for the end of input: a later line could still continue a name or add a step.
    const batches = await collect([text]);
    expect(batches.map((b) => b.length)).toEqual([1, 2]);
  });
});

describe('the sacct source, streaming', () => {
  const exec =
    (stdout: Buffer[]): Exec =>
    () => ({
      lines: (async function* () {})(),
      stdout: (async function* () {
        yield* stdout;
      })(),
      done: Promise.resolve({ code: 0, stderr: '' }),
    });
  const q = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') };

  it('reads stdout in Buffers and keeps the latest of adjacent runs of a job', async () => {
    const requeued = [header, line({ JobID: '7', State: 'REQUEUED', Submit: '2026-11-01T00:00:00' }), line({ JobID: '7', Submit: '2026-11-01T02:00:00' }), line({ JobID: '8' }), ''].join('\n');
    const source = createSacctSource({ cluster: 'c', timeoutMs: 1000, exec: exec([Buffer.from(requeued)]) });
    const batches: NormalizedJob[][] = [];
    for await (const batch of source.streamJobs!(q)) batches.push(batch);
    expect(batches.flat().map((j) => [j.jobId, j.state])).toEqual([
      ['7', 'COMPLETED'],
      ['8', 'COMPLETED'],
    ]);
    expect(await source.fetchJobs(q)).toEqual(batches.flat());
  });
});
