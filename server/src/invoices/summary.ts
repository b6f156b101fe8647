import type { Config } from '../config.ts';
import { labels, vatOn } from './document.ts';
import { amountInWordsEn, bahtText } from './thai-baht-text.ts';
import { type DocumentLocale, formatDocumentDate } from './thai-date.ts';

export interface InvoiceSummary {
  title: string;
  number: string;
  issuedOn: string;
  center: Config['invoice']['center'];
  vatPercent: string | null;
  subtotalSatang: bigint;
  vatSatang: bigint;
  totalSatang: bigint;
  totalInWords: string;
}

/**
 * What the printed receipt page says as an invoice: the same title, number, date, VAT and amount in words as its PDF
 * (receipt-document.ts), for the browser's print.
 */
export function invoiceSummary(
  receipt: { id: number; invoiceNumber: string | null; status: string; createdAt: Date; paidAt: Date | null; totalSatang: bigint },
  config: Config,
  locale: DocumentLocale,
): InvoiceSummary {
  const paid = receipt.status === 'paid';
  const vatPercent = config.invoice.vatPercent;
  const vatSatang = vatPercent ? vatOn(receipt.totalSatang, vatPercent) : 0n;
  const totalSatang = receipt.totalSatang + vatSatang;
  return {
    title: labels(locale).title[paid ? 'receipt' : 'invoice'],
    number: receipt.invoiceNumber ?? `R-${receipt.id}`,
    issuedOn: formatDocumentDate(paid && receipt.paidAt ? receipt.paidAt : receipt.createdAt, locale, config.timeZone),
    center: config.invoice.center,
    vatPercent,
    subtotalSatang: receipt.totalSatang,
    vatSatang,
    totalSatang,
    totalInWords: locale === 'th' ? bahtText(totalSatang) : amountInWordsEn(totalSatang),
  };
}
