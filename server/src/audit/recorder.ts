import type { Db, Tx } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { badInput } from '../errors.ts';
import { type AuditFields, entryHash, GENESIS_HASH, verifyChain } from './chain.ts';

/** Every action the product records, with the shape of its extra data. */
export type AuditEvent =
  | { action: 'auth.login.success'; target: string; extra?: { method: 'local' | 'pam' } }
  | { action: 'auth.login.failure'; target: string; extra?: { reason: string } }
  | { action: 'auth.lockout.start' | 'auth.lockout.active' | 'auth.lockout.end'; target: string; extra?: Record<string, unknown> }
  | { action: 'auth.logout'; target: string }
  | { action: 'rates.update'; target: string; extra: { old: unknown; new: unknown } }
  | { action: 'receipt.create'; target: string; extra: { items: number; /** exact, as text: satang can pass 2^53 */ totalSatang: string; cutoff: string; account?: string; invoiceNumber?: string } }
  | { action: 'receipt.paid'; target: string; extra?: Record<string, unknown> }
  | { action: 'jobs.sync'; target: string; extra: Record<string, unknown> }
  | {
      action: 'user.tier.update';
      target: string;
      /** `account` when the change was made for a whole Slurm account; satang as exact text. */
      extra: { old: string; new: string; account?: string; unbilledJobs: number; unbilledSatangBefore: string; unbilledSatangAfter: string };
    }
  | { action: 'token.create' | 'token.revoke'; target: string; extra?: Record<string, unknown> }
  | { action: 'accounts.sync'; target: string; extra: { accounts: number; added: number; removed: number; membersOpened: number; membersClosed: number } }
  | { action: 'account.pi.add' | 'account.pi.remove'; target: string; extra: { user: string } }
  | { action: 'account.tier.update'; target: string; extra: { old: string | null; new: string | null } }
  | { action: 'rates.rule.create' | 'rates.rule.apply' | 'rates.rule.delete'; target: string; extra: Record<string, unknown> }
  | { action: 'budget.set' | 'budget.delete'; target: string; extra: Record<string, unknown> }
  | { action: 'budget.alert'; target: string; extra: { budgetId: number; periodStart: string; threshold: number; spentSatang: string; deliveries: unknown } };

export interface RequestMeta {
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  path: string | null;
}

export const systemMeta = (actor = 'system'): RequestMeta => ({
  actor,
  ip: null,
  userAgent: null,
  method: null,
  path: null,
});

/** The advisory lock key of the audit chain's tail (any constant no other lock uses). */
const AUDIT_CHAIN_LOCK = 0x61756469;

/** Appends one entry; call it inside the transaction of the change it records. */
export async function recordAudit(tx: Tx | Db, event: AuditEvent, meta: RequestMeta, status = 'ok') {
  // Two transactions reading the same last entry would both append after it: the chain would fork.
  const lock = dialect.exclusive(AUDIT_CHAIN_LOCK);
  if (lock) await tx.$executeRaw(lock);
  const last = await tx.auditEntry.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: AuditFields = {
    // Millisecond precision is what the database keeps; hashing more would not verify.
    ts: new Date(Math.floor(Date.now())),
    actor: meta.actor,
    ip: meta.ip,
    userAgent: meta.userAgent,
    method: meta.method,
    path: meta.path,
    action: event.action,
    target: event.target,
    status,
    extra: JSON.stringify('extra' in event && event.extra ? event.extra : {}),
  };
  return tx.auditEntry.create({ data: { ...fields, prevHash, hash: entryHash(fields, prevHash) } });
}

export async function verifyAuditChain(db: Db, pageSize = 2000) {
  async function* pages() {
    let after = 0;
    for (;;) {
      const rows = await db.auditEntry.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: pageSize });
      if (rows.length === 0) return;
      yield* rows;
      after = rows[rows.length - 1].id;
    }
  }
  return verifyChain(pages());
}

export interface AuditFilter {
  /** Exact action, or a prefix ending in "." such as "auth.". */
  action?: string | null;
  actor?: string | null;
  target?: string | null;
  /** Entries at or after this instant. */
  from?: Date | null;
  /** Entries before this instant. */
  to?: Date | null;
}

/** The filter's time window must hold something: `to` after `from`, when both are given. */
export function checkAuditFilter(f: AuditFilter): AuditFilter {
  if (f.from && f.to && !(f.from.getTime() < f.to.getTime())) {
    throw badInput(`the audit window is empty: from ${f.from.toISOString()} is not before to ${f.to.toISOString()}`);
  }
  return f;
}

export const auditWhere = (f: AuditFilter) => ({
  action: f.action ? (f.action.endsWith('.') ? { startsWith: f.action } : f.action) : undefined,
  actor: f.actor || undefined,
  target: f.target || undefined,
  ts: { gte: f.from ?? undefined, lt: f.to ?? undefined },
});

/** Newest first, a page at a time (entries with an id below `beforeId`). */
export const auditEntries = (db: Db, filter: AuditFilter, first: number, beforeId?: number | null) =>
  db.auditEntry.findMany({
    where: { ...auditWhere(checkAuditFilter(filter)), id: beforeId ? { lt: beforeId } : undefined },
    orderBy: { id: 'desc' },
    take: first,
  });

export type AuditEntryRow = Awaited<ReturnType<typeof auditEntries>>[number];
