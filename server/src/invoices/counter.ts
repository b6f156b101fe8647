import type { Tx } from '../db/client.ts';
import { formatDocumentNumber, parseNumberPattern, sequenceScope } from './numbering.ts';

/**
 * The next invoice number of the pattern's scope (one counter per year for a pattern with a year in it), taken inside
 * the receipt's transaction: a receipt that rolls back uses no number, and two receipts never share one (the counter
 * row is written by both, so one waits for or retries after the other; Receipt.invoiceNumber is UNIQUE besides).
 */
export async function nextInvoiceNumber(tx: Tx, pattern: string, date: Date, timeZone: string): Promise<string> {
  const parsed = parseNumberPattern(pattern);
  const scope = sequenceScope(parsed, date, timeZone);
  const row = await tx.invoiceCounter.upsert({ where: { scope }, create: { scope, next: 2 }, update: { next: { increment: 1 } } });
  return formatDocumentNumber(parsed, { date, seq: row.next - 1, timeZone });
}
