import { StringDecoder } from 'node:string_decoder';
import { type Exec, type ExecResult, spawnExec } from '../lib/exec.ts';
import { AdjacentDedupe, dedupeJobs, SacctRowFolder, type SacctRow } from './normalize.ts';
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
  const parser = new SacctParser(opts);
  const out: NormalizedJob[] = [];
  for await (const line of lines) {
    parser.line(line, out);
    if (out.length) yield* out.splice(0);
  }
  parser.end(out);
  yield* out;
}

/**
 * sacct's stdout as it arrives (Buffers, or text) → jobs, a batch per piece of input. The lines of each piece are
 * parsed synchronously, in place, so a million jobs cost no per-line promise or string; a line cut between two pieces
 * is carried to the next, and a UTF-8 character cut between two Buffers is decoded whole.
 */
export async function* parseSacctChunks(
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  opts: SacctParseOptions = {},
): AsyncGenerator<NormalizedJob[]> {
  const parser = new SacctParser(opts);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const last = text.lastIndexOf('\n');
    if (last < 0) {
      rest += text;
      continue;
    }
    const batch: NormalizedJob[] = [];
    // Only the line cut at the piece's start is joined: joining whole pieces would copy every byte once more.
    const first = text.indexOf('\n');
    parser.line(rest + text.slice(0, first), batch);
    if (first < last) parser.lines(text, first + 1, last, batch);
    rest = text.slice(last + 1);
    if (batch.length) yield batch;
  }
  rest += decoder.end();
  const batch: NormalizedJob[] = [];
  if (rest) parser.line(rest, batch);
  parser.end(batch);
  if (batch.length) yield batch;
}

/** A row where it lies in a text: `text[from, to)`, and the end offsets (in `text`) of all fields but the last. */
interface HeldRow {
  text: string;
  from: number;
  to: number;
  ends: Int32Array;
}

/** Lines → rows → jobs as one synchronous state machine: the header, the held row of look-ahead, the job being folded. */
class SacctParser {
  private fields: readonly string[] | null;
  private delimiter: string | null;
  private nameLast = false;
  // One row of look-ahead: a line after it with too few fields is the rest of its JobName (a newline in the name).
  // Rows stay where they are in the input, as field offsets: three lines in four are steps, and a step adds two
  // fields at most.
  private held: HeldRow | null = null;
  private spare: Int32Array = new Int32Array(0);
  private lineNo = 0;
  private at: { jobId: number; state: number; totalCpu: number; row: Record<keyof JobRow, number> } | undefined;
  private readonly folder: SacctRowFolder;

  constructor(opts: SacctParseOptions) {
    this.fields = opts.fields ?? null;
    this.delimiter = opts.delimiter ?? null;
    if (this.fields) this.nameLast = this.fields[this.fields.length - 1] === 'JobName';
    this.folder = new SacctRowFolder({ source: 'sacct', cluster: opts.cluster, where: 'sacct output' });
  }

  /** One line (without its `\n`); a job it finishes is pushed to `out`. */
  line(line: string, out: NormalizedJob[]): void {
    this.lineAt(line, 0, line.length, out);
  }

  /** The lines of `text` from `from` to the `\n` at `last`, each ended by a `\n`. */
  lines(text: string, from: number, last: number, out: NormalizedJob[]): void {
    for (;;) {
      const nl = text.indexOf('\n', from);
      this.lineAt(text, from, nl, out);
      if (nl >= last) return;
      from = nl + 1;
    }
  }

  private lineAt(text: string, from: number, lineEnd: number, out: NormalizedJob[]): void {
    this.lineNo++;
    const to = lineEnd > from && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const fields = this.fields;
    if (!fields) {
      const line = text.slice(from, to);
      if (!line.trim()) return;
      this.delimiter ??= line.includes('\x1f') ? '\x1f' : '|';
      this.fields = line.split(this.delimiter).map((f) => f.trim());
      if (!this.fields.includes('JobID')) {
        throw new SlurmSourceError('sacct', `sacct output: the header has no JobID field (line ${this.lineNo}: "${line.slice(0, 80)}")`);
      }
      this.nameLast = this.fields[this.fields.length - 1] === 'JobName';
      return;
    }
    const delimiter = (this.delimiter ??= '|');
    if (from === to) return;
    if (this.spare.length < fields.length) this.spare = new Int32Array(fields.length);
    const ends = this.spare;
    // With JobName last, fields past the header's count are its own delimiters: no need to count them.
    const count = fieldEnds(text, from, to, delimiter, fields.length, ends, !this.nameLast);
    const held = this.held;
    if (count < fields.length) {
      if (held && this.nameLast) {
        const joined = `${held.text.slice(held.from, held.to)}\n${text.slice(from, to)}`;
        for (let i = 0; i < fields.length - 1; i++) held.ends[i] -= held.from;
        held.text = joined;
        held.from = 0;
        held.to = joined.length;
        return;
      }
      throw fieldCountError(this.lineNo, count, fields.length);
    }
    if (count > fields.length) throw fieldCountError(this.lineNo, count, fields.length);
    if (held) {
      this.row(held, out);
      this.spare = held.ends;
      held.text = text;
      held.from = from;
      held.to = to;
      held.ends = ends;
    } else {
      this.held = { text, from, to, ends };
      this.spare = new Int32Array(fields.length);
    }
  }

  /** The input has ended: the held row and the last job. */
  end(out: NormalizedJob[]): void {
    if (this.held) this.row(this.held, out);
    this.held = null;
    const last = this.folder.end();
    if (last) out.push(last);
  }

  // Helpers below are methods, not closures made per row: tsx names every closure it creates, at a cost per row.
  private fieldStart({ from, ends }: HeldRow, i: number): number {
    return i === 0 ? from : ends[i - 1] + this.delimiter!.length;
  }

  private fieldEnd({ to, ends }: HeldRow, i: number): number {
    return i === this.fields!.length - 1 ? to : ends[i];
  }

  private field(held: HeldRow, i: number): string | undefined {
    return i < 0 ? undefined : held.text.slice(this.fieldStart(held, i), this.fieldEnd(held, i));
  }

  private row(held: HeldRow, out: NormalizedJob[]): void {
    const fields = this.fields!;
    const { text } = held;
    if (this.at === undefined) {
      const at = (name: string) => fields.indexOf(name);
      // A repeated header name: the row of a job line keeps the last one, as filling an object in order did.
      const row = Object.fromEntries(JOB_ROW_FIELDS.map((name) => [name, fields.lastIndexOf(name)])) as Record<keyof JobRow, number>;
      this.at = { jobId: at('JobID'), state: at('State'), totalCpu: at('TotalCPU'), row };
    }
    const { jobId, state, totalCpu, row } = this.at;
    if (jobId < 0) {
      this.rowOf(held, out);
      return;
    }
    const idStart = this.fieldStart(held, jobId);
    const idEnd = this.fieldEnd(held, jobId);
    const dot = text.indexOf('.', idStart);
    if (dot >= 0 && dot < idEnd) {
      // A step, when its JobID needs no trim and has a parent: the folder's own reading of it, without the strings.
      if (dot > idStart && isPlain(text.charCodeAt(idStart)) && isPlain(text.charCodeAt(idEnd - 1))) {
        const counted = this.folder.stepsCountFor;
        if (counted === null || dot - idStart !== counted.length || !text.startsWith(counted, idStart)) this.folder.pushStep(false);
        else this.folder.pushStep(true, this.field(held, state), this.field(held, totalCpu));
        return;
      }
      this.folder.push({ JobID: this.field(held, jobId), State: this.field(held, state), TotalCPU: this.field(held, totalCpu) });
      return;
    }
    const job = this.folder.push({
      Cluster: this.field(held, row.Cluster),
      JobID: this.field(held, row.JobID),
      User: this.field(held, row.User),
      Account: this.field(held, row.Account),
      Partition: this.field(held, row.Partition),
      JobName: this.field(held, row.JobName),
      State: this.field(held, row.State),
      Submit: this.field(held, row.Submit),
      Start: this.field(held, row.Start),
      End: this.field(held, row.End),
      Elapsed: this.field(held, row.Elapsed),
      ElapsedRaw: this.field(held, row.ElapsedRaw),
      TotalCPU: this.field(held, row.TotalCPU),
      ReqTRES: this.field(held, row.ReqTRES),
      AllocTRES: this.field(held, row.AllocTRES),
    });
    if (job) out.push(job);
  }

  /** A row of a header without JobID, read as the parser always read rows: `parts[-1].includes` fails as it did. */
  private rowOf(held: HeldRow, out: NormalizedJob[]): void {
    const fields = this.fields!;
    const parts = fields.map((_, i) => this.field(held, i)!);
    const { jobId, state, totalCpu } = this.at!;
    if (parts[jobId].includes('.')) {
      this.folder.push({ JobID: parts[jobId], State: state < 0 ? undefined : parts[state], TotalCPU: totalCpu < 0 ? undefined : parts[totalCpu] });
      return;
    }
    const row: SacctRow = {};
    for (let i = 0; i < fields.length; i++) row[fields[i]] = parts[i];
    const job = this.folder.push(row);
    if (job) out.push(job);
  }
}

/** The fields of a job line that the folder reads. */
const JOB_ROW_FIELDS = [
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
  'ElapsedRaw',
  'TotalCPU',
  'ReqTRES',
  'AllocTRES',
] as const;
type JobRow = Record<(typeof JOB_ROW_FIELDS)[number], string | undefined>;

/** A character that trim() keeps: printable ASCII. */
const isPlain = (c: number) => c > 32 && c < 127;

/**
 * Counts the fields of `text[from, to)` as `split(delimiter)` would, storing the end offsets of the first
 * `want - 1` in `ends`; unless `exact`, stops counting at `want`. An empty delimiter splits between every UTF-16
 * unit, as split('') does.
 */
function fieldEnds(text: string, from: number, to: number, delimiter: string, want: number, ends: Int32Array, exact: boolean): number {
  const step = delimiter.length;
  if (step === 0) {
    for (let i = 0; i < want - 1 && from + i < to; i++) ends[i] = from + i + 1;
    return exact ? to - from : Math.min(to - from, want);
  }
  let count = 1;
  let at = text.indexOf(delimiter, from);
  // A match past `to` (or running over it) lies in a later line.
  while (at >= 0 && at + step <= to) {
    if (count < want) ends[count - 1] = at;
    else if (!exact) return count;
    count++;
    at = text.indexOf(delimiter, at + step);
  }
  return count;
}

function fieldCountError(lineNo: number, got: number, want: number): SlurmSourceError {
  return new SlurmSourceError('sacct', `sacct output line ${lineNo} has ${got} fields, expected ${want}`);
}

/** Whole sacct output as text → jobs (tests, recorded captures). */
export async function parseSacctText(text: string, opts: SacctParseOptions = {}): Promise<NormalizedJob[]> {
  const jobs: NormalizedJob[] = [];
  for await (const batch of parseSacctChunks([text], opts)) jobs.push(...batch);
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
  async function* streamJobs(q: FetchJobsQuery, ctx?: SourceContext): AsyncGenerator<NormalizedJob[]> {
    const args = sacctArgs(q, { allUsers: opts.allUsers });
    // SLURM_TIME_FORMAT would change how sacct prints times; TZ=UTC makes -S/-E and the output UTC.
    const env = { TZ: 'UTC', SLURM_TIME_FORMAT: 'standard' };
    const run = exec(cmd, args, { env, timeoutMs: opts.timeoutMs, signal: ctx?.signal });
    // A job's runs are adjacent in sacct's output (without --duplicates, only its latest run is printed at all).
    const dedupe = new AdjacentDedupe();
    const keep = (job: NormalizedJob | null, out: NormalizedJob[]) => {
      if (job && (!q.user || job.user === q.user)) out.push(job);
    };
    let finished = false;
    try {
      try {
        for await (const batch of parseSacctChunks(run.stdout ?? linesAsText(run.lines), { cluster: opts.cluster })) {
          const out: NormalizedJob[] = [];
          for (const job of batch) keep(dedupe.push(job), out);
          if (out.length) yield out;
        }
      } catch (err) {
        run.kill?.();
        const end = await run.done;
        finished = true;
        if (end.code !== 0) throw exitError(cmd, end, opts.timeoutMs, err);
        throw err;
      }
      const end = await run.done;
      finished = true;
      if (end.code !== 0) throw exitError(cmd, end, opts.timeoutMs);
      const out: NormalizedJob[] = [];
      keep(dedupe.end(), out);
      if (out.length) yield out;
    } finally {
      // The reader stopped early (a later failure, or the cascade's timeout): sacct must not run on.
      if (!finished) run.kill?.();
    }
  }
  return {
    name: 'sacct',
    streamJobs,
    async fetchJobs(q: FetchJobsQuery, ctx?: SourceContext): Promise<NormalizedJob[]> {
      const jobs: NormalizedJob[] = [];
      for await (const batch of streamJobs(q, ctx)) jobs.push(...batch);
      return dedupeJobs(jobs);
    },
  };
}

/** An exec that gives only lines (a test's fake) read as text pieces. */
async function* linesAsText(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield `${line}\n`;
}

function exitError(cmd: string, end: Awaited<ExecResult['done']>, timeoutMs: number, cause?: unknown): SlurmSourceError {
  const stderr = end.stderr.trim().replace(/\s+/g, ' ').slice(0, 300);
  let what: string;
  if (end.error) what = `could not run ${cmd}: ${end.error.message}`;
  else if (end.code === null) what = `${cmd} was killed (${end.signal ?? 'signal'}; timeout ${timeoutMs} ms)`;
  else what = `${cmd} exited with code ${end.code}`;
  return new SlurmSourceError('sacct', stderr ? `${what}: ${stderr}` : what, { cause: cause ?? end.error });
}
