import { receiptGroups } from '../billing/receipt-store.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { renderInvoicePdf } from './pdf.ts';
import { receiptDocument } from './receipt-document.ts';
import type { DocumentLocale } from './thai-date.ts';

/** A receipt's printed document as a PDF: its number, and the bytes. */
export async function receiptPdf(db: Db, id: number, config: Config, locale: DocumentLocale) {
  const receipt = await db.receipt.findUniqueOrThrow({ where: { id }, include: { user: { select: { username: true } } } });
  const account = receipt.account ? await db.slurmAccount.findUnique({ where: { name: receipt.account } }) : null;
  const doc = receiptDocument(
    {
      ...receipt,
      username: receipt.user?.username ?? null,
      account: receipt.account ? { name: receipt.account, description: account?.description ?? null, organization: account?.organization ?? null } : null,
    },
    await receiptGroups(db, id),
    config,
    locale,
  );
  return { number: doc.number, pdf: await renderInvoicePdf(doc) };
}
