import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { buildInvoice, formatBaht, type InvoiceInput, isThaiTaxId, labels, parseVatRate, vatOn } from './document.ts';

const input = (over: Partial<InvoiceInput> = {}): InvoiceInput => ({
  kind: 'invoice',
  number: 'INV-2026-000042',
  issuedAt: new Date('2026-12-03T03:00:00Z'),
  dueAt: new Date('2027-01-02T03:00:00Z'),
  locale: 'th',
  timeZone: 'Asia/Bangkok',
  center: { name: 'ศูนย์คอมพิวเตอร์สมรรถนะสูง', address: '114 ถนนพหลโยธิน\nกรุงเทพฯ 10400', taxId: '0994000160011' },
  customer: { name: 'ภาควิชาฟิสิกส์', account: 'physics' },
  lines: [
    { description: 'CPU core-hours', quantity: '1,000', unit: 'core-h', unitPrice: '1.25', amountSatang: 125_000n },
    { description: 'GPU hours', quantity: '3.5', unitPrice: '30', amountSatang: 10_500n },
  ],
  vatRatePercent: '7',
  ...over,
});

function problem(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('BAD_INPUT');
    return (e as DomainError).message;
  }
  throw new Error('expected a BAD_INPUT error');
}

describe('buildInvoice', () => {
  it('sums the lines and adds VAT on top', () => {
    const doc = buildInvoice(input());
    expect(doc.subtotalSatang).toBe(135_500n);
    expect(doc.vat).toEqual({ ratePercent: '7', satang: 9_485n });
    expect(doc.totalSatang).toBe(144_985n);
    expect(doc.center.address).toBe('114 ถนนพหลโยธิน\nกรุงเทพฯ 10400');
    expect(doc).not.toHaveProperty('notes');
    expect(doc.customer).toEqual({ name: 'ภาควิชาฟิสิกส์', account: 'physics' });
  });

  it('writes the VAT rate canonically, whatever its decimals', () => {
    expect(buildInvoice(input({ vatRatePercent: '7.00' })).vat?.ratePercent).toBe('7');
    expect(buildInvoice(input({ vatRatePercent: '07.50' })).vat?.ratePercent).toBe('7.5');
    expect(buildInvoice(input({ vatRatePercent: '0' })).vat).toEqual({ ratePercent: '0', satang: 0n });
  });

  it('leaves VAT out when none is charged', () => {
    const doc = buildInvoice(input({ vatRatePercent: null }));
    expect(doc.vat).toBeNull();
    expect(doc.totalSatang).toBe(doc.subtotalSatang);
    expect(buildInvoice(input({ vatRatePercent: undefined })).vat).toBeNull();
  });

  it('trims text and drops blank optional fields', () => {
    const doc = buildInvoice(input({ number: '  INV-1 ', customer: { name: ' Lab ', taxId: '  ', username: 'alice' }, notes: ' ' }));
    expect(doc.number).toBe('INV-1');
    expect(doc.customer).toEqual({ name: 'Lab', username: 'alice' });
    expect(doc).not.toHaveProperty('notes');
  });

  it('builds a receipt, which has no due date', () => {
    expect(buildInvoice(input({ kind: 'receipt', dueAt: undefined })).kind).toBe('receipt');
    expect(problem(() => buildInvoice(input({ kind: 'receipt' })))).toMatch(/a receipt has no due date/);
  });

  it('keeps a 64-bit total and refuses a larger one', () => {
    const max = 2n ** 63n - 1n;
    const doc = buildInvoice(input({ lines: [{ description: 'x', quantity: '1', amountSatang: max }], vatRatePercent: null }));
    expect(doc.totalSatang).toBe(max);
    expect(problem(() => buildInvoice(input({ lines: [{ description: 'x', quantity: '1', amountSatang: max }] })))).toMatch(
      /the total is over the largest amount/,
    );
  });

  it.each<[string, Partial<InvoiceInput>, RegExp]>([
    ['an unknown kind', { kind: 'quote' as never }, /kind must be "invoice" or "receipt", got "quote"/],
    ['an unknown locale', { locale: 'de' as never }, /locale must be "th" or "en", got "de"/],
    ['a blank number', { number: ' ' }, /number must not be blank/],
    ['a number with a line break', { number: 'INV\n1' }, /number contains a control character/],
    ['an invalid issue date', { issuedAt: new Date('nope') }, /issuedAt must be a valid date/],
    ['a due date before the issue date', { dueAt: new Date('2026-12-01T00:00:00Z') }, /dueAt must not be before issuedAt/],
    ['an unknown time zone', { timeZone: 'Asia/Atlantis' }, /unknown time zone "Asia\/Atlantis"/],
    ['a center without a name', { center: { name: '', address: 'a', taxId: '0994000160011' } }, /center.name must not be blank/],
    ['a center without an address', { center: { name: 'n', address: undefined as never, taxId: '0994000160011' } }, /center.address is required/],
    ['a tax ID with dashes', { center: { name: 'n', address: 'a', taxId: '0-9940-00160-01-1' } }, /13 digits of a Thai tax ID, without spaces or dashes/],
    ['a mistyped tax ID', { center: { name: 'n', address: 'a', taxId: '0994000160012' } }, /fails the check digit/],
    ['a customer without a name', { customer: { name: '  ' } }, /customer.name must not be blank/],
    ['no lines', { lines: [] }, /at least one line/],
    ['a negative line', { lines: [{ description: 'refund', quantity: '1', amountSatang: -1n }] }, /lines\[0\].amountSatang must not be negative/],
    ['a line amount as a number', { lines: [{ description: 'x', quantity: '1', amountSatang: 100 as never }] }, /lines\[0\].amountSatang must be a bigint amount of satang, got number/],
    ['a line without a description', { lines: [{ description: '', quantity: '1', amountSatang: 1n }] }, /lines\[0\].description must not be blank/],
    ['a quantity that is not a decimal', { lines: [{ description: 'x', quantity: '1e3', amountSatang: 1n }] }, /lines\[0\].quantity must be a non-negative decimal/],
    ['a bad unit price', { lines: [{ description: 'x', quantity: '1', unitPrice: '-2', amountSatang: 1n }] }, /lines\[0\].unitPrice must be a non-negative decimal/],
    ['a VAT rate with a percent sign', { vatRatePercent: '7%' }, /VAT rate must be a percentage such as "7"/],
    ['a VAT rate over 100', { vatRatePercent: '101' }, /at most 100%/],
  ])('refuses %s', (_, over, message) => {
    expect(problem(() => buildInvoice(input(over)))).toMatch(message);
  });
});

describe('vatOn', () => {
  it.each([
    [10_000n, '7', 700n],
    [1n, '7', 0n], // 0.07 satang
    [7n, '7', 0n], // 0.49 satang
    [8n, '7', 1n], // 0.56 satang
    [50n, '1', 1n], // exactly half a satang goes up
    [150n, '1', 2n], // 1.5 → 2
    [149n, '1', 1n],
    [123_456_789n, '7', 8_641_975n], // 8,641,975.23
    [1_000n, '7.25', 73n], // 72.5 → 73
    [1_000n, '0.0001', 0n],
    [10_000_000n, '0.0005', 50n],
    [2n ** 63n - 1n, '100', 2n ** 63n - 1n],
  ])('%s satang at %s%% → %s', (subtotal, rate, vat) => {
    expect(vatOn(subtotal, rate)).toBe(vat);
  });

  it('agrees with exact decimal arithmetic on many amounts', () => {
    for (let s = 0n; s < 5_000n; s += 13n) {
      // s × 7 / 100 satang; half-up means adding 50 before the floor division by 100.
      expect(vatOn(s, '7.00')).toBe((s * 7n + 50n) / 100n);
    }
  });

  it('parses rates', () => {
    expect(parseVatRate('7')).toEqual({ num: 7n, den: 100n, text: '7' });
    expect(parseVatRate(' 7.50 ')).toEqual({ num: 750n, den: 10_000n, text: '7.5' });
    expect(problem(() => parseVatRate('7.12345'))).toMatch(/up to 4 decimal places/);
    expect(problem(() => parseVatRate(''))).toMatch(/VAT rate/);
  });
});

describe('isThaiTaxId', () => {
  it('checks the length and the check digit', () => {
    expect(isThaiTaxId('0994000160011')).toBe(true);
    expect(isThaiTaxId('0105550123451')).toBe(true);
    expect(isThaiTaxId('3101500123459')).toBe(true);
    expect(isThaiTaxId('0105550123452')).toBe(false);
    expect(isThaiTaxId('010555012345')).toBe(false);
    expect(isThaiTaxId('010555012345a')).toBe(false);
  });
});

describe('formatBaht', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [100n, '1.00'],
    [123_450n, '1,234.50'],
    [100_000_000n, '1,000,000.00'],
    [99_999_999n, '999,999.99'],
    [-123_450n, '-1,234.50'],
    [2n ** 63n - 1n, '92,233,720,368,547,758.07'],
  ])('%s → %s', (satang, text) => {
    expect(formatBaht(satang)).toBe(text);
  });
});

describe('labels', () => {
  it('has every text in both languages', () => {
    const th = labels('th');
    const en = labels('en');
    expect(Object.keys(th).sort()).toEqual(Object.keys(en).sort());
    for (const l of [th, en]) {
      for (const [key, value] of Object.entries(l)) {
        if (typeof value === 'string') expect(value, key).not.toBe('');
      }
    }
    expect(th.title).toEqual({ invoice: 'ใบแจ้งหนี้', receipt: 'ใบเสร็จรับเงิน' });
    expect(en.title).toEqual({ invoice: 'Invoice', receipt: 'Receipt' });
    expect([th.number, th.date, th.taxId, th.total]).toEqual(['เลขที่', 'วันที่', 'เลขประจำตัวผู้เสียภาษี', 'รวมทั้งสิ้น']);
    expect(th.vat('7')).toBe('ภาษีมูลค่าเพิ่ม 7%');
    expect(en.vat('7')).toBe('VAT 7%');
    expect([en.number, en.date, en.taxId]).toEqual(['No.', 'Date', 'Tax ID']);
  });
});
