import type { Db } from '../db/client.ts';

/** Reads of receipts and their items, for the API and the exports. */
const receiptInclude = { user: { select: { username: true } }, _count: { select: { items: true } } } as const;

export const findReceipt = (db: Db, id: number) => db.receipt.findUnique({ where: { id }, include: receiptInclude });

export type ReceiptRow = NonNullable<Awaited<ReturnType<typeof findReceipt>>>;
export type ReceiptItemRow = Awaited<ReturnType<Db['receiptItem']['findFirstOrThrow']>>;

export interface ReceiptListFilter {
  userId?: number;
  username?: string | null;
  status?: 'pending' | 'paid' | null;
  /** Newest first: receipts with an id below this one. */
  beforeId?: number | null;
  first: number;
}

export const listReceipts = (db: Db, f: ReceiptListFilter) =>
  db.receipt.findMany({
    where: {
      userId: f.userId,
      status: f.status ?? undefined,
      user: f.username ? { username: f.username } : undefined,
      id: f.beforeId ? { lt: f.beforeId } : undefined,
    },
    include: receiptInclude,
    orderBy: { id: 'desc' },
    take: f.first,
  });

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
