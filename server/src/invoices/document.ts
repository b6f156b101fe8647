import { badInput } from '../errors.ts';
import { type DocumentLocale, formatDocumentDate } from './thai-date.ts';

export type DocumentKind = 'invoice' | 'receipt';

export interface DocumentCenter {
  name: string;
  /** May span several lines, separated by "\n". */
  address: string;
  /** The 13-digit Thai tax identification number. */
  taxId: string;
  phone?: string;
  email?: string;
}

export interface DocumentCustomer {
  name: string;
  address?: string;
  /** As the customer gives it: a Thai number, or a foreign one for a customer abroad. */
  taxId?: string;
  account?: string;
  username?: string;
}

export interface DocumentLine {
  description: string;
  /** Shown as given, e.g. "1,250.5"; the amount was priced by billing and is not recomputed from it. */
  quantity: string;
  unit?: string;
  unitPrice?: string;
  amountSatang: bigint;
}

export interface DocumentVat {
  /** Canonical decimal text: "7", "7.5". */
  ratePercent: string;
  satang: bigint;
}

export interface InvoiceDocument {
  kind: DocumentKind;
  number: string;
  issuedAt: Date;
  dueAt?: Date;
  locale: DocumentLocale;
  /** The center's IANA time zone: the printed dates are calendar days there. */
  timeZone: string;
  center: DocumentCenter;
  customer: DocumentCustomer;
  lines: DocumentLine[];
  subtotalSatang: bigint;
  /** null when the center does not charge VAT; a 0% rate is still printed as a VAT line. */
  vat: DocumentVat | null;
  totalSatang: bigint;
  notes?: string;
}

export interface InvoiceInput {
  kind: DocumentKind;
  number: string;
  issuedAt: Date;
  dueAt?: Date;
  locale: DocumentLocale;
  timeZone: string;
  center: DocumentCenter;
  customer: DocumentCustomer;
  lines: DocumentLine[];
  /** Decimal text such as "7" or "7.00"; null or absent when no VAT is charged. */
  vatRatePercent?: string | null;
  notes?: string;
}

/** The ledger keeps satang in a signed 64-bit column; a document it could not store is refused here. */
const MAX_SATANG = 2n ** 63n - 1n;
const MAX_LINES = 500;
const DECIMAL = /^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$/;
const RATE = /^(\d{1,3})(?:\.(\d{1,4}))?$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

interface TextRule {
  required?: boolean;
  multiline?: boolean;
  max?: number;
}

function text(field: string, value: unknown, { required = false, multiline = false, max = 200 }: TextRule = {}): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw badInput(`${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw badInput(`${field} must be text`);
  const s = value.trim();
  if (s === '') {
    if (required) throw badInput(`${field} must not be blank`);
    return undefined;
  }
  if (s.length > max) throw badInput(`${field} must be at most ${max} characters, got ${s.length}`);
  if ((multiline ? CONTROL_BUT_NEWLINE : CONTROL).test(s)) {
    throw badInput(`${field} contains a control character${multiline ? ' (only line breaks are allowed)' : ''}`);
  }
  return s;
}

const required = (field: string, value: unknown, rule: TextRule = {}) => text(field, value, { ...rule, required: true })!;

function date(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} must be a valid date`);
  return value;
}

function satang(field: string, value: unknown): bigint {
  if (typeof value !== 'bigint') throw badInput(`${field} must be a bigint amount of satang, got ${typeof value}`);
  if (value < 0n) throw badInput(`${field} must not be negative, got ${value} satang`);
  if (value > MAX_SATANG) throw badInput(`${field} is over the largest amount the ledger stores (2^63-1 satang)`);
  return value;
}

/**
 * Thai tax identification numbers (of companies, agencies and people alike) end in a check digit: 11 minus the
 * weighted sum of the first twelve digits (weights 13 down to 2), mod 11, mod 10. A mistyped digit is caught here
 * rather than printed on every document.
 */
export function isThaiTaxId(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(value[i]) * (13 - i);
  return (11 - (sum % 11)) % 10 === Number(value[12]);
}

/** "7", "7.00" or "7.5" → the rate as a fraction of 100 percent, and its canonical text. */
export function parseVatRate(textValue: string): { num: bigint; den: bigint; text: string } {
  const m = typeof textValue === 'string' ? RATE.exec(textValue.trim()) : null;
  if (!m) throw badInput(`VAT rate must be a percentage such as "7" or "7.00" (up to 4 decimal places), got ${JSON.stringify(textValue)}`);
  const [, int, frac = ''] = m;
  const num = BigInt(int + frac);
  const den = 100n * 10n ** BigInt(frac.length);
  if (num > den) throw badInput(`VAT rate must be at most 100%, got "${textValue}"`);
  const shortFrac = frac.replace(/0+$/, '');
  return { num, den, text: `${BigInt(int)}${shortFrac ? `.${shortFrac}` : ''}` };
}

/**
 * VAT on a subtotal, exclusive (added on top of it), exact to the satang: subtotal × rate, rounded once, half-up
 * (a half satang goes up, so 0.5 satang of VAT is charged as 1).
 */
export function vatOn(subtotalSatang: bigint, ratePercent: string): bigint {
  const { num, den } = parseVatRate(ratePercent);
  return (2n * subtotalSatang * num + den) / (2n * den);
}

/** Checks every field and sums the document: lines → subtotal, + VAT → total. Mistakes are BAD_INPUT errors. */
export function buildInvoice(input: InvoiceInput): InvoiceDocument {
  if (input.kind !== 'invoice' && input.kind !== 'receipt') throw badInput(`kind must be "invoice" or "receipt", got ${JSON.stringify(input.kind)}`);
  if (input.locale !== 'th' && input.locale !== 'en') throw badInput(`locale must be "th" or "en", got ${JSON.stringify(input.locale)}`);
  const number = required('number', input.number, { max: 64 });
  const issuedAt = date('issuedAt', input.issuedAt);
  const timeZone = required('timeZone', input.timeZone, { max: 64 });
  formatDocumentDate(issuedAt, input.locale, timeZone); // an unknown zone fails here, not halfway through a render
  let dueAt: Date | undefined;
  if (input.dueAt !== undefined) {
    if (input.kind === 'receipt') throw badInput('a receipt has no due date: it records a payment already made');
    dueAt = date('dueAt', input.dueAt);
    if (dueAt < issuedAt) throw badInput('dueAt must not be before issuedAt');
  }

  const c = input.center ?? ({} as DocumentCenter);
  const taxId = required('center.taxId', c.taxId, { max: 32 });
  if (!isThaiTaxId(taxId)) {
    throw badInput(
      /^\d{13}$/.test(taxId)
        ? `center.taxId "${taxId}" fails the check digit of a Thai tax ID; a digit is likely mistyped`
        : `center.taxId must be the 13 digits of a Thai tax ID, without spaces or dashes, got "${taxId}"`,
    );
  }
  const center: DocumentCenter = {
    name: required('center.name', c.name),
    address: required('center.address', c.address, { multiline: true, max: 500 }),
    taxId,
    ...optional('phone', text('center.phone', c.phone, { max: 64 })),
    ...optional('email', text('center.email', c.email, { max: 200 })),
  };

  const k = input.customer ?? ({} as DocumentCustomer);
  const customer: DocumentCustomer = {
    name: required('customer.name', k.name),
    ...optional('address', text('customer.address', k.address, { multiline: true, max: 500 })),
    ...optional('taxId', text('customer.taxId', k.taxId, { max: 32 })),
    ...optional('account', text('customer.account', k.account, { max: 128 })),
    ...optional('username', text('customer.username', k.username, { max: 128 })),
  };

  if (!Array.isArray(input.lines) || input.lines.length === 0) throw badInput('a document needs at least one line');
  if (input.lines.length > MAX_LINES) throw badInput(`a document has at most ${MAX_LINES} lines, got ${input.lines.length}`);
  const lines = input.lines.map((l, i): DocumentLine => {
    const at = `lines[${i}]`;
    const quantity = required(`${at}.quantity`, l.quantity, { max: 32 });
    if (!DECIMAL.test(quantity)) throw badInput(`${at}.quantity must be a non-negative decimal such as "12.5" or "1,250", got "${quantity}"`);
    const unitPrice = text(`${at}.unitPrice`, l.unitPrice, { max: 32 });
    if (unitPrice !== undefined && !DECIMAL.test(unitPrice)) {
      throw badInput(`${at}.unitPrice must be a non-negative decimal such as "0.0125", got "${unitPrice}"`);
    }
    return {
      description: required(`${at}.description`, l.description, { multiline: true, max: 1000 }),
      quantity,
      ...optional('unit', text(`${at}.unit`, l.unit, { max: 32 })),
      ...optional('unitPrice', unitPrice),
      amountSatang: satang(`${at}.amountSatang`, l.amountSatang),
    };
  });

  const subtotalSatang = satang('the subtotal', lines.reduce((sum, l) => sum + l.amountSatang, 0n));
  let vat: DocumentVat | null = null;
  if (input.vatRatePercent !== undefined && input.vatRatePercent !== null) {
    const rate = parseVatRate(input.vatRatePercent);
    vat = { ratePercent: rate.text, satang: vatOn(subtotalSatang, rate.text) };
  }
  const totalSatang = satang('the total', subtotalSatang + (vat?.satang ?? 0n));

  return {
    kind: input.kind,
    number,
    issuedAt,
    ...optional('dueAt', dueAt),
    locale: input.locale,
    timeZone,
    center,
    customer,
    lines,
    subtotalSatang,
    vat,
    totalSatang,
    ...optional('notes', text('notes', input.notes, { multiline: true, max: 2000 })),
  };
}

/** Leaves an absent optional field out, so documents compare equal however they were built. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Satang → "1,234.50" (Latin digits, comma thousands), as amounts are printed on Thai and English documents. */
export function formatBaht(satang: bigint): string {
  const abs = satang < 0n ? -satang : satang;
  const baht = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${satang < 0n ? '-' : ''}${baht}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export interface DocumentLabels {
  title: Record<DocumentKind, string>;
  number: string;
  date: string;
  dueDate: string;
  taxId: string;
  phone: string;
  email: string;
  provider: string;
  customer: string;
  account: string;
  username: string;
  itemNo: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  vat: (ratePercent: string) => string;
  total: string;
  amountInWords: string;
  notes: string;
  currency: string;
  page: (page: number, pages: number) => string;
}

const TH: DocumentLabels = {
  title: { invoice: 'ใบแจ้งหนี้', receipt: 'ใบเสร็จรับเงิน' },
  number: 'เลขที่',
  date: 'วันที่',
  dueDate: 'ครบกำหนดชำระ',
  taxId: 'เลขประจำตัวผู้เสียภาษี',
  phone: 'โทรศัพท์',
  email: 'อีเมล',
  provider: 'ผู้ให้บริการ',
  customer: 'ลูกค้า',
  account: 'บัญชี',
  username: 'ชื่อผู้ใช้',
  itemNo: 'ลำดับ',
  description: 'รายการ',
  quantity: 'จำนวน',
  unit: 'หน่วย',
  unitPrice: 'ราคาต่อหน่วย',
  amount: 'จำนวนเงิน',
  subtotal: 'รวม',
  vat: (rate) => `ภาษีมูลค่าเพิ่ม ${rate}%`,
  total: 'รวมทั้งสิ้น',
  amountInWords: 'จำนวนเงินเป็นตัวอักษร',
  notes: 'หมายเหตุ',
  currency: 'บาท',
  page: (page, pages) => `หน้า ${page}/${pages}`,
};

const EN: DocumentLabels = {
  title: { invoice: 'Invoice', receipt: 'Receipt' },
  number: 'No.',
  date: 'Date',
  dueDate: 'Due date',
  taxId: 'Tax ID',
  phone: 'Tel.',
  email: 'Email',
  provider: 'Service provider',
  customer: 'Customer',
  account: 'Account',
  username: 'Username',
  itemNo: 'No.',
  description: 'Description',
  quantity: 'Quantity',
  unit: 'Unit',
  unitPrice: 'Unit price',
  amount: 'Amount',
  subtotal: 'Subtotal',
  vat: (rate) => `VAT ${rate}%`,
  total: 'Total',
  amountInWords: 'Amount in words',
  notes: 'Notes',
  currency: 'THB',
  page: (page, pages) => `Page ${page} of ${pages}`,
};

/** Every fixed text of a document, in its language. */
export function labels(locale: DocumentLocale): DocumentLabels {
  return locale === 'th' ? TH : EN;
}
