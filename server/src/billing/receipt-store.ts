import type { Db } from '../db/client.ts';
import { badInput } from '../errors.ts';
import type { Prisma } from '../generated/prisma/client.ts';

/** Reads of receipts and their items, for the API and the exports. */
const receiptInclude = { user: { select: { username: true } }, _count: { select: { items: true } } } as const;

export const findReceipt = (db: Db, id: number) => db.receipt.findUnique({ where: { id }, include: receiptInclude });

export type ReceiptRow = NonNullable<Awaited<ReturnType<typeof findReceipt>>>;
export type ReceiptItemRow = Awaited<ReturnType<Db['receiptItem']['findFirstOrThrow']>>;

export const RECEIPT_SORTS = ['id', 'user', 'createdAt', 'cutoff', 'itemCount', 'total', 'status', 'paidAt'] as const;
export type ReceiptSort = (typeof RECEIPT_SORTS)[number];

/** A list's order: a column and a direction; ties (and the default) go by id, newest first. */
export interface ReceiptOrder {
  by: ReceiptSort;
  direction: 'ASC' | 'DESC';
}

export interface ReceiptListFilter {
  userId?: number;
  username?: string | null;
  /** Receipts of this Slurm account (made for the account as a whole) */
  account?: string | null;
  status?: 'pending' | 'paid' | null;
  /** Newest first: receipts with an id below this one. */
  beforeId?: number | null;
  first: number;
  order?: ReceiptOrder | null;
  /** With an order, the next page starts this many receipts in. */
  offset?: number | null;
}

/** The most receipts a list skips: past it, narrow the list instead. */
export const MAX_RECEIPT_OFFSET = 100_000;

function orderOf(o: ReceiptOrder | null | undefined): Prisma.ReceiptOrderByWithRelationInput[] {
  if (!o) return [{ id: 'desc' }];
  const dir = o.direction === 'ASC' ? 'asc' : 'desc';
  const first: Record<ReceiptSort, Prisma.ReceiptOrderByWithRelationInput> = {
    id: { id: dir },
    user: { user: { username: dir } },
    createdAt: { createdAt: dir },
    cutoff: { cutoff: dir },
    itemCount: { items: { _count: dir } },
    total: { totalSatang: dir },
    status: { status: dir },
    // Pending receipts (no payment) last either way.
    paidAt: { paidAt: { sort: dir, nulls: 'last' } },
  };
  return o.by === 'id' ? [first.id] : [first[o.by], { id: 'desc' }];
}

/** Refuses paging arguments that do not go together: `beforeId` pages the newest-first order only. */
export function checkReceiptPaging(f: Pick<ReceiptListFilter, 'order' | 'offset' | 'beforeId'>) {
  const offset = f.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_RECEIPT_OFFSET) {
    throw badInput(`offset must be between 0 and ${MAX_RECEIPT_OFFSET}, got ${offset}`, { max: MAX_RECEIPT_OFFSET });
  }
  const newestFirst = !f.order || (f.order.by === 'id' && f.order.direction === 'DESC');
  if (f.beforeId != null && !newestFirst) {
    throw badInput('beforeId pages the newest-first order only: with orderBy, page with offset');
  }
}

export const listReceipts = (db: Db, f: ReceiptListFilter) => {
  checkReceiptPaging(f);
  return db.receipt.findMany({
    where: {
      userId: f.userId,
      account: f.account ?? undefined,
      status: f.status ?? undefined,
      user: f.username ? { username: f.username } : undefined,
      id: f.beforeId ? { lt: f.beforeId } : undefined,
    },
    include: receiptInclude,
    orderBy: orderOf(f.order),
    skip: f.offset ?? undefined,
    take: f.first,
  });
};

/** How many receipts of the filter there are, and their total in satang. */
export async function receiptTotals(db: Db, f: Pick<ReceiptListFilter, 'userId' | 'username' | 'status' | 'account'>) {
  const { _count, _sum } = await db.receipt.aggregate({
    where: { userId: f.userId, account: f.account ?? undefined, status: f.status ?? undefined, user: f.username ? { username: f.username } : undefined },
    _count: { _all: true },
    _sum: { totalSatang: true },
  });
  return { count: _count._all, totalSatang: _sum.totalSatang ?? 0n };
}

/**
 * A receipt's items a page at a time (after an item id). Items are written in the order of their
 * jobs' end, so id order is billing order.
 */
export const receiptItems = (db: Db, receiptId: number, first: number, afterId?: number | null) =>
  db.receiptItem.findMany({
    where: { receiptId, id: afterId ? { gt: afterId } : undefined },
    orderBy: { id: 'asc' },
    take: first,
  });

/**
 * Whether a viewer may read a receipt: staff any, a user their own and those of the Slurm accounts they coordinate
 * (or are PI of).
 */
export async function mayReadReceipt(
  viewer: { id: number; role: string; username: string },
  receipt: { userId: number | null; account: string | null },
  managedAccounts: () => Promise<readonly string[]>,
) {
  if (viewer.role !== 'user') return true;
  if (receipt.userId === viewer.id) return true;
  return receipt.account !== null && (await managedAccounts()).includes(receipt.account);
}

/** A receipt's items summed per account and partition, in that order: the lines of its printed document. */
export async function receiptGroups(db: Db, receiptId: number) {
  const rows = await db.receiptItem.groupBy({
    by: ['account', 'partition'],
    where: { receiptId },
    _count: { _all: true },
    _sum: { cpuHours: true, gpuHours: true, memGBHours: true, costSatang: true },
    orderBy: [{ account: 'asc' }, { partition: 'asc' }],
  });
  return rows.map((r) => ({
    account: r.account,
    partition: r.partition,
    jobs: r._count._all,
    cpuHours: r._sum.cpuHours ?? 0,
    gpuHours: r._sum.gpuHours ?? 0,
    memGBHours: r._sum.memGBHours ?? 0,
    costSatang: r._sum.costSatang ?? 0n,
  }));
}
