/**
 * "What would this job cost?": a JobRequest priced at its time limit with the same rule receipts use, so a quote
 * and the bill for a job that runs to its limit agree to the satang.
 */
import { type BillingUnits, type CostBreakdown, costOfUnits, type RateValues } from '@hpc-accounting/pricing/cost';
import type { Command } from './options.ts';
import { commandNamed, type JobDefaults, type JobRequest, parseJobRequest, QuoteInputError } from './sbatch.ts';

export interface RateContext {
  partition: string | null;
  gpuType: string | null;
  account: string | null;
}

/** Picks the rate for a job; one flat rate today, per partition or GPU type when the rates grow those. */
export type RateResolver = (ctx: RateContext) => RateValues;

export interface JobQuote {
  /** One array task (the whole job when it is not an array) held for its full time limit. */
  perTask: CostBreakdown;
  /** Satang of all array tasks. */
  total: bigint;
  arrayTasks: number;
  hours: number;
  units: BillingUnits;
  rate: RateValues;
  warnings: string[];
}

export function quoteJob(request: JobRequest, rateFor: RateResolver): JobQuote {
  if (request.timeSeconds === null) {
    throw new QuoteInputError('--time', null, "no time limit given, and the partition's default is not known");
  }
  const units: BillingUnits = { cpus: request.cpus, gpus: request.gpus, memMiB: request.memMiB };
  const rate = rateFor({ partition: request.partition, gpuType: request.gpuType, account: request.account });
  const perTask = costOfUnits(units, request.timeSeconds, rate);
  return {
    perTask,
    // Every array task is a job of its own in accounting, priced and rounded on its own receipt line.
    total: perTask.costSatang * BigInt(request.arrayTasks),
    arrayTasks: request.arrayTasks,
    hours: request.timeSeconds / 3600,
    units,
    rate,
    warnings: [...request.warnings],
  };
}

/** `script`: #SBATCH lines (or a script with none); `command`: a command line alone; `mixed`: both. */
export type QuoteInputKind = 'script' | 'command' | 'mixed';

export interface QuoteInput {
  kind: QuoteInputKind;
  command: Command;
  request: JobRequest;
}

interface FoundCommand {
  command: Command;
  first: number;
  last: number;
}

const LEADING = /^\s*(?:[$%>]\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(\S+)/;

/** Lines (joined across backslash-newline) that run sbatch, srun or salloc, 0-based. */
function commandLines(lines: string[]): FoundCommand[] {
  const found: FoundCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    while (/(^|[^\\])(\\\\)*\\\r?$/.test(lines[i]) && i + 1 < lines.length) i++;
    if (lines[first].trimStart().startsWith('#')) continue;
    const word = LEADING.exec(lines[first])?.[1];
    const command = word ? commandNamed(word) : null;
    if (command) found.push({ command, first, last: i });
  }
  return found;
}

/**
 * Tells a script, a command line and a script with its sbatch command line apart, and reads the job from them.
 * In a script, srun and salloc lines are steps inside the job; an sbatch line is the command that submits it,
 * whose options sbatch applies over the script's.
 */
export function parseQuoteInput(text: string, defaults?: JobDefaults): QuoteInput {
  const lines = text.split('\n');
  const scripted =
    lines.some((l) => l.startsWith('#SBATCH') || l.startsWith('#SLURM')) || (lines.find((l) => l.trim() !== '') ?? '').trimStart().startsWith('#!');
  const commands = commandLines(lines);
  const join = (c: FoundCommand) => lines.slice(c.first, c.last + 1).join('\n');
  if (!scripted) {
    const [first, ...rest] = commands;
    if (!first) throw new QuoteInputError(null, null, 'expected a job script with #SBATCH lines, or an sbatch, srun or salloc command line');
    const request = parseJobRequest({ command: join(first), commandFirstLine: first.first + 1 }, defaults);
    if (rest.length) {
      const others = rest.map((c) => c.first + 1).join(', ');
      request.warnings.push(`only the first command (line ${first.first + 1}) is quoted, not ${rest.length === 1 ? `the one on line ${others}` : `those on lines ${others}`}`);
    }
    return { kind: 'command', command: first.command, request };
  }
  const submits = commands.filter((c) => c.command === 'sbatch');
  if (submits.length > 1) throw new QuoteInputError(null, submits[1].first + 1, 'more than one sbatch command line; paste the one that submits this script');
  const [submit] = submits;
  if (!submit) return { kind: 'script', command: 'sbatch', request: parseJobRequest({ script: text }, defaults) };
  // The command's lines are blanked rather than cut out, so script errors keep the pasted text's line numbers.
  const script = lines.map((l, i) => (i >= submit.first && i <= submit.last ? '' : l)).join('\n');
  const request = parseJobRequest({ script, command: join(submit), commandFirstLine: submit.first + 1 }, defaults);
  return { kind: 'mixed', command: 'sbatch', request };
}
