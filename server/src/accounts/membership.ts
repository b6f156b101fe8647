/**
 * Who belongs to which Slurm account, as Slurm says: the pure half of the accounts sync. An association ties a user to
 * an account (on a cluster, maybe a partition); an account's coordinators may manage it. The sync keeps one open row
 * per (account, user, role) and closes it when Slurm stops listing it, so the history of a membership stays.
 */

export interface SlurmAccountInfo {
  name: string;
  description: string | null;
  organization: string | null;
  parent: string | null;
  coordinators: string[];
}

export interface SlurmAssociation {
  cluster: string;
  account: string;
  /** null: the account's own association (its place in the tree), not a user's */
  user: string | null;
  parentAccount: string | null;
  partition: string | null;
}

export interface AssociationSnapshot {
  accounts: SlurmAccountInfo[];
  associations: SlurmAssociation[];
}

/** member: has an association; coordinator: Slurm's coordinator; pi: named by an admin here (the sync leaves it alone). */
export type MemberRole = 'member' | 'coordinator' | 'pi';
export const MEMBER_ROLES: readonly MemberRole[] = ['member', 'coordinator', 'pi'];

export interface OpenMembership {
  id: number;
  account: string;
  username: string;
  role: MemberRole;
  source: 'slurm' | 'admin';
}

export interface MembershipPlan {
  open: Array<{ account: string; username: string; role: Exclude<MemberRole, 'pi'> }>;
  /** ids of open rows Slurm no longer lists */
  close: number[];
}

const keyOf = (account: string, username: string, role: string) => `${account}\u0000${username}\u0000${role}`;

/** The accounts a snapshot names: those listed, and any that only associations or parents mention. */
export function accountsOf(snapshot: AssociationSnapshot): SlurmAccountInfo[] {
  const byName = new Map<string, SlurmAccountInfo>();
  for (const a of snapshot.accounts) byName.set(a.name, a);
  for (const a of snapshot.associations) {
    const known = byName.get(a.account);
    if (!known) byName.set(a.account, { name: a.account, description: null, organization: null, parent: a.parentAccount, coordinators: [] });
    else if (!known.parent && a.parentAccount && a.user === null) byName.set(a.account, { ...known, parent: a.parentAccount });
  }
  return [...byName.values()].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** Checks a snapshot before anything is written: a name Slurm could not have given is an error that names it. */
export function checkSnapshot(snapshot: AssociationSnapshot): void {
  const bad = (what: string, value: unknown) => new Error(`the accounts from Slurm have ${what} ${JSON.stringify(value)}`);
  const name = /^[^\s,:|]+$/;
  for (const a of snapshot.accounts) {
    if (!name.test(a.name)) throw bad('an account named', a.name);
    for (const c of a.coordinators) if (!name.test(c)) throw bad(`a coordinator of ${a.name} named`, c);
  }
  for (const a of snapshot.associations) {
    if (!name.test(a.account)) throw bad('an association with the account', a.account);
    if (a.user !== null && !name.test(a.user)) throw bad(`an association of ${a.account} with the user`, a.user);
  }
}

/**
 * What to open and close so that the open rows from Slurm are the snapshot's: a member row per user with an
 * association (any cluster or partition), a coordinator row per coordinator. Admin-named PIs are never closed here.
 */
export function planMembership(current: readonly OpenMembership[], snapshot: AssociationSnapshot): MembershipPlan {
  const wanted = new Map<string, MembershipPlan['open'][number]>();
  for (const a of snapshot.associations) {
    if (a.user !== null) wanted.set(keyOf(a.account, a.user, 'member'), { account: a.account, username: a.user, role: 'member' });
  }
  for (const a of snapshot.accounts) {
    for (const c of a.coordinators) wanted.set(keyOf(a.name, c, 'coordinator'), { account: a.name, username: c, role: 'coordinator' });
  }
  const close: number[] = [];
  const have = new Set<string>();
  for (const row of current) {
    if (row.source !== 'slurm') continue;
    const key = keyOf(row.account, row.username, row.role);
    if (wanted.has(key) && !have.has(key)) have.add(key);
    else close.push(row.id);
  }
  const open = [...wanted.entries()].filter(([k]) => !have.has(k)).map(([, v]) => v);
  return { open, close };
}
