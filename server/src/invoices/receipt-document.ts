import type { Config } from '../config.ts';
import { badInput } from '../errors.ts';
import { buildInvoice, type DocumentLine, type InvoiceDocument } from './document.ts';
import { type DocumentLocale, formatDocumentDate } from './thai-date.ts';

/** A receipt's billed jobs summed per account and partition: each group's amount is the sum of its jobs' costs. */
export interface ReceiptGroup {
  account: string | null;
  partition: string | null;
  jobs: number;
  cpuHours: number;
  gpuHours: number;
  memGBHours: number;
  costSatang: bigint;
}

export interface ReceiptForDocument {
  id: number;
  invoiceNumber: string | null;
  createdAt: Date;
  cutoff: Date;
  status: string;
  paidAt: Date | null;
  tier: string;
  username: string | null;
  account: { name: string; description: string | null; organization: string | null } | null;
}

const hours = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

const WORDS = {
  th: {
    line: (g: ReceiptGroup) =>
      `การใช้งานบัญชี ${g.account ?? '-'} พาร์ทิชัน ${g.partition ?? '-'}: CPU ${hours(g.cpuHours)} ชม., GPU ${hours(g.gpuHours)} ชม., หน่วยความจำ ${hours(g.memGBHours)} GB-ชม.`,
    jobs: 'งาน',
    notes: (r: ReceiptForDocument, cutoff: string) => `งานที่สิ้นสุดก่อนวันที่ ${cutoff} ตามอัตราค่าบริการกลุ่ม ${r.tier} (ใบเสร็จในระบบเลขที่ ${r.id})`,
  },
  en: {
    line: (g: ReceiptGroup) =>
      `Usage of account ${g.account ?? '-'}, partition ${g.partition ?? '-'}: ${hours(g.cpuHours)} CPU-hours, ${hours(g.gpuHours)} GPU-hours, ${hours(g.memGBHours)} GB-hours of memory`,
    jobs: 'jobs',
    notes: (r: ReceiptForDocument, cutoff: string) => `Jobs that ended before ${cutoff}, at the ${r.tier} tier's rates (receipt ${r.id})`,
  },
} as const;

/**
 * The printed document of a receipt: an invoice while it is pending, a receipt once paid. Its lines are the billed
 * jobs summed per account and partition, so they add up to the receipt's total exactly; VAT, where configured, is
 * added on top.
 */
export function receiptDocument(receipt: ReceiptForDocument, groups: readonly ReceiptGroup[], config: Config, locale: DocumentLocale): InvoiceDocument {
  const words = WORDS[locale];
  const { center, vatPercent } = config.invoice;
  if (!center.taxId) throw badInput('invoices need the center’s tax ID: set CENTER_TAX_ID (and CENTER_NAME, CENTER_ADDRESS)');
  const lines: DocumentLine[] = groups.map((g) => ({
    description: words.line(g),
    quantity: g.jobs.toLocaleString('en-US'),
    unit: words.jobs,
    amountSatang: g.costSatang,
  }));
  const customerName = receipt.account ? (receipt.account.description ?? receipt.account.name) : (receipt.username ?? '-');
  const paid = receipt.status === 'paid';
  return buildInvoice({
    kind: paid ? 'receipt' : 'invoice',
    number: receipt.invoiceNumber ?? `R-${receipt.id}`,
    issuedAt: paid && receipt.paidAt ? receipt.paidAt : receipt.createdAt,
    locale,
    timeZone: config.timeZone,
    center: { name: center.name, address: center.address, taxId: center.taxId, phone: center.phone ?? undefined, email: center.email ?? undefined },
    customer: {
      name: customerName,
      ...(receipt.account ? { account: receipt.account.name } : {}),
      ...(receipt.account?.organization ? { address: receipt.account.organization } : {}),
      ...(receipt.username ? { username: receipt.username } : {}),
    },
    lines,
    vatRatePercent: vatPercent,
    notes: words.notes(receipt, formatDocumentDate(receipt.cutoff, locale, config.timeZone)),
  });
}
