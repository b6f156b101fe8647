/**
 * What a job asks for, read from what a user would hand to Slurm: a batch script's `#SBATCH` lines, an sbatch, srun
 * or salloc command line, or both. The rules follow Slurm's own readers, linked where each one applies.
 */
import { DomainError } from '../errors.ts';
import { type ArgKind, type Command, lookupLong, optionTable } from './options.ts';

/** A value a quote cannot be made from; the message names the option and the line, as sbatch would. */
export class QuoteInputError extends DomainError {
  constructor(
    readonly option: string | null,
    readonly line: number | null,
    readonly problem: string,
  ) {
    const where = [line !== null ? `line ${line}` : null, option].filter(Boolean).join(': ');
    const details: Record<string, string | number> = {};
    if (option) details.option = option;
    if (line !== null) details.line = line;
    super('BAD_INPUT', where ? `${where}: ${problem}` : problem, details);
    this.name = 'QuoteInputError';
  }
}

/** What the cluster would fill in, when known: partition defaults and the size of its nodes. */
export interface JobDefaults {
  /** The partition's DefMemPerCPU. */
  memMiBPerCpu?: number;
  /** The partition's DefaultTime. */
  timeSeconds?: number;
  cpusPerNode?: number;
  memMiBPerNode?: number;
}

export interface JobRequest {
  nodes: number;
  ntasks: number;
  cpusPerTask: number;
  /**
   * CPUs of one array task (the whole job when it is not an array): ntasks × cpusPerTask, or more when
   * --cpus-per-gpu or --exclusive with a known node size asks for more.
   */
  cpus: number;
  gpus: number;
  gpuType: string | null;
  /** Memory of one array task, all nodes together. */
  memMiB: number;
  /** The time limit as Slurm keeps it (whole minutes); null when neither the job nor the defaults give one. */
  timeSeconds: number | null;
  partition: string | null;
  account: string | null;
  qos: string | null;
  jobName: string | null;
  arrayTasks: number;
  exclusive: boolean;
  warnings: string[];
}

/** The text to read: a script, a command line, or both (the command line's options win, as they do in sbatch). */
export interface JobText {
  script?: string;
  command?: string;
  /** Where the command line starts in the text the user pasted, for error messages. */
  commandFirstLine?: number;
}

interface Word {
  text: string;
  line: number;
  /** Whether it held `$` or a backquote outside single quotes, which a shell would have expanded. */
  expands?: boolean;
}

interface OptionUse {
  /** The long name, resolved from a letter, an abbreviation or an alias. */
  name: string;
  /** As the message should name it: `-n`, or `--ntasks` for any long spelling. */
  flag: string;
  value: string | null;
  line: number;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\n';

/**
 * The words of one `#SBATCH` line, split as sbatch's `get_argument` does: quotes group, a backslash keeps the next
 * character, an unquoted `#` starts a comment.
 * https://github.com/SchedMD/slurm/blob/master/src/sbatch/opt.c
 */
function directiveWords(body: string, line: number): string[] {
  const words: string[] = [];
  let i = 0;
  for (;;) {
    while (i < body.length && isSpace(body[i])) i++;
    if (i >= body.length) return words;
    if (body[i] === ':') throw new QuoteInputError(null, line, 'unexpected ":" in an #SBATCH line');
    let word: string | null = null;
    let quote = '';
    let comment = false;
    while (i < body.length && (quote || !isSpace(body[i]))) {
      const c = body[i];
      if (c === '\\') {
        if (i + 1 < body.length) word = (word ?? '') + body[i + 1];
        i += 2;
        continue;
      }
      if (quote) {
        if (c === quote) quote = '';
        else word = (word ?? '') + c;
        i++;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        word ??= '';
        i++;
        continue;
      }
      if (c === '#') {
        comment = true;
        break;
      }
      word = (word ?? '') + c;
      i++;
    }
    if (quote) throw new QuoteInputError(null, line, `unmatched ${quote} in an #SBATCH line`);
    if (word !== null) words.push(word);
    if (comment) return words;
  }
}

/**
 * The `#SBATCH` words of a script. sbatch reads them from lines that start with the magic word (no indent) and
 * stops at the first line that is neither blank nor a comment.
 * https://github.com/SchedMD/slurm/blob/master/src/sbatch/opt.c (`_opt_batch_script`)
 */
function scriptWords(script: string, warnings: string[]): Word[] {
  const words: Word[] = [];
  const lines = script.split('\n');
  let firstCommand: number | null = null;
  let hetjob: number | null = null;
  const late: number[] = [];
  const indented: number[] = [];
  let slurmMagic = false;
  let pbs = false;
  lines.forEach((text, index) => {
    const line = index + 1;
    const magic = text.startsWith('#SBATCH') ? 7 : text.startsWith('#SLURM') ? 6 : 0;
    if (!magic) {
      const trimmed = text.trimStart();
      if (trimmed !== '' && !trimmed.startsWith('#')) firstCommand ??= line;
      else if (firstCommand === null && /^\s+#SBATCH/.test(text)) indented.push(line);
      else if (firstCommand === null && text.startsWith('#PBS')) pbs = true;
      return;
    }
    if (firstCommand !== null || hetjob !== null) {
      if (firstCommand !== null) late.push(line);
      return;
    }
    if (magic === 6) slurmMagic = true;
    const body = text.slice(magic);
    if (/^\s*(hetjob|packjob)(\s|$)/i.test(body)) {
      hetjob = line;
      return;
    }
    for (const word of directiveWords(body, line)) words.push({ text: word, line });
  });
  if (slurmMagic) warnings.push('#SLURM lines are read like #SBATCH, which sbatch asks for instead');
  if (indented.length) {
    warnings.push(`#SBATCH after leading spaces is a comment to sbatch, not read: ${plural(indented, 'line')} ${indented.join(', ')}`);
  }
  if (pbs) warnings.push('#PBS lines are not read by the quote (sbatch translates some of them)');
  if (hetjob !== null) warnings.push(`line ${hetjob} starts another component of a heterogeneous job; only the first one is quoted`);
  if (late.length) {
    warnings.push(
      `#SBATCH on ${plural(late, 'line')} ${late.join(', ')} comes after the first command (line ${firstCommand}), so sbatch ignores it`,
    );
  }
  return words;
}

const plural = (list: unknown[], word: string) => (list.length === 1 ? word : `${word}s`);

/**
 * The words of the first shell command in the text: quotes, backslashes and backslash-newline continuations as
 * POSIX sh reads them, up to a newline or a `;`, `&` or `|`. Nothing is expanded.
 */
function shellWords(text: string, firstLine: number): Word[] {
  const words: Word[] = [];
  let expands = false;
  let line = firstLine;
  let i = 0;
  let word: string | null = null;
  let wordLine = line;
  const end = () => {
    if (word !== null) words.push({ text: word, line: wordLine, expands });
    word = null;
    expands = false;
  };
  const add = (c: string) => {
    if (word === null) wordLine = line;
    word = (word ?? '') + c;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n' || (next === '\r' && text[i + 2] === '\n')) {
        i += next === '\n' ? 2 : 3;
        line++;
        continue;
      }
      if (next !== undefined) add(next);
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new QuoteInputError(null, line, "unmatched ' in the command line");
      add('');
      const inner = text.slice(i + 1, close);
      add(inner);
      line += inner.split('\n').length - 1;
      i = close + 1;
      continue;
    }
    if (c === '"') {
      const start = line;
      add('');
      i++;
      for (;;) {
        if (i >= text.length) throw new QuoteInputError(null, start, 'unmatched " in the command line');
        const d = text[i];
        if (d === '"') break;
        if (d === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
          if (text[i + 1] === '\n') line++;
          else add(text[i + 1]);
          i += 2;
          continue;
        }
        if (d === '$' || d === '`') expands = true;
        if (d === '\n') line++;
        add(d);
        i++;
      }
      i++;
      continue;
    }
    if (c === '#' && word === null) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';' || c === '&' || c === '|') break;
    if (isSpace(c)) {
      end();
      i++;
      continue;
    }
    if (c === '$' || c === '`') expands = true;
    add(c);
    i++;
  }
  end();
  return words;
}

const COMMANDS: readonly Command[] = ['sbatch', 'srun', 'salloc'];

/** The command a word names, by its last path part: `/usr/bin/sbatch` is sbatch. */
export function commandNamed(word: string): Command | null {
  const base = word.slice(word.lastIndexOf('/') + 1);
  return (COMMANDS as readonly string[]).includes(base) ? (base as Command) : null;
}

/** A shell prompt pasted with the command, and `NAME=value` words a shell reads as the command's environment. */
const PROMPT = /^[$%>]$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

interface CommandLine {
  command: Command;
  /** The words after the command's name. */
  args: Word[];
  line: number;
}

function readCommandLine(text: string, firstLine: number, warnings: string[]): CommandLine {
  const words = shellWords(text, firstLine);
  let i = 0;
  while (i < words.length && PROMPT.test(words[i].text)) i++;
  const env: string[] = [];
  while (i < words.length && ASSIGNMENT.test(words[i].text)) env.push(words[i++].text.split('=')[0]);
  const head = words[i];
  if (!head) throw new QuoteInputError(null, firstLine, 'no sbatch, srun or salloc command found');
  const command = commandNamed(head.text);
  if (!command) throw new QuoteInputError(null, head.line, `expected an sbatch, srun or salloc command, got "${head.text}"`);
  const slurmEnv = env.filter((name) => /^(SBATCH|SLURM|SALLOC)_/.test(name));
  if (slurmEnv.length) warnings.push(`environment variables are not read by the quote: ${slurmEnv.join(', ')}`);
  if (words.slice(i).some((w) => w.expands)) warnings.push('shell variables and command substitutions ($…, `…`) are read as they stand, not expanded');
  return { command, args: words.slice(i + 1), line: head.line };
}

interface ReadOptions {
  uses: OptionUse[];
  /** The first word that is not an option: the script or program (a command line only). */
  operand: Word | null;
}

/**
 * Options as getopt_long reads them with Slurm's `+` (stop at the first operand): `--name=value`, `--name value`,
 * `-n4`, `-n 4`, letter clusters (`-Hn4`), abbreviations, `--` ending the options; an optional value only joined.
 */
function readOptions(words: Word[], command: Command, where: 'script' | 'command', unknown: Set<string>): ReadOptions {
  const table = optionTable(command);
  const uses: OptionUse[] = [];
  let i = 0;
  const takeNext = (flag: string, line: number): string => {
    const next = words[i + 1];
    if (!next) throw new QuoteInputError(flag, line, 'needs a value');
    i++;
    return next.text;
  };
  for (; i < words.length; i++) {
    const { text, line } = words[i];
    if (text === '--') {
      i++;
      break;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = text.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? null : text.slice(eq + 1);
      const found = lookupLong(table, name);
      if ('unknown' in found) {
        unknown.add(`--${name}`);
        // Another command's option still tells whether a value follows; a name no command knows is taken as a flag.
        if (inline === null && otherCommandsArg(command, name) === 'required') i++;
        continue;
      }
      if ('ambiguous' in found) {
        throw new QuoteInputError(`--${name}`, line, `is ambiguous: ${found.ambiguous.map((n) => `--${n}`).join(', ')}`);
      }
      const { spec } = found;
      const flag = `--${spec.name}`;
      if (spec.arg === 'none' && inline !== null) throw new QuoteInputError(flag, line, 'takes no value');
      const value = spec.arg === 'required' ? (inline ?? takeNext(flag, line)) : inline;
      uses.push({ name: spec.name, flag, value, line });
      continue;
    }
    if (text.startsWith('-') && text.length > 1) {
      for (let j = 1; j < text.length; j++) {
        const letter = text[j];
        const spec = table.short.get(letter);
        if (!spec) {
          unknown.add(`-${letter}`);
          const other = otherCommandsArg(command, letter);
          if (other === null || other === 'none') continue;
          if (other === 'required' && j + 1 === text.length) i++;
          break;
        }
        const flag = `-${letter}`;
        if (spec.arg === 'none') {
          uses.push({ name: spec.name, flag, value: null, line });
          continue;
        }
        const rest = text.slice(j + 1);
        const value = rest !== '' ? rest : spec.arg === 'required' ? takeNext(flag, line) : null;
        uses.push({ name: spec.name, flag, value, line });
        break;
      }
      continue;
    }
    if (where === 'script') {
      throw new QuoteInputError(null, line, `"${text}" is not an option (sbatch stops with "Invalid directive found in batch script")`);
    }
    return { uses, operand: words[i] };
  }
  return { uses, operand: words[i] ?? null };
}

/** Whether an option of another Slurm command takes a value (`--mpi` is srun's, `--array` sbatch's): a long name or a letter. */
function otherCommandsArg(command: Command, name: string): ArgKind | null {
  for (const other of COMMANDS) {
    if (other === command) continue;
    const table = optionTable(other);
    const spec = name.length === 1 ? table.short.get(name) : table.long.get(name);
    if (spec) return spec.arg;
  }
  return null;
}

/** Options that change what Slurm allocates but that the quote does not model. */
const UNREAD_RESOURCE_OPTIONS = new Set([
  'mincpus',
  'tres-per-task',
  'ntasks-per-gpu',
  'ntasks-per-tres',
  'gpus-per-socket',
  'sockets-per-node',
  'cores-per-socket',
  'threads-per-core',
  'extra-node-info',
  'ntasks-per-core',
  'ntasks-per-socket',
  'hint',
  'overcommit',
  'core-spec',
  'thread-spec',
  'nodelist',
  'nodefile',
  'licenses',
  'tmp',
  'time-min',
  'use-min-nodes',
]);

const INT_MAX = 2 ** 31 - 1;

/** A count as Slurm's `parse_int(..., positive)` takes it. */
function positiveInt(use: OptionUse): number {
  const v = valueOf(use);
  if (!/^\d+$/.test(v) || Number(v) === 0 || Number(v) >= INT_MAX) {
    throw new QuoteInputError(use.flag, use.line, `"${v}" is not a whole number above 0`);
  }
  return Number(v);
}

function valueOf(use: OptionUse): string {
  if (use.value === null) throw new QuoteInputError(use.flag, use.line, 'needs a value');
  return use.value;
}

/**
 * A node count as `verify_node_count` reads it: `4`, a range `2-4`, or a list of sizes `2,4,8` / `2-8:2`; `k` and `m`
 * multiply by 1024 and 1024². The quote takes the largest size.
 * https://github.com/SchedMD/slurm/blob/master/src/common/proc_args.c
 */
function nodeCount(use: OptionUse): { min: number; max: number } {
  const v = valueOf(use);
  const bad = (why = `"${v}" is not a node count (N, MIN-MAX or a list like 2,4,8)`) => new QuoteInputError(use.flag, use.line, why);
  const count = (s: string): number => {
    const m = /^(\d+)([kK])?([mM])?$/.exec(s);
    if (!m) throw bad();
    const n = Number(m[1]) * (m[2] ? 1024 : 1) * (m[3] ? 1024 ** 2 : 1);
    if (n > INT_MAX) throw bad();
    return n;
  };
  let min: number;
  let max: number;
  if (v.includes(',') || v.includes(':')) {
    const sizes = indexList(v, bad);
    min = Math.min(...sizes);
    max = Math.max(...sizes);
  } else if (v.includes('-')) {
    const dash = v.indexOf('-');
    const lo = v.slice(0, dash);
    min = lo === '' ? 1 : count(lo);
    max = count(v.slice(dash + 1));
    if (max === 0) max = min;
  } else {
    min = max = count(v);
  }
  if (max < min) throw bad(`the maximum node count ${max} is less than the minimum ${min}`);
  if (max === 0) throw bad('a job needs at least 1 node');
  return { min: Math.max(min, 1), max };
}

/** `1,3,5-9,10-20:5` → the distinct numbers, as Slurm's `slurm_parse_array_tok` sets them in a bitmap. */
function indexList(text: string, bad: (why?: string) => Error): Set<number> {
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const m = /^\[?(\d+)(?:-(\d+)(?::(\d+))?)?\]?$/.exec(raw);
    if (!m) throw bad();
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (last < first) throw bad(`"${raw}" ends before it starts`);
    if (step <= 0) throw bad(`"${raw}" has a step of 0`);
    if (last - first > 10_000_000) throw bad(`"${raw}" is too large`);
    for (let n = first; n <= last; n += step) out.add(n);
  }
  return out;
}

/** The most array task ids Slurm accepts with its default MaxArraySize (https://slurm.schedmd.com/slurm.conf.html). */
const DEFAULT_MAX_ARRAY_SIZE = 1001;

/** `0-15`, `1-9:2`, `1,3,5`, `0-99%10` (the throttle limits how many run at once, not how many there are). */
function arrayTasks(use: OptionUse, warnings: string[]): number {
  const v = valueOf(use);
  const bad = (why = `"${v}" is not an array spec (like 0-15, 1-9:2, 1,3,5 or 0-99%10)`) => new QuoteInputError(use.flag, use.line, why);
  const pct = v.indexOf('%');
  const list = pct < 0 ? v : v.slice(0, pct);
  if (pct >= 0 && !/^\d+$/.test(v.slice(pct + 1))) throw bad(`"${v.slice(pct + 1)}" after % is not a number of tasks`);
  const ids = indexList(list, bad);
  const top = Math.max(...ids);
  if (top >= DEFAULT_MAX_ARRAY_SIZE) {
    warnings.push(`${use.flag} ${v} uses index ${top}; Slurm refuses it unless MaxArraySize is above ${top}`);
  }
  return ids.size;
}

/**
 * Memory as Slurm's `str_to_mbytes` reads it: a whole number of MB (MiB), or with K (rounded up), M, G or T,
 * optionally followed by B.
 * https://github.com/SchedMD/slurm/blob/master/src/common/proc_args.c
 */
function memoryMiB(use: OptionUse): number {
  const v = valueOf(use);
  const m = /^(\d+)(?:([KkMmGgTt])[Bb]?)?$/.exec(v);
  if (!m) throw new QuoteInputError(use.flag, use.line, `"${v}" is not a memory size (a whole number with an optional K, M, G or T; bare numbers are MB)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'M').toUpperCase();
  const mib = unit === 'K' ? Math.ceil(n / 1024) : n * { M: 1, G: 1024, T: 1024 ** 2 }[unit as 'M' | 'G' | 'T'];
  if (!Number.isSafeInteger(mib)) throw new QuoteInputError(use.flag, use.line, `"${v}" is too large`);
  return mib;
}

const TIME_FORMS = 'minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS';

/**
 * A time limit as Slurm's `time_str2mins` reads it, in seconds of whole minutes (it rounds seconds up); 0, -1,
 * UNLIMITED and INFINITE mean no limit.
 * https://github.com/SchedMD/slurm/blob/master/src/common/parse_time.c
 * https://github.com/SchedMD/slurm/blob/master/src/common/slurm_opt.c (`arg_set_time_limit`)
 */
function timeLimitSeconds(use: OptionUse): number {
  const v = valueOf(use);
  const unlimited = () =>
    new QuoteInputError(use.flag, use.line, `"${v}" means no time limit, which cannot be quoted; give the limit the job will run under`);
  if (/^(-1|infinite|unlimited)$/i.test(v)) throw unlimited();
  const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
  let seconds: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?$/.exec(v))) {
    seconds = n(m[1]) * 86400 + n(m[2]) * 3600 + n(m[3]) * 60 + n(m[4]);
  } else if ((m = /^(\d+)(?::(\d+)(?::(\d+))?)?$/.exec(v))) {
    seconds = m[3] !== undefined ? n(m[1]) * 3600 + n(m[2]) * 60 + n(m[3]) : n(m[1]) * 60 + n(m[2]);
  } else {
    throw new QuoteInputError(use.flag, use.line, `"${v}" is not a Slurm time (${TIME_FORMS})`);
  }
  const minutes = Math.ceil(seconds / 60);
  if (minutes === 0) throw unlimited();
  if (!Number.isSafeInteger(minutes * 60) || minutes >= INT_MAX) throw new QuoteInputError(use.flag, use.line, `"${v}" is too long`);
  return minutes * 60;
}

interface GpuAsk {
  count: number;
  types: string[];
}

/** `--gpus`, `--gpus-per-node`, `--gpus-per-task`: `[type:]count`, or a list of them. */
function gpuList(use: OptionUse): GpuAsk {
  const v = valueOf(use);
  let count = 0;
  const types: string[] = [];
  for (const item of v.split(',')) {
    const m = /^(?:([^:\s]+):)?(\d+)$/.exec(item);
    if (!m) throw new QuoteInputError(use.flag, use.line, `"${item}" is not a GPU count ([type:]count)`);
    count += Number(m[2]);
    if (m[1]) types.push(m[1]);
  }
  return { count, types };
}

/** `--gres=gpu:a100:4,shard:2`: `name[:type][:count]`, count 1 when left out; only GPUs are priced. */
function gresGpus(use: OptionUse, warnings: string[]): GpuAsk | null {
  const v = valueOf(use);
  if (v.toLowerCase() === 'none') return null;
  let count = 0;
  let any = false;
  const types: string[] = [];
  const others: string[] = [];
  for (const item of v.split(',')) {
    const parts = item.replace(/^gres\//, '').split(':');
    const bad = () => new QuoteInputError(use.flag, use.line, `"${item}" is not a GRES (name[:type][:count])`);
    if (parts.length > 3 || parts.some((p) => p === '' || /\s/.test(p))) throw bad();
    const [name, ...rest] = parts;
    const last = rest.at(-1);
    const hasCount = last !== undefined && /^\d+$/.test(last);
    if (rest.length === 2 && !hasCount) throw bad();
    if (name !== 'gpu') {
      others.push(item);
      continue;
    }
    any = true;
    count += hasCount ? Number(last) : 1;
    const type = rest.length === 2 || (rest.length === 1 && !hasCount) ? rest[0] : null;
    if (type) types.push(type);
  }
  if (others.length) warnings.push(`${use.flag}=${others.join(',')}: only GPUs are priced`);
  return any ? { count, types } : null;
}

const MEMORY_OPTIONS = ['mem', 'mem-per-cpu', 'mem-per-gpu'];

/** Slurm refuses these pairs whether they come from the script or the command line (both count as given). */
function checkExclusive(given: Map<string, OptionUse>, order: Map<OptionUse, number>, names: string[], message: string) {
  const set = names.map((n) => given.get(n)).filter((u): u is OptionUse => u !== undefined);
  if (set.length < 2) return;
  const [first, second] = set.sort((x, y) => order.get(x)! - order.get(y)!).slice(-2);
  throw new QuoteInputError(second.flag, second.line, `${message} (${first.flag} is on line ${first.line})`);
}

/**
 * Turns the options into what Slurm would allocate for one array task.
 * https://github.com/SchedMD/slurm/blob/master/src/sbatch/opt.c (`_opt_verify`: one task per node by default, no
 * more nodes than tasks) and https://slurm.schedmd.com/sbatch.html for the per-node, per-CPU and per-GPU options.
 */
function buildRequest(uses: OptionUse[], defaults: JobDefaults, warnings: string[], operand: Word | null, command: Command): JobRequest {
  // Each option keeps its last value: the script's, then the command line's over it.
  const given = new Map<string, OptionUse>();
  for (const use of uses) given.set(use.name, use);
  const has = (name: string) => given.has(name);
  const get = (name: string) => given.get(name)!;
  const order = new Map(uses.map((use, i) => [use, i]));

  checkExclusive(given, order, MEMORY_OPTIONS, '--mem, --mem-per-cpu and --mem-per-gpu are mutually exclusive');
  if (has('gres') && gresIsGpu(get('gres'))) checkExclusive(given, order, ['gpus-per-node', 'gres'], '--gpus-per-node and --gres=gpu are mutually exclusive');
  checkExclusive(given, order, ['cpus-per-task', 'cpus-per-gpu'], '--cpus-per-task and --cpus-per-gpu are mutually exclusive');
  checkExclusive(given, order, ['exclusive', 'oversubscribe'], '--exclusive and --oversubscribe are mutually exclusive');

  const unread = [...given.keys()].filter((n) => UNREAD_RESOURCE_OPTIONS.has(n)).map((n) => get(n).flag);
  if (unread.length) warnings.push(`not read by the quote, though they can change the allocation: ${unread.join(', ')}`);

  let nodes: number | null = null;
  if (has('nodes')) {
    const use = get('nodes');
    const { min, max } = nodeCount(use);
    if (min !== max) warnings.push(`${use.flag} ${valueOf(use)} lets Slurm choose the node count; quoted at the most, ${max} nodes`);
    nodes = max;
  }
  const perNode = has('ntasks-per-node') ? positiveInt(get('ntasks-per-node')) : null;
  let ntasks: number;
  if (has('ntasks')) {
    ntasks = positiveInt(get('ntasks'));
    if (nodes !== null && ntasks < nodes) {
      warnings.push(`${ntasks} tasks cannot run on ${nodes} nodes; Slurm lowers the node count to ${ntasks}`);
      nodes = ntasks;
    }
    if (nodes === null && perNode !== null) nodes = Math.ceil(ntasks / perNode);
  } else {
    ntasks = perNode !== null ? perNode * (nodes ?? 1) : Math.max(nodes ?? 1, 1);
  }
  const cpusPerTask = has('cpus-per-task') ? positiveInt(get('cpus-per-task')) : 1;
  let cpus = ntasks * cpusPerTask;

  const exclusiveUse = given.get('exclusive');
  const exclusive = exclusiveUse ? wholeNodes(exclusiveUse) : false;
  const nodesGiven = nodes !== null;
  if (nodes === null) {
    nodes = defaults.cpusPerNode ? Math.max(1, Math.ceil(cpus / defaults.cpusPerNode)) : 1;
  }

  const gpus = gpuTotals(given, nodes, ntasks, warnings);
  if (has('cpus-per-gpu')) {
    const use = get('cpus-per-gpu');
    const perGpu = positiveInt(use);
    if (gpus.count === 0) warnings.push(`${use.flag} with no GPUs requested allocates no CPUs for GPUs`);
    cpus = Math.max(cpus, perGpu * gpus.count);
    if (!nodesGiven && defaults.cpusPerNode) nodes = Math.max(nodes, Math.ceil(cpus / defaults.cpusPerNode));
  }

  if (exclusive) {
    if (defaults.cpusPerNode) {
      cpus = Math.max(cpus, nodes * defaults.cpusPerNode);
      warnings.push(`${exclusiveUse!.flag}: the job holds whole nodes, quoted as ${nodes} × ${defaults.cpusPerNode} CPUs`);
    } else {
      warnings.push(`${exclusiveUse!.flag}: the job is billed for whole nodes, which the quote cannot size without the node's CPU count; quoted as requested`);
    }
  }

  const perNodeOptions = ['mem', 'gpus-per-node', 'gres'].filter(has);
  if (!nodesGiven && ntasks > 1 && perNodeOptions.length) {
    warnings.push(
      `no node count given: ${perNodeOptions.map((n) => get(n).flag).join(', ')} ${perNodeOptions.length === 1 ? 'is' : 'are'} per node, quoted for ${nodes} ${nodes === 1 ? 'node' : 'nodes'}; Slurm may spread the tasks over more`,
    );
  }

  const memMiB = memoryTotal(given, defaults, { nodes, cpus, gpus: gpus.count, exclusive }, warnings);

  let timeSeconds: number | null = null;
  if (has('time')) timeSeconds = timeLimitSeconds(get('time'));
  else if (defaults.timeSeconds !== undefined) {
    timeSeconds = defaults.timeSeconds;
    warnings.push(`no --time: assumed the partition's default time limit, ${formatMinutes(timeSeconds)}`);
  } else {
    warnings.push("no --time: the partition's default time limit applies, which the quote does not know");
  }

  let partition = has('partition') ? valueOf(get('partition')) : null;
  if (partition?.includes(',')) {
    const [first] = partition.split(',');
    warnings.push(`${get('partition').flag} ${partition}: Slurm starts the job in whichever partition can run it first; quoted for ${first}`);
    partition = first;
  }
  const arrayCount = has('array') ? arrayTasks(get('array'), warnings) : 1;

  return {
    nodes,
    ntasks,
    cpusPerTask,
    cpus,
    gpus: gpus.count,
    gpuType: gpus.type,
    memMiB,
    timeSeconds,
    partition,
    account: has('account') ? valueOf(get('account')) : null,
    qos: has('qos') ? valueOf(get('qos')) : null,
    jobName: has('job-name') ? valueOf(get('job-name')) : defaultJobName(given, operand, command),
    arrayTasks: arrayCount,
    exclusive,
    warnings,
  };
}

/** Slurm names a job after its script or program, or "wrap" for `--wrap`. */
function defaultJobName(given: Map<string, OptionUse>, operand: Word | null, command: Command): string | null {
  if (command === 'sbatch' && given.has('wrap')) return 'wrap';
  if (operand) return operand.text.slice(operand.text.lastIndexOf('/') + 1) || null;
  return null;
}

function gresIsGpu(use: OptionUse): boolean {
  return (use.value ?? '').split(',').some((item) => item.replace(/^gres\//, '').split(':')[0] === 'gpu');
}

/**
 * `--exclusive` and `--exclusive=exclusive|allocation` take whole nodes; `=user`, `=mcs` and `=topo` only keep
 * other users' jobs off them, so the job is still billed for what it asked.
 */
function wholeNodes(use: OptionUse): boolean {
  const v = use.value?.toLowerCase() ?? null;
  if (v === null || v === 'exclusive' || v === 'allocation') return true;
  if (['oversubscribe', 'user', 'mcs', 'topo'].includes(v)) return false;
  throw new QuoteInputError(use.flag, use.line, `"${use.value}" is not one of exclusive, user, mcs, topo`);
}

function gpuTotals(given: Map<string, OptionUse>, nodes: number, ntasks: number, warnings: string[]): { count: number; type: string | null } {
  const asks: Array<{ flag: string; total: number; types: string[] }> = [];
  const gpusUse = given.get('gpus');
  if (gpusUse) {
    const g = gpuList(gpusUse);
    asks.push({ flag: gpusUse.flag, total: g.count, types: g.types });
  }
  const perNodeUse = given.get('gpus-per-node');
  if (perNodeUse) {
    const g = gpuList(perNodeUse);
    asks.push({ flag: perNodeUse.flag, total: g.count * nodes, types: g.types });
  }
  const perTaskUse = given.get('gpus-per-task');
  if (perTaskUse) {
    const g = gpuList(perTaskUse);
    asks.push({ flag: perTaskUse.flag, total: g.count * ntasks, types: g.types });
  }
  const gresUse = given.get('gres');
  if (gresUse) {
    const g = gresGpus(gresUse, warnings);
    if (g) asks.push({ flag: gresUse.flag, total: g.count * nodes, types: g.types });
  }
  if (!asks.length) return { count: 0, type: null };
  const count = Math.max(...asks.map((a) => a.total));
  if (new Set(asks.map((a) => a.total)).size > 1) {
    warnings.push(`${asks.map((a) => `${a.flag} asks for ${a.total}`).join(', ')} GPUs; quoted the most, ${count}`);
  }
  const types = [...new Set(asks.flatMap((a) => a.types))];
  if (types.length > 1) warnings.push(`GPUs of several types (${types.join(', ')}) are quoted at one rate`);
  return { count, type: types.length === 1 ? types[0] : null };
}

function memoryTotal(
  given: Map<string, OptionUse>,
  defaults: JobDefaults,
  job: { nodes: number; cpus: number; gpus: number; exclusive: boolean },
  warnings: string[],
): number {
  const mem = given.get('mem');
  if (mem) {
    const perNode = memoryMiB(mem);
    if (perNode > 0) return perNode * job.nodes;
    // https://slurm.schedmd.com/sbatch.html#OPT_mem: 0 asks for all of each node's memory.
    if (defaults.memMiBPerNode === undefined) {
      throw new QuoteInputError(mem.flag, mem.line, "0 asks for all of each node's memory; the quote needs the node's memory size");
    }
    warnings.push(`${mem.flag}=0 takes all of each node's memory: quoted as ${job.nodes} × ${defaults.memMiBPerNode} MiB`);
    return defaults.memMiBPerNode * job.nodes;
  }
  const perCpu = given.get('mem-per-cpu');
  if (perCpu) return positiveMemory(perCpu) * job.cpus;
  const perGpu = given.get('mem-per-gpu');
  if (perGpu) {
    if (job.gpus === 0) warnings.push(`${perGpu.flag} with no GPUs requested gives no memory`);
    return positiveMemory(perGpu) * job.gpus;
  }
  if (defaults.memMiBPerCpu !== undefined) {
    warnings.push(`no memory option: assumed the partition's DefMemPerCPU, ${defaults.memMiBPerCpu} MiB per CPU`);
    return defaults.memMiBPerCpu * job.cpus;
  }
  // With no DefMemPerCPU the default is 0, "unlimited": the job holds each node's memory
  // (https://slurm.schedmd.com/slurm.conf.html#OPT_DefMemPerNode).
  if (defaults.memMiBPerNode !== undefined) {
    warnings.push(`no memory option and no DefMemPerCPU: assumed all of each node's memory, ${defaults.memMiBPerNode} MiB`);
    return defaults.memMiBPerNode * job.nodes;
  }
  warnings.push("no memory option: the partition's DefMemPerCPU is unknown, so memory is not priced");
  return 0;
}

function positiveMemory(use: OptionUse): number {
  const mib = memoryMiB(use);
  if (mib === 0) throw new QuoteInputError(use.flag, use.line, 'must be above 0');
  return mib;
}

function formatMinutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

/**
 * Reads a script's `#SBATCH` lines, then a command line's options over them, as sbatch applies them; the result is
 * what one array task would be allocated. Throws QuoteInputError for a value Slurm would refuse or a quote cannot use.
 */
export function parseJobRequest(text: JobText, defaults: JobDefaults = {}): JobRequest {
  const warnings: string[] = [];
  const unknown = new Set<string>();
  const uses: OptionUse[] = [];
  let command: Command = 'sbatch';
  let operand: Word | null = null;
  if (text.script !== undefined) {
    uses.push(...readOptions(scriptWords(text.script, warnings), 'sbatch', 'script', unknown).uses);
  }
  if (text.command !== undefined) {
    const line = readCommandLine(text.command, text.commandFirstLine ?? 1, warnings);
    if (text.script !== undefined && line.command !== 'sbatch') {
      throw new QuoteInputError(null, line.line, `#SBATCH lines are read by sbatch, not ${line.command}`);
    }
    command = line.command;
    const read = readOptions(line.args, line.command, 'command', unknown);
    uses.push(...read.uses);
    operand = read.operand;
  }
  if (unknown.size) warnings.push(`unknown to ${command}, ignored: ${[...unknown].join(', ')}`);
  return buildRequest(uses, defaults, warnings, operand, command);
}

/** A batch script alone: its `#SBATCH` lines. */
export const parseJobScript = (script: string, defaults?: JobDefaults) => parseJobRequest({ script }, defaults);

/** An sbatch, srun or salloc command line alone. */
export const parseJobCommand = (command: string, defaults?: JobDefaults) => parseJobRequest({ command }, defaults);
