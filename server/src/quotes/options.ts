/**
 * The options sbatch, srun and salloc accept, with whether each takes an argument: needed to read a command line as
 * getopt_long does (an unknown `--foo bar` cannot be split without it) and to resolve abbreviations (`--part=gpu`).
 * Taken from the `slurm_cli_opt_t` table in
 * https://github.com/SchedMD/slurm/blob/master/src/common/slurm_opt.c (an option exists for a command when it has
 * `set_func` or that command's `set_func_*`).
 */

export type Command = 'sbatch' | 'srun' | 'salloc';
export type ArgKind = 'none' | 'optional' | 'required';

export interface OptionSpec {
  /** The long name; aliases resolve to the name this project reads (`tasks-per-node` → `ntasks-per-node`). */
  name: string;
  arg: ArgKind;
}

const b = 'sbatch';
const r = 'srun';
const a = 'salloc';

const GROUPS: Array<[ArgKind, Command[], string]> = [
  ['none', [a], 'bell no-bell no-shell'],
  ['none', [b], 'external get-user-env ignore-pbs no-requeue wait'],
  ['none', [b, r], 'parsable test-only'],
  [
    'none',
    [b, r, a],
    'consolidate-segments contiguous help hold overcommit oversubscribe quiet reboot spread-job spread-segments stepmgr use-min-nodes usage verbose version',
  ],
  [
    'none',
    [r],
    'async debugger-test disable-status exact interactive label multi-prog no-allocate preserve-env quit-on-interrupt unbuffered wait-for-children whole',
  ],
  ['optional', [a], 'kill-command'],
  ['optional', [b], 'requeue'],
  ['optional', [b, r], 'propagate'],
  ['optional', [b, r, a], 'exclusive oom-kill-step nice no-kill resv-ports'],
  ['optional', [r], 'bcast compress external-launcher kill-on-bad-exit overlap pty send-libs'],
  ['optional', [r, a], 'immediate x11'],
  ['required', [b], 'array batch export-file gid kill-on-invalid-dep uid wrap'],
  ['required', [b, a], 'wait-all-nodes'],
  ['required', [b, r], 'error export input open-mode output'],
  [
    'required',
    [b, r, a],
    'account acctg-freq bbf autocomplete begin bb cluster-constraint chdir clusters cluster comment constraint container ' +
      'container-id runtime context core-spec cores-per-socket cpu-freq cpus-per-gpu cpus-per-task deadline delay-boot ' +
      'dependency distribution exclude extra extra-node-info gpu-bind tres-bind gpu-freq gpus gpus-per-node ' +
      'gpus-per-socket gpus-per-task tres-per-task gres gres-flags hint job-name licenses mail-type mail-user mcs-label ' +
      'mem mem-bind mem-per-cpu mem-per-gpu mem-update mincpus network nodefile nodelist nodes ntasks ntasks-per-core ' +
      'ntasks-per-node ntasks-per-socket ntasks-per-tres ntasks-per-gpu partition prefer priority profile qos ' +
      'reservation resources segment signal sockets-per-node switches tasks-per-node thread-spec threads-per-core time ' +
      'time-min tmp wckey',
  ],
  [
    'required',
    [r],
    'accel-bind bcast-exclude cpu-bind cpu_bind epilog treewidth ignore-signals jobid threads mpi msg-timeout ' +
      'pack-group het-group prolog relative slurmd-debug task-epilog task-prolog wait',
  ],
];

/** Short letters; `-K` and `-W` mean different options to different commands. */
const SHORT: Array<[string, string, Command[]]> = [
  ['A', 'account', [b, r, a]],
  ['a', 'array', [b]],
  ['b', 'begin', [b, r, a]],
  ['D', 'chdir', [b, r, a]],
  ['M', 'clusters', [b, r, a]],
  ['C', 'constraint', [b, r, a]],
  ['S', 'core-spec', [b, r, a]],
  ['c', 'cpus-per-task', [b, r, a]],
  ['d', 'dependency', [b, r, a]],
  ['X', 'disable-status', [r]],
  ['m', 'distribution', [b, r, a]],
  ['e', 'error', [b, r]],
  ['x', 'exclude', [b, r, a]],
  ['B', 'extra-node-info', [b, r, a]],
  ['G', 'gpus', [b, r, a]],
  ['h', 'help', [b, r, a]],
  ['H', 'hold', [b, r, a]],
  ['I', 'immediate', [r, a]],
  ['i', 'input', [b, r]],
  ['J', 'job-name', [b, r, a]],
  ['K', 'kill-command', [a]],
  ['K', 'kill-on-bad-exit', [r]],
  ['l', 'label', [r]],
  ['L', 'licenses', [b, r, a]],
  ['T', 'threads', [r]],
  ['Z', 'no-allocate', [r]],
  ['k', 'no-kill', [b, r, a]],
  ['F', 'nodefile', [b, r, a]],
  ['w', 'nodelist', [b, r, a]],
  ['N', 'nodes', [b, r, a]],
  ['n', 'ntasks', [b, r, a]],
  ['o', 'output', [b, r]],
  ['O', 'overcommit', [b, r, a]],
  ['s', 'oversubscribe', [b, r, a]],
  ['p', 'partition', [b, r, a]],
  ['E', 'preserve-env', [r]],
  ['q', 'qos', [b, r, a]],
  ['Q', 'quiet', [b, r, a]],
  ['r', 'relative', [r]],
  ['t', 'time', [b, r, a]],
  ['u', 'unbuffered', [r]],
  ['v', 'verbose', [b, r, a]],
  ['V', 'version', [b, r, a]],
  ['W', 'wait', [b, r]],
];

/** Spellings Slurm gives the same option (the same `val` in its table), so they are never ambiguous with each other. */
const ALIASES: Record<string, string> = {
  'tasks-per-node': 'ntasks-per-node',
  cpu_bind: 'cpu-bind',
  'pack-group': 'het-group',
};

export interface OptionTable {
  long: Map<string, OptionSpec>;
  short: Map<string, OptionSpec>;
}

function buildTable(command: Command): OptionTable {
  const long = new Map<string, OptionSpec>();
  for (const [arg, commands, names] of GROUPS) {
    if (!commands.includes(command)) continue;
    for (const name of names.split(' ')) long.set(name, { name: ALIASES[name] ?? name, arg });
  }
  const short = new Map<string, OptionSpec>();
  for (const [letter, name, commands] of SHORT) {
    const spec = long.get(name);
    if (commands.includes(command) && spec) short.set(letter, spec);
  }
  return { long, short };
}

const TABLES: Record<Command, OptionTable> = { sbatch: buildTable('sbatch'), srun: buildTable('srun'), salloc: buildTable('salloc') };

export const optionTable = (command: Command): OptionTable => TABLES[command];

export type LongLookup = { spec: OptionSpec } | { ambiguous: string[] } | { unknown: true };

/**
 * getopt_long's matching: an exact name, else the one option the text abbreviates; several candidates are
 * ambiguous unless they are spellings of one option.
 */
export function lookupLong(table: OptionTable, name: string): LongLookup {
  const exact = table.long.get(name);
  if (exact) return { spec: exact };
  const candidates = [...table.long.entries()].filter(([spelling]) => spelling.startsWith(name));
  const distinct = new Set(candidates.map(([, spec]) => spec.name));
  if (distinct.size === 1) return { spec: candidates[0][1] };
  if (distinct.size > 1) return { ambiguous: candidates.map(([spelling]) => spelling).sort() };
  return { unknown: true };
}
