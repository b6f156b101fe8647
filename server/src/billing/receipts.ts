import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db, Tx } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { DomainError } from '../errors.ts';
import { rebuildRollups, slotsOf } from '../rollups/store.ts';
import { costOfUnits } from '@hpc-accounting/pricing/cost';
import { activeOverrides, jobWhere } from './usage.ts';
import { gpuTypesOf, pickRate } from './rate-rules.ts';
import { accountTiers } from '../accounts/store.ts';

/** What a receipt operation refuses with: a DomainError of one of these codes. */
export type ReceiptErrorCode = 'BAD_INPUT' | 'NOT_FOUND' | 'ALREADY_BILLED' | 'ALREADY_PAID' | 'NOTHING_TO_BILL' | 'RETRY_LATER';

export class ReceiptError extends DomainError {
  constructor(
    override readonly code: ReceiptErrorCode,
    message: string,
    details: DomainError['details'] = {},
  ) {
    super(code, message, details);
  }
}

/** Whose jobs a receipt bills: one user's, or every member's jobs in one Slurm account. */
export type ReceiptOwner = { username: string } | { account: string };

export interface ReceiptOptions {
  now?: Date;
  defaultTier?: string;
  /** The invoice number of the new receipt, taken inside its transaction (so a rolled-back receipt uses none). */
  invoiceNumber?: (tx: Tx, createdAt: Date) => Promise<string | null>;
}

/**
 * Bills the owner's finished, unbilled jobs that ended before the cut-off, each at the rate in force now for its tier
 * (its account's when an admin set one, else its user's). The receipt, its items and the audit entry are one
 * transaction; the UNIQUE billing key makes a concurrent receipt that reaches the same job (whether made for the user
 * or for the account) fail as a whole, leaving nothing behind. A transaction that collides with another process's
 * write is run again, and then finds those jobs billed (NOTHING_TO_BILL, or a receipt of the rest); one that keeps
 * colliding answers RETRY_LATER.
 */
export async function createReceipt(db: Db, owner: ReceiptOwner | string, cutoff: Date, meta: RequestMeta, opts: ReceiptOptions = {}) {
  const { now = new Date(), defaultTier = 'mu' } = opts;
  const who: ReceiptOwner = typeof owner === 'string' ? { username: owner } : owner;
  if (Number.isNaN(cutoff.getTime())) throw new ReceiptError('BAD_INPUT', 'the cut-off is not a valid date');
  if (cutoff.getTime() > now.getTime()) {
    throw new ReceiptError('BAD_INPUT', `the cut-off ${cutoff.toISOString()} is in the future; only finished usage can be billed`);
  }
  try {
    return await db.$transaction(async (tx) => {
      let userId: number | null = null;
      let ownTier: string;
      let label: string;
      if ('username' in who) {
        const user = await tx.user.findUnique({ where: { username: who.username } });
        if (!user) throw new ReceiptError('NOT_FOUND', `no user named "${who.username}"`);
        userId = user.id;
        ownTier = user.tier;
        label = who.username;
      } else {
        const account = await tx.slurmAccount.findUnique({ where: { name: who.account } });
        if (!account) throw new ReceiptError('NOT_FOUND', `no Slurm account "${who.account}"`);
        ownTier = account.tier ?? defaultTier;
        label = `account ${who.account}`;
      }
      const jobs = await tx.jobRecord.findMany({
        // A job with an end time has finished: the sources leave `end` empty while a job runs.
        where: jobWhere({ ...('username' in who ? { user: who.username } : { account: who.account }), endedBefore: cutoff, billed: false }),
        orderBy: [{ end: 'asc' }, { key: 'asc' }],
      });
      if (jobs.length === 0) throw new ReceiptError('NOTHING_TO_BILL', `no unbilled finished jobs of ${label} ended before ${cutoff.toISOString()}`);

      const accountTier = await accountTiers(tx, [...new Set(jobs.map((j) => j.account).filter((a): a is string => a !== null))]);
      const userTier = 'account' in who ? await userTiers(tx, [...new Set(jobs.map((j) => j.user))], defaultTier) : null;
      const tierOfJob = (j: (typeof jobs)[number]) => (j.account ? accountTier.get(j.account) : undefined) ?? userTier?.get(j.user) ?? ownTier;
      const rates = new Map((await tx.rate.findMany()).map((r) => [r.tier, r]));
      const overrides = await activeOverrides(tx);
      const items = jobs.map((j) => {
        const tier = tierOfJob(j);
        const base = rates.get(tier);
        if (!base) throw new ReceiptError('NOT_FOUND', `no rate is set for tier "${tier}"`);
        const rate = pickRate(overrides, base, { tier, partition: j.partition, gpuTypes: gpuTypesOf(j.allocTres) });
        const c = costOfUnits(j, j.elapsedSeconds, rate);
        return {
          billingKey: j.key,
          cluster: j.cluster,
          jobId: j.jobId,
          jobName: j.name,
          account: j.account,
          partition: j.partition,
          state: j.state,
          end: j.end,
          elapsedSeconds: j.elapsedSeconds,
          cpuHours: c.cpuHours,
          gpuHours: c.gpuHours,
          memGBHours: c.memGBHours,
          cpuPerHour: rate.cpuPerHour,
          gpuPerHour: rate.gpuPerHour,
          memGBPerHour: rate.memGBPerHour,
          costSatang: c.costSatang,
        };
      });
      // An invoice's total is the sum of its lines, each already rounded to the satang.
      const totalSatang = items.reduce((sum, i) => sum + i.costSatang, 0n);
      const invoiceNumber = opts.invoiceNumber ? await opts.invoiceNumber(tx, now) : null;
      const receipt = await tx.receipt.create({
        data: {
          userId,
          account: 'account' in who ? who.account : null,
          tier: ownTier,
          cutoff,
          createdAt: now,
          createdBy: meta.actor ?? label,
          totalSatang,
          invoiceNumber,
        },
      });
      await tx.receiptItem.createMany({ data: items.map((i) => ({ ...i, receiptId: receipt.id })) });
      // The billed jobs move to the billed side of the rollups, at the cost the receipt charged.
      await rebuildRollups(tx, defaultTier, { slots: slotsOf(jobs.map((j) => j.end)) });
      await recordAudit(
        tx,
        {
          action: 'receipt.create',
          target: String(receipt.id),
          extra: {
            items: items.length,
            totalSatang: totalSatang.toString(),
            cutoff: cutoff.toISOString(),
            ...('account' in who ? { account: who.account } : {}),
            ...(invoiceNumber ? { invoiceNumber } : {}),
          },
        },
        meta,
      );
      return receipt;
    });
  } catch (error) {
    if (dialect.isUniqueViolation(error)) {
      throw new ReceiptError('ALREADY_BILLED', 'some of these jobs were billed by another receipt at the same moment; nothing was written, try again');
    }
    throw error;
  }
}

/** Each user's tier (someone without a row at the default). */
async function userTiers(tx: Tx, names: readonly string[], defaultTier: string) {
  const rows = await tx.user.findMany({ where: { username: { in: [...names] } }, select: { username: true, tier: true } });
  const tiers = new Map(rows.map((r) => [r.username, r.tier]));
  return new Map(names.map((n) => [n, tiers.get(n) ?? defaultTier]));
}

/** The most receipts one markReceiptsPaid marks: one transaction, one audit entry each. */
export const MAX_RECEIPTS_PAID = 500;

/** Pays one pending receipt inside `tx` and records it; refuses (so the whole transaction is rolled back) when it is unknown or paid. */
async function payInTx(tx: Tx, id: number, meta: RequestMeta, paidAt: Date) {
  const receipt = await tx.receipt.findUnique({ where: { id } });
  // The client names the receipt that refused a payment of several by `receiptId`.
  if (!receipt) throw new ReceiptError('NOT_FOUND', `no receipt ${id}`, { receiptId: id });
  if (receipt.status === 'paid') {
    throw new ReceiptError('ALREADY_PAID', `receipt ${id} was already paid on ${receipt.paidAt?.toISOString()} by ${receipt.paidBy}`, { receiptId: id });
  }
  // The status condition makes a concurrent second payment update no row instead of paying twice.
  const { count } = await tx.receipt.updateMany({
    where: { id, status: 'pending' },
    data: { status: 'paid', paidAt, paidBy: meta.actor },
  });
  if (count !== 1) throw new ReceiptError('ALREADY_PAID', `receipt ${id} was already paid`, { receiptId: id });
  await recordAudit(tx, { action: 'receipt.paid', target: String(id), extra: { totalSatang: receipt.totalSatang.toString() } }, meta);
}

/** Marks a pending receipt paid; paying twice is an error that changes nothing. */
export async function markReceiptPaid(db: Db, id: number, meta: RequestMeta) {
  return db.$transaction(async (tx) => {
    await payInTx(tx, id, meta, new Date());
    return tx.receipt.findUniqueOrThrow({ where: { id } });
  });
}

/**
 * Marks several pending receipts paid in one transaction, with one audit entry each, in the order given. All or
 * nothing: one unknown or already paid receipt refuses the whole request, naming it, and nothing is marked.
 */
export async function markReceiptsPaid(db: Db, ids: readonly number[], meta: RequestMeta) {
  if (ids.length === 0) throw new ReceiptError('BAD_INPUT', 'name at least one receipt');
  if (ids.length > MAX_RECEIPTS_PAID) throw new ReceiptError('BAD_INPUT', `at most ${MAX_RECEIPTS_PAID} receipts at once, got ${ids.length}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new ReceiptError('BAD_INPUT', `receipt ${twice} is named twice`, { receiptId: twice });
  return db.$transaction(async (tx) => {
    const paidAt = new Date();
    for (const id of ids) await payInTx(tx, id, meta, paidAt);
    return ids;
  }, { timeout: 120_000 });
}
