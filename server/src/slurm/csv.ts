import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { AdjacentDedupe, dedupeJobs, foldSacctRows, inQueryWindow, type SacctRow } from './normalize.ts';
import type { JobSource } from './source.ts';
import type { FetchJobsQuery, NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

/** Header of an exported job list: sacct's field names. Cluster is optional; ElapsedRaw may stand for Elapsed. */
export const CSV_COLUMNS = [
  'Cluster',
  'JobID',
  'User',
  'Account',
  'Partition',
  'JobName',
  'State',
  'Submit',
  'Start',
  'End',
  'Elapsed',
  'TotalCPU',
  'ReqTRES',
  'AllocTRES',
] as const;

const REQUIRED = CSV_COLUMNS.filter((c) => c !== 'Cluster' && c !== 'Elapsed');
const KNOWN = new Map([...CSV_COLUMNS, 'ElapsedRaw', 'JobIDRaw'].map((c) => [c.toLowerCase(), c]));

export interface CsvParseOptions {
  /** Used when the file has no Cluster column (or an empty cell). */
  cluster: string;
  /** File name for messages. */
  where?: string;
}

type CsvInput = string | Buffer | NodeJS.ReadableStream | AsyncIterable<string | Buffer>;

/** CSV text or stream → jobs, streaming. Step rows (`123.batch`), if exported, fold into their job as in sacct. */
export async function* parseCsvJobs(input: CsvInput, opts: CsvParseOptions): AsyncGenerator<NormalizedJob> {
  const where = opts.where ?? 'CSV input';
  const parser = parse({ bom: true, skip_empty_lines: true });
  const src =
    typeof input === 'string' || Buffer.isBuffer(input)
      ? Readable.from([input])
      : input instanceof Readable
        ? input
        : Readable.from(input as AsyncIterable<string | Buffer>);
  pipeline(src, parser, () => {
    // errors reach the consumer through the parser, which pipeline destroys with them
  });
  const rows = csvRows(parser, where);
  for await (const job of foldSacctRows(rows, { source: 'csv', where })) {
    yield job.cluster ? job : { ...job, cluster: opts.cluster };
  }
}

async function* csvRows(records: AsyncIterable<string[]>, where: string): AsyncGenerator<SacctRow> {
  let header: Array<string | null> | null = null;
  try {
    for await (const record of records) {
      if (!header) {
        header = record.map((h) => KNOWN.get(h.trim().toLowerCase()) ?? null);
        const has = new Set(header);
        for (const col of REQUIRED) {
          if (!has.has(col)) throw new SlurmSourceError('csv', `missing column ${col} in ${where}`);
        }
        if (!has.has('Elapsed') && !has.has('ElapsedRaw')) {
          throw new SlurmSourceError('csv', `missing column Elapsed (or ElapsedRaw) in ${where}`);
        }
        continue;
      }
      const row: SacctRow = {};
      header.forEach((name, i) => {
        if (name) row[name] = record[i];
      });
      yield row;
    }
  } catch (err) {
    if (err instanceof SlurmSourceError) throw err;
    const e = err as NodeJS.ErrnoException;
    const what = e.code === 'ENOENT' || e.code === 'EACCES' ? `cannot read ${where}` : `${where} is not valid CSV`;
    throw new SlurmSourceError('csv', `${what}: ${e.message}`, { cause: err });
  }
  if (!header) throw new SlurmSourceError('csv', `${where} is empty (no header row)`);
}

export async function parseCsvText(text: string, opts: CsvParseOptions): Promise<NormalizedJob[]> {
  const jobs: NormalizedJob[] = [];
  for await (const job of parseCsvJobs(text, opts)) jobs.push(job);
  return jobs;
}

export interface CsvSourceOptions {
  path: string;
  cluster: string;
  /** Reads the whole file instead of streaming it (tests). */
  readFile?: (path: string) => Promise<string>;
}

export function createCsvSource(opts: CsvSourceOptions): JobSource {
  async function* streamJobs(q: FetchJobsQuery): AsyncGenerator<NormalizedJob[]> {
    let input: CsvInput;
    if (opts.readFile) {
      try {
        input = await opts.readFile(opts.path);
      } catch (err) {
        throw new SlurmSourceError('csv', `cannot read ${opts.path}: ${(err as Error).message}`, { cause: err });
      }
    } else {
      input = createReadStream(opts.path);
    }
    const dedupe = new AdjacentDedupe();
    let batch: NormalizedJob[] = [];
    for await (const job of parseCsvJobs(input, { cluster: opts.cluster, where: opts.path })) {
      // The configured name labels jobs from every source (restd and sacct do the same), so a
      // job has one billing key whichever source served it.
      if (!inQueryWindow(job, q)) continue;
      const done = dedupe.push({ ...job, cluster: opts.cluster });
      if (done) batch.push(done);
      if (batch.length >= CSV_BATCH) {
        yield batch;
        batch = [];
      }
    }
    const last = dedupe.end();
    if (last) batch.push(last);
    if (batch.length) yield batch;
  }
  return {
    name: 'csv',
    wholeWindow: true,
    streamJobs,
    async fetchJobs(q: FetchJobsQuery): Promise<NormalizedJob[]> {
      const jobs: NormalizedJob[] = [];
      for await (const batch of streamJobs(q)) jobs.push(...batch);
      return dedupeJobs(jobs);
    },
  };
}

const CSV_BATCH = 1000;
