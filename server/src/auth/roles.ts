import { type Exec, spawnExec } from '../lib/exec.ts';
import { isValidUsername } from './pam.ts';

/**
 * A viewer's role from the static lists in the configuration (ADMIN_USERS, OPERATOR_USERS) and, when enabled
 * (ROLES_FROM_SLURM=1), from Slurm's own AdminLevel: the higher of the two wins.
 */

export type Role = 'user' | 'operator' | 'admin';
export type RoleSource = 'static' | 'slurm' | 'default';

/**
 * What set the role a User row holds (its `roleSource`): the RoleSource of the login that wrote it, or `local` when a
 * local account (the seeded admin, a demo user) logged in without config or Slurm naming it and so kept its seeded role.
 */
export const ACCOUNT_ROLE_SOURCES = ['static', 'slurm', 'local', 'default'] as const;
export type AccountRoleSource = (typeof ACCOUNT_ROLE_SOURCES)[number];

export interface RoleResult {
  role: Role;
  /** Which list gave the role; `default` when neither named the user. */
  source: RoleSource;
  /** Why Slurm was not asked or did not answer; the role then comes from the static lists alone. */
  warning?: string;
}

export interface SacctmgrOptions {
  /** The sacctmgr binary (a name on PATH or a full path). */
  path: string;
  /** Added to the command's environment, e.g. SLURM_CONF. */
  env?: Record<string, string>;
  timeoutMs: number;
}

export interface ResolveRoleOptions {
  staticAdmins: readonly string[];
  staticOperators: readonly string[];
  /** null or absent: Slurm is not asked. */
  sacctmgr?: SacctmgrOptions | null;
  exec?: Exec;
  /** Remembers Slurm's answers for a while; see createRoleCache. */
  cache?: RoleCache | null;
}

const RANK: Record<Role, number> = { user: 0, operator: 1, admin: 2 };
const higher = (a: Role, b: Role): Role => (RANK[a] >= RANK[b] ? a : b);

/** The role the static lists give; admin wins when a name is on both. */
export function staticRole(username: string, admins: readonly string[], operators: readonly string[]): Role | null {
  if (admins.includes(username)) return 'admin';
  if (operators.includes(username)) return 'operator';
  return null;
}

/**
 * `sacctmgr show user … format=User,AdminLevel --parsable2 --noheader` → the role, or null when Slurm does not know
 * the user (no line). AdminLevel is `None`, `Operator` or `Administrator`
 * (https://slurm.schedmd.com/sacctmgr.html#SECTION_SPECIFICATIONS-FOR-USERS); anything else counts as a plain user.
 */
export function parseAdminLevel(output: string, username?: string): Role | null {
  const rows = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => l.split('|'));
  // With a name given, only its own row counts. sacctmgr matches names case-insensitively, but Linux does not:
  // "Admin1" is another account than "admin1" and must not get its AdminLevel.
  const row = username ? rows.find((f) => f[0] === username) : rows[0];
  if (!row) return null;
  const level = (row[1] ?? '').trim().toLowerCase();
  if (level === 'administrator' || level === 'admin') return 'admin';
  if (level === 'operator') return 'operator';
  return 'user';
}

export interface RoleCache {
  get(username: string): Promise<Role | null> | undefined;
  set(username: string, value: Promise<Role | null>): void;
  /** Forgets the entry, only if it is still `value` when given. */
  delete(username: string, value?: Promise<Role | null>): void;
}

/**
 * Slurm's answer per name for `ttlMs` (60 s): a login, then the page loads after it, ask sacctmgr once, and a change
 * of AdminLevel still shows within a minute. Concurrent lookups of one name share one sacctmgr run.
 */
export function createRoleCache(ttlMs = 60_000, now: () => number = Date.now, maxEntries = 1000): RoleCache {
  const entries = new Map<string, { value: Promise<Role | null>; expires: number }>();
  return {
    get(username) {
      const e = entries.get(username);
      if (!e) return undefined;
      if (e.expires <= now()) {
        entries.delete(username);
        return undefined;
      }
      return e.value;
    },
    set(username, value) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(username, { value, expires: now() + ttlMs });
    },
    delete(username, value) {
      if (!value || entries.get(username)?.value === value) entries.delete(username);
    },
  };
}

/** AdminLevel from sacctmgr; throws with a reason an operator can act on. */
export async function sacctmgrRole(username: string, opts: SacctmgrOptions, exec: Exec = spawnExec): Promise<Role | null> {
  if (!isValidUsername(username)) throw new Error(`"${username}" is not a valid user name`);
  // `user=NAME`, not a bare NAME: a user called e.g. "format" would otherwise be read as a keyword.
  // --readonly: this process never needs to change anything in slurmdbd.
  const args = ['--readonly', '--parsable2', '--noheader', 'show', 'user', `user=${username}`, 'format=User,AdminLevel'];
  const run = exec(opts.path, args, { env: opts.env ?? {}, timeoutMs: opts.timeoutMs });
  const lines: string[] = [];
  for await (const line of run.lines) lines.push(line);
  const done = await run.done;
  if (done.error) throw new Error(`could not run ${opts.path}: ${done.error.message}`);
  if (done.code === null) throw new Error(`${opts.path} timed out after ${opts.timeoutMs} ms`);
  if (done.code !== 0) throw new Error(`${opts.path} exited ${done.code}: ${done.stderr.trim().split('\n')[0] ?? ''}`.trim());
  return parseAdminLevel(lines.join('\n'), username);
}

/** The higher of the static role and Slurm's; a Slurm failure leaves the static role and says why. */
export async function resolveRole(username: string, opts: ResolveRoleOptions): Promise<RoleResult> {
  const fromList = staticRole(username, opts.staticAdmins, opts.staticOperators);
  const base: RoleResult = fromList ? { role: fromList, source: 'static' } : { role: 'user', source: 'default' };
  if (!opts.sacctmgr) return base;
  if (!isValidUsername(username)) return { ...base, warning: `not asking Slurm: "${username}" is not a valid user name` };

  let lookup = opts.cache?.get(username);
  if (!lookup) {
    const started = sacctmgrRole(username, opts.sacctmgr, opts.exec);
    lookup = started;
    opts.cache?.set(username, started);
    // Failures are not remembered: the next login asks again.
    started.catch(() => opts.cache?.delete(username, started));
  }
  let fromSlurm: Role | null;
  try {
    fromSlurm = await lookup;
  } catch (error) {
    return { ...base, warning: `Slurm role lookup failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (fromSlurm === null) return base;
  if (fromList && RANK[fromList] >= RANK[fromSlurm]) return base;
  return { role: higher(fromSlurm, base.role), source: 'slurm' };
}

/** resolveRole with its options and a cache bound once (built in buildApp, one per server). */
export function createRoleResolver(opts: Omit<ResolveRoleOptions, 'cache'> & { cacheTtlMs?: number }) {
  const cache = createRoleCache(opts.cacheTtlMs ?? 60_000);
  return (username: string) => resolveRole(username, { ...opts, cache });
}
