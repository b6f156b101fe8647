import { type Exec, spawnExec } from '../lib/exec.ts';
import { runToText } from './command.ts';
import { emptyToNull } from './normalize.ts';
import { createRestdSource, type RestdOptions } from './restd-client.ts';
import { minorOf } from './restd-parse.ts';
import { SlurmSourceError } from './types.ts';

/**
 * Slurm's accounts and associations (who may charge which account, and the account tree), read through sacctmgr or
 * slurmrestd's `/slurmdb` and normalised to one shape, so either source can answer and the two can be compared.
 */

export interface SlurmAccount {
  name: string;
  description: string;
  organization: string;
  /** The account above it in the tree (from its association on the cluster); null for root and unattached accounts. */
  parent: string | null;
  /** User names, sorted; a coordinator of an account also coordinates its sub-accounts, and is listed there too. */
  coordinators: string[];
}

export interface SlurmAssociation {
  cluster: string;
  account: string;
  /** null: the account's own association (its place in the tree); a name: that user may charge the account. */
  user: string | null;
  /** Only on an account's own association, as Slurm reports it; a user's association hangs under its `account`. */
  parentAccount: string | null;
  /** A user association limited to one partition; null for every partition. */
  partition: string | null;
}

export interface AccountTree {
  accounts: SlurmAccount[];
  associations: SlurmAssociation[];
}

/** No free text here, so `|` cannot occur inside a field. */
export const SACCTMGR_ASSOC_FIELDS = ['Cluster', 'Account', 'User', 'ParentName', 'Partition'] as const;

/**
 * Descr is free text and may hold `|` (sacctmgr stores it as given and has no `--delimiter`), so it goes last and
 * extra fields rejoin into it. Org is free text too: one containing `|` cannot be told apart from the description
 * (slurmrestd has no such ambiguity).
 */
export const SACCTMGR_ACCOUNT_FIELDS = ['Account', 'Coordinators', 'Org', 'Descr'] as const;

/** What sacctmgr prints as the header of those fields (`Coordinators` is headed `Coord Accounts`). */
const ASSOC_HEADER = 'Cluster|Account|User|ParentName|Partition';
const ACCOUNT_HEADER = 'Account|Coord Accounts|Org|Descr';

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function assertName(kind: string, name: string): void {
  // One argv word, but sacctmgr reads `a,b` as a list and `x=y` as another keyword.
  if (!NAME_RE.test(name)) throw new SlurmSourceError('sacctmgr', `"${name}" is not a valid ${kind} name`);
}

/**
 * `sacctmgr --readonly --parsable2 --noheader show assoc [cluster=X] format=…` (checked on 22.05; the same format
 * names through 25.11: https://github.com/SchedMD/slurm/blob/slurm-22-05-8-1/src/sacctmgr/common.c).
 */
export function sacctmgrAssocArgs(cluster?: string): string[] {
  const args = ['--readonly', '--parsable2', '--noheader', 'show', 'assoc'];
  if (cluster) {
    assertName('cluster', cluster);
    args.push(`cluster=${cluster}`);
  }
  args.push(`format=${SACCTMGR_ASSOC_FIELDS.join(',')}`);
  return args;
}

/** `withcoord` fills the Coordinators field; without it the field is always empty. */
export function sacctmgrAccountArgs(): string[] {
  return ['--readonly', '--parsable2', '--noheader', 'show', 'account', 'withcoord', `format=${SACCTMGR_ACCOUNT_FIELDS.join(',')}`];
}

function lines(text: string): { line: string; no: number }[] {
  return text
    .split('\n')
    .map((l, i) => ({ line: l.endsWith('\r') ? l.slice(0, -1) : l, no: i + 1 }))
    .filter((l) => l.line.trim() !== '');
}

function fieldError(what: string, no: number, line: string, why: string): SlurmSourceError {
  return new SlurmSourceError('sacctmgr', `${what} line ${no}: ${why} ("${line.slice(0, 80)}")`);
}

/** `show assoc` output (fields as SACCTMGR_ASSOC_FIELDS; a header line is skipped) → associations. */
export function parseSacctmgrAssoc(text: string): SlurmAssociation[] {
  const out: SlurmAssociation[] = [];
  for (const { line, no } of lines(text)) {
    if (line === ASSOC_HEADER) continue;
    const f = line.split('|');
    if (f.length !== SACCTMGR_ASSOC_FIELDS.length) {
      throw fieldError('sacctmgr show assoc', no, line, `${f.length} fields, expected ${SACCTMGR_ASSOC_FIELDS.length} (${SACCTMGR_ASSOC_FIELDS.join(',')})`);
    }
    const [cluster, account, user, parent, partition] = f;
    if (!cluster) throw fieldError('sacctmgr show assoc', no, line, 'no cluster');
    if (!account) throw fieldError('sacctmgr show assoc', no, line, 'no account');
    out.push({ cluster, account, user: emptyToNull(user), parentAccount: emptyToNull(parent), partition: emptyToNull(partition) });
  }
  return out;
}

/** `show account withcoord` output (fields as SACCTMGR_ACCOUNT_FIELDS) → accounts, `parent` still null. */
export function parseSacctmgrAccounts(text: string): SlurmAccount[] {
  const out: SlurmAccount[] = [];
  const n = SACCTMGR_ACCOUNT_FIELDS.length;
  for (const { line, no } of lines(text)) {
    if (line === ACCOUNT_HEADER) continue;
    const f = line.split('|');
    if (f.length < n) throw fieldError('sacctmgr show account', no, line, `${f.length} fields, expected ${n} (${SACCTMGR_ACCOUNT_FIELDS.join(',')})`);
    const [name, coords, organization] = f;
    if (!name) throw fieldError('sacctmgr show account', no, line, 'no account name');
    // sacctmgr joins coordinators with "," (sacctmgr_print_coord_list() in src/sacctmgr/common.c)
    const coordinators = coords ? coords.split(',').filter(Boolean) : [];
    out.push({ name, description: f.slice(n - 1).join('|'), organization, parent: null, coordinators: uniqueSorted(coordinators) });
  }
  return out;
}

type Json = Record<string, unknown>;

function listOf(json: unknown, key: 'associations' | 'accounts', where: string): unknown[] {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new SlurmSourceError('restd', `${where}: the response is not a JSON object`);
  const list = (json as Json)[key];
  if (!Array.isArray(list)) throw new SlurmSourceError('restd', `${where}: the response has no ${key}[] list`);
  return list;
}

function isDeleted(flags: unknown): boolean {
  return Array.isArray(flags) && flags.some((f) => typeof f === 'string' && f.toUpperCase() === 'DELETED');
}

/** Required strings; v0.0.39 and later print an unset one as "" where v0.0.37/38 print null. */
function requiredText(entry: Json, key: string, where: string, which: string): string {
  const v = entry[key];
  if (typeof v !== 'string' || v === '') throw new SlurmSourceError('restd', `${where}: ${which} has no ${key}`);
  return v;
}

function optionalText(entry: Json, key: string, where: string, which: string): string {
  const v = entry[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new SlurmSourceError('restd', `${where}: ${which} has a ${key} that is not a string`);
  return v;
}

export interface RestdParseOptions {
  /** For error messages, e.g. the request path. */
  where?: string;
}

/**
 * `GET /slurmdb/vX/associations` → associations, for v0.0.37 to v0.0.46: the same fields in every version (`account`,
 * `cluster`, `user`, `parent_account`, `partition`, `flags[]`). Deleted associations (listed only on request) are left out.
 */
export function parseRestdAssociations(json: unknown, opts: RestdParseOptions = {}): SlurmAssociation[] {
  const where = opts.where ?? '/slurmdb/associations';
  const out: SlurmAssociation[] = [];
  listOf(json, 'associations', where).forEach((raw, i) => {
    if (!raw || typeof raw !== 'object') throw new SlurmSourceError('restd', `${where}: associations[${i}] is not an object`);
    const a = raw as Json;
    if (isDeleted(a.flags)) return;
    const which = `associations[${i}]`;
    out.push({
      cluster: requiredText(a, 'cluster', where, which),
      account: requiredText(a, 'account', where, which),
      user: emptyToNull(optionalText(a, 'user', where, which)),
      parentAccount: emptyToNull(optionalText(a, 'parent_account', where, which)),
      partition: emptyToNull(optionalText(a, 'partition', where, which)),
    });
  });
  return out;
}

/**
 * `GET /slurmdb/vX/accounts` → accounts, `parent` still null (accounts carry no parent; it is on their association).
 * Coordinators are `{name, direct}` objects in every version (`direct` 0/1 up to v0.0.38, a boolean after); plain
 * strings are taken too.
 */
export function parseRestdAccounts(json: unknown, opts: RestdParseOptions = {}): SlurmAccount[] {
  const where = opts.where ?? '/slurmdb/accounts';
  const out: SlurmAccount[] = [];
  listOf(json, 'accounts', where).forEach((raw, i) => {
    if (!raw || typeof raw !== 'object') throw new SlurmSourceError('restd', `${where}: accounts[${i}] is not an object`);
    const a = raw as Json;
    if (isDeleted(a.flags)) return;
    const name = requiredText(a, 'name', where, `accounts[${i}]`);
    const which = `account ${name}`;
    const coords = a.coordinators ?? [];
    if (!Array.isArray(coords)) throw new SlurmSourceError('restd', `${where}: ${which} has coordinators that are not a list`);
    const coordinators = coords.map((c, j) => {
      const n = typeof c === 'string' ? c : c && typeof c === 'object' ? (c as Json).name : undefined;
      if (typeof n !== 'string' || !n) throw new SlurmSourceError('restd', `${where}: ${which} has coordinators[${j}] without a name`);
      return n;
    });
    out.push({
      name,
      description: optionalText(a, 'description', where, which),
      organization: optionalText(a, 'organization', where, which),
      parent: null,
      coordinators: uniqueSorted(coordinators),
    });
  });
  return out;
}

function uniqueSorted(names: string[]): string[] {
  return [...new Set(names)].sort();
}

// Code-point order, the same under any locale; null (an account's own row) before its users.
const byText = (a: string | null, b: string | null) => {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Accounts and associations as one sorted answer: associations of `cluster` only (all when absent), and each
 * account's parent from its own association there (without a cluster: the first cluster, by name, that has one).
 * Accounts exist across clusters in Slurm, so every account is kept, with a null parent where it has no association.
 */
export function buildAccountTree(accounts: SlurmAccount[], associations: SlurmAssociation[], cluster?: string): AccountTree {
  const assocs = associations
    .filter((a) => !cluster || a.cluster === cluster)
    .sort((a, b) => byText(a.cluster, b.cluster) || byText(a.account, b.account) || byText(a.user, b.user) || byText(a.partition, b.partition));
  const parents = new Map<string, string | null>();
  for (const a of assocs) if (a.user === null && a.partition === null && !parents.has(a.account)) parents.set(a.account, a.parentAccount);
  const list = accounts.map((a) => ({ ...a, parent: parents.get(a.name) ?? null })).sort((a, b) => byText(a.name, b.name));
  return { accounts: list, associations: assocs };
}

export interface FetchAssociationsOptions {
  exec?: Exec;
  /** The sacctmgr binary (a name on PATH or a full path); default `sacctmgr`. */
  sacctmgrPath?: string;
  /** Added to the command's environment, e.g. SLURM_CONF. */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Only this cluster's associations (sacctmgr's `cluster=`); all clusters when absent. */
  cluster?: string;
  signal?: AbortSignal;
}

/** Accounts and associations through sacctmgr: two read-only runs, side by side. */
export async function fetchAssociations(opts: FetchAssociationsOptions): Promise<AccountTree> {
  const exec = opts.exec ?? spawnExec;
  const cmd = opts.sacctmgrPath ?? 'sacctmgr';
  const run = { env: opts.env ?? {}, timeoutMs: opts.timeoutMs, signal: opts.signal };
  const [assocText, accountText] = await Promise.all([
    runToText('sacctmgr', exec, cmd, sacctmgrAssocArgs(opts.cluster), run),
    runToText('sacctmgr', exec, cmd, sacctmgrAccountArgs(), run),
  ]);
  return buildAccountTree(parseSacctmgrAccounts(accountText), parseSacctmgrAssoc(assocText), opts.cluster);
}

/**
 * Query parameters for `/slurmdb/vX/accounts` that make it list coordinators: always included up to v0.0.39
 * (dbv0.0.3x sets `with_coords`), a `with_coords` switch in v0.0.40, a `WithCoordinators` flag from v0.0.41
 * (https://github.com/SchedMD/slurm/blob/slurm-24-05-8-1/src/plugins/data_parser/v0.0.41/parsers.c). Older versions
 * refuse parameters they do not know, so none are sent there.
 */
export function restdAccountsParams(version: string): URLSearchParams | null {
  const minor = minorOf(version);
  if (minor <= 39) return null;
  return new URLSearchParams(minor === 40 ? { with_coords: 'true' } : { WithCoordinators: 'true' });
}

export interface FetchRestdAssociationsOptions extends Omit<RestdOptions, 'cluster'> {
  /** Only this cluster's associations (filtered here: v0.0.37/38 take no `cluster` parameter); all when absent. */
  cluster?: string;
}

/**
 * Accounts and associations through slurmrestd: the version is the one the job source discovers (the same plugin
 * serves all three paths), and only `/slurmdb` has them.
 */
export async function fetchRestdAssociations(opts: FetchRestdAssociationsOptions): Promise<AccountTree> {
  const source = createRestdSource({ ...opts, cluster: opts.cluster ?? '' });
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const { api, version } = await source.discover(signal);
  if (api !== 'slurmdb') {
    throw new SlurmSourceError('restd', `slurmrestd offers only /slurm/${version}, not /slurmdb: no accounts or associations`);
  }
  const assocPath = `/slurmdb/${version}/associations`;
  const accountPath = `/slurmdb/${version}/accounts`;
  const [assocJson, accountJson] = await Promise.all([
    source.getJson(assocPath, null, signal),
    source.getJson(accountPath, restdAccountsParams(version), signal),
  ]);
  return buildAccountTree(
    parseRestdAccounts(accountJson, { where: accountPath }),
    parseRestdAssociations(assocJson, { where: assocPath }),
    opts.cluster,
  );
}
