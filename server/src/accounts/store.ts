import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import { isTier, TIERS } from '../billing/money.ts';
import type { Db, Tx } from '../db/client.ts';
import { badInput, notFound } from '../errors.ts';
import { rebuildRollups } from '../rollups/store.ts';
import { accountsOf, type AssociationSnapshot, checkSnapshot, type MemberRole, type OpenMembership, planMembership } from './membership.ts';

/** Roles that may see and bill an account's jobs. */
export const MANAGING_ROLES: readonly MemberRole[] = ['coordinator', 'pi'];

const TIMEOUT_MS = 120_000;

export interface AccountsSyncSummary {
  accounts: number;
  added: number;
  removed: number;
  membersOpened: number;
  membersClosed: number;
}

/**
 * Makes the accounts and memberships Slurm listed the database's, in one transaction with its audit entry: accounts
 * are upserted (one no longer listed keeps its row, marked removed), membership rows opened and closed. Admin-named
 * PIs stay.
 */
export async function applyAssociations(db: Db, snapshot: AssociationSnapshot, meta: RequestMeta, now = new Date()): Promise<AccountsSyncSummary> {
  checkSnapshot(snapshot);
  const accounts = accountsOf(snapshot);
  return db.$transaction(
    async (tx) => {
      const before = await tx.slurmAccount.findMany({ select: { name: true, removedAt: true } });
      const existing = new Map(before.map((a) => [a.name, a]));
      const listed = new Set(accounts.map((a) => a.name));
      let added = 0;
      for (const a of accounts) {
        const data = { description: a.description, organization: a.organization, parent: a.parent, syncedAt: now, removedAt: null };
        if (!existing.has(a.name)) added++;
        await tx.slurmAccount.upsert({ where: { name: a.name }, create: { name: a.name, ...data }, update: data });
      }
      const gone = before.filter((a) => !listed.has(a.name) && a.removedAt === null).map((a) => a.name);
      if (gone.length) await tx.slurmAccount.updateMany({ where: { name: { in: gone } }, data: { removedAt: now } });

      const open = (await tx.accountMember.findMany({ where: { until: null } })) as OpenMembership[];
      // Members of a removed account end with it.
      const plan = planMembership(open.filter((m) => listed.has(m.account) || m.source !== 'slurm'), snapshot);
      const closeIds = [...plan.close, ...open.filter((m) => !listed.has(m.account) && m.source === 'slurm').map((m) => m.id)];
      if (closeIds.length) await tx.accountMember.updateMany({ where: { id: { in: closeIds } }, data: { until: now } });
      if (plan.open.length) await tx.accountMember.createMany({ data: plan.open.map((m) => ({ ...m, source: 'slurm', since: now })) });
      const summary = { accounts: accounts.length, added, removed: gone.length, membersOpened: plan.open.length, membersClosed: closeIds.length };
      await recordAudit(tx, { action: 'accounts.sync', target: 'slurm', extra: { ...summary } }, meta);
      return summary;
    },
    { timeout: TIMEOUT_MS },
  );
}

/** The accounts a user coordinates or was named PI of (open rows only). */
export async function managedAccounts(db: Db | Tx, username: string): Promise<string[]> {
  const rows = await db.accountMember.findMany({
    where: { username, until: null, role: { in: [...MANAGING_ROLES] } },
    select: { account: true },
    distinct: ['account'],
    orderBy: { account: 'asc' },
  });
  return rows.map((r) => r.account);
}

/** The accounts a user has an open association with. */
export async function memberAccounts(db: Db | Tx, username: string): Promise<string[]> {
  const rows = await db.accountMember.findMany({ where: { username, until: null }, select: { account: true }, distinct: ['account'], orderBy: { account: 'asc' } });
  return rows.map((r) => r.account);
}

export const findAccount = (db: Db | Tx, name: string) => db.slurmAccount.findUnique({ where: { name } });

export type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

/** Accounts by name (all, or these), removed ones last. */
export function listAccounts(db: Db, names?: readonly string[] | null, search?: string | null) {
  return db.slurmAccount.findMany({
    where: { name: names ? { in: [...names] } : search ? { contains: search } : undefined },
    orderBy: [{ removedAt: { sort: 'desc', nulls: 'first' } }, { name: 'asc' }],
    take: 1000,
  });
}

/** An account's memberships: open ones, or with history every stretch, newest first. */
export function accountMembers(db: Db, account: string, history = false) {
  return db.accountMember.findMany({
    where: { account, until: history ? undefined : null },
    orderBy: history ? [{ since: 'desc' }, { id: 'desc' }] : [{ role: 'asc' }, { username: 'asc' }],
    take: 5000,
  });
}

/** Names (or stops naming) a user PI of an account: an admin's choice, which the accounts sync keeps. */
export async function setPrincipalInvestigator(db: Db, account: string, username: string, on: boolean, meta: RequestMeta, now = new Date()) {
  const name = username.trim();
  if (!/^[^\s,:|]+$/.test(name)) throw badInput(`"${username}" is not a valid user name`);
  return db.$transaction(async (tx) => {
    if (!(await findAccount(tx, account))) throw notFound(`no Slurm account "${account}" (sync the accounts from Slurm first)`);
    const open = await tx.accountMember.findFirst({ where: { account, username: name, role: 'pi', until: null } });
    if (on && !open) await tx.accountMember.create({ data: { account, username: name, role: 'pi', source: 'admin', since: now, setBy: meta.actor } });
    if (!on && open) await tx.accountMember.update({ where: { id: open.id }, data: { until: now } });
    if (on !== Boolean(open)) await recordAudit(tx, { action: on ? 'account.pi.add' : 'account.pi.remove', target: account, extra: { user: name } }, meta);
    return tx.slurmAccount.findUniqueOrThrow({ where: { name: account } });
  });
}

/**
 * Sets (or clears, with null) the tier an account's jobs are priced at, over its members' own: the row, the rollups of
 * its jobs and an audit entry, in one transaction. Billed jobs keep what their receipt charged.
 */
export async function setAccountPricingTier(db: Db, account: string, tier: string | null, meta: RequestMeta, defaultTier: string) {
  if (tier !== null && !isTier(tier)) throw badInput(`unknown tier "${tier}" (known: ${TIERS.join(', ')})`);
  return db.$transaction(
    async (tx) => {
      const row = await findAccount(tx, account);
      if (!row) throw notFound(`no Slurm account "${account}" (sync the accounts from Slurm first)`);
      if (row.tier === tier) return row;
      const updated = await tx.slurmAccount.update({ where: { name: account }, data: { tier } });
      await rebuildRollups(tx, defaultTier, { accounts: [account] });
      await recordAudit(tx, { action: 'account.tier.update', target: account, extra: { old: row.tier, new: tier } }, meta);
      return updated;
    },
    { timeout: TIMEOUT_MS },
  );
}

/** The pricing tier of each of these accounts that has one. */
export async function accountTiers(db: Db | Tx, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await db.slurmAccount.findMany({ where: { name: { in: [...names] }, tier: { not: null } }, select: { name: true, tier: true } });
  return new Map(rows.map((r) => [r.name, r.tier!]));
}
