import { type Exec, type ExecResult, spawnExec } from '../lib/exec.ts';
import { dedupeJobs, foldSacctRows, type SacctRow } from './normalize.ts';
import type { JobSource, SourceContext } from './source.ts';
import type { FetchJobsQuery, NormalizedJob } from './types.ts';
import { SlurmSourceError } from './types.ts';

/** Free text (JobName) goes last so a delimiter inside a name can be rejoined. */
export const SACCT_FIELDS = [
  'Cluster',
  'JobID',
  'JobIDRaw',
  'User',
  'Account',
  'Partition',
  'State',
  'Submit',
  'Start',
  'End',
  'Elapsed',
  'ElapsedRaw',
  'TotalCPU',
  'ReqTRES',
  'AllocTRES',
  'JobName',
] as const;

/**
 * Unit separator. sacct takes any string for `--delimiter` (https://slurm.schedmd.com/sacct.html#OPT_delimiter), but a
 * job name can still contain this byte (checked on Slurm 22.05: `sbatch -J $'a\x1fb'` is stored and printed as is),
 * so JobName stays last and extra fields rejoin.
 */
export const SACCT_DELIMITER = '\x1f';

export interface SacctArgsOptions {
  /** With no user in the query: `--allusers` (default) or only the invoking user's jobs. */
  allUsers?: boolean;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC; sacct reads it in its local zone, which spawn sets to UTC. */
export function formatSacctTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/**
 * The argv for sacct (no shell): parsable output with a header, steps included (sacct sums their CPU time).
 * `--noconvert` keeps memory in the MB it is stored in (`mem=2621952M`): by default sacct divides by 1024 while the
 * value is a multiple of 512 and prints two decimals, so that job reads `mem=2.50T`, 512 MiB short
 * (convert_num_unit2() with CONVERT_NUM_UNIT_EXACT, the default in src/sacct/options.c:
 * https://github.com/SchedMD/slurm/blob/master/src/common/slurm_protocol_api.c).
 */
export function sacctArgs(query: FetchJobsQuery, opts: SacctArgsOptions = {}): string[] {
  const args = [
    '--parsable2',
    `--delimiter=${SACCT_DELIMITER}`,
    '--noconvert',
    '-S',
    formatSacctTime(query.from),
    '-E',
    formatSacctTime(query.to),
  ];
  if (query.user) args.push('-u', query.user);
  else if (opts.allUsers !== false) args.push('--allusers');
  args.push(`--format=${SACCT_FIELDS.join(',')}`);
  return args;
}

export interface SacctParseOptions {
  /** Label for every job (default: each line's Cluster field). */
  cluster?: string;
  /** Field separator; default: `\x1f` when the header has it, else `|` (plain `--parsable2`, or no header). */
  delimiter?: string;
  /** Field names for output without a header (`--noheader`); default: the first line is the header. */
  fields?: readonly string[];
}

/**
 * sacct `--parsable2` lines → jobs, streaming. Lines with too many fields are a delimiter inside JobName (which must
 * be the last field); lines with too few are a job name with a newline in it, continued on the next line.
 */
export async function* parseSacctStream(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: SacctParseOptions = {},
): AsyncGenerator<NormalizedJob> {
  yield* foldSacctRows(sacctRows(lines, opts), { source: 'sacct', cluster: opts.cluster, where: 'sacct output' });
}

async function* sacctRows(lines: AsyncIterable<string> | Iterable<string>, opts: SacctParseOptions): AsyncGenerator<SacctRow> {
  let fields: readonly string[] | null = opts.fields ?? null;
  let delimiter = opts.delimiter ?? null;
  // One row of look-ahead: a line after it with too few fields is the rest of its JobName (a newline in the name).
  let held: string[] | null = null;
  let lineNo = 0;
  const toRow = (parts: string[]): SacctRow => {
    const row: SacctRow = {};
    fields!.forEach((f, i) => {
      row[f] = parts[i];
    });
    return row;
  };
  for await (const rawLine of lines) {
    lineNo++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!fields) {
      if (!line.trim()) continue;
      delimiter ??= line.includes('\x1f') ? '\x1f' : '|';
      fields = line.split(delimiter).map((f) => f.trim());
      if (!fields.includes('JobID')) {
        throw new SlurmSourceError('sacct', `sacct output: the header has no JobID field (line ${lineNo}: "${line.slice(0, 80)}")`);
      }
      continue;
    }
    delimiter ??= '|';
    if (!line) continue;
    const nameLast = fields[fields.length - 1] === 'JobName';
    const parts = line.split(delimiter);
    if (parts.length < fields.length) {
      if (held && nameLast) {
        held[held.length - 1] += `\n${line}`;
        continue;
      }
      throw fieldCountError(lineNo, parts.length, fields.length);
    }
    if (parts.length > fields.length) {
      if (!nameLast) throw fieldCountError(lineNo, parts.length, fields.length);
      parts.splice(fields.length - 1, parts.length, parts.slice(fields.length - 1).join(delimiter));
    }
    if (held) yield toRow(held);
    held = parts;
  }
  if (held) yield toRow(held);
}

function fieldCountError(lineNo: number, got: number, want: number): SlurmSourceError {
  return new SlurmSourceError('sacct', `sacct output line ${lineNo} has ${got} fields, expected ${want}`);
}

/** Whole sacct output as text → jobs (tests, recorded captures). */
export async function parseSacctText(text: string, opts: SacctParseOptions = {}): Promise<NormalizedJob[]> {
  const jobs: NormalizedJob[] = [];
  for await (const job of parseSacctStream(text.split('\n'), opts)) jobs.push(job);
  return jobs;
}

export interface SacctSourceOptions {
  exec?: Exec;
  sacctPath?: string;
  cluster: string;
  timeoutMs: number;
  allUsers?: boolean;
}

export function createSacctSource(opts: SacctSourceOptions): JobSource {
  const exec = opts.exec ?? spawnExec;
  const cmd = opts.sacctPath ?? 'sacct';
  return {
    name: 'sacct',
    async fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]> {
      const args = sacctArgs(q, { allUsers: opts.allUsers });
      // SLURM_TIME_FORMAT would change how sacct prints times; TZ=UTC makes -S/-E and the output UTC.
      const env = { TZ: 'UTC', SLURM_TIME_FORMAT: 'standard' };
      const run = exec(cmd, args, { env, timeoutMs: opts.timeoutMs, signal: ctx?.signal });
      const jobs: NormalizedJob[] = [];
      try {
        for await (const job of parseSacctStream(run.lines, { cluster: opts.cluster })) {
          if (!q.user || job.user === q.user) jobs.push(job);
        }
      } catch (err) {
        run.kill?.();
        const end = await run.done;
        if (end.code !== 0) throw exitError(cmd, end, opts.timeoutMs, err);
        throw err;
      }
      const end = await run.done;
      if (end.code !== 0) throw exitError(cmd, end, opts.timeoutMs);
      return dedupeJobs(jobs);
    },
  };
}

function exitError(cmd: string, end: Awaited<ExecResult['done']>, timeoutMs: number, cause?: unknown): SlurmSourceError {
  const stderr = end.stderr.trim().replace(/\s+/g, ' ').slice(0, 300);
  let what: string;
  if (end.error) what = `could not run ${cmd}: ${end.error.message}`;
  else if (end.code === null) what = `${cmd} was killed (${end.signal ?? 'signal'}; timeout ${timeoutMs} ms)`;
  else what = `${cmd} exited with code ${end.code}`;
  return new SlurmSourceError('sacct', stderr ? `${what}: ${stderr}` : what, { cause: cause ?? end.error });
}
