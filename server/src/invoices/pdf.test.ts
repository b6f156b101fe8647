import { norm, pdfText } from '../../../tests/unit-support/pdf-text.ts';
import { describe, expect, it } from 'vitest';
import { buildInvoice, formatBaht, type InvoiceInput } from './document.ts';
import { renderInvoicePdf } from './pdf.ts';
import { amountInWordsEn, bahtText } from './thai-baht-text.ts';

const thai: InvoiceInput = {
  kind: 'invoice',
  number: 'INV-2569-000042',
  issuedAt: new Date('2026-12-03T03:00:00Z'),
  dueAt: new Date('2027-01-02T03:00:00Z'),
  locale: 'th',
  timeZone: 'Asia/Bangkok',
  center: {
    name: 'ศูนย์คอมพิวเตอร์สมรรถนะสูง',
    address: '999 ถนนพญาไท แขวงวังใหม่\nกรุงเทพมหานคร 10330',
    taxId: '0994000160011',
    phone: '02 218 0000',
  },
  customer: { name: 'ภาควิชาฟิสิกส์ คณะวิทยาศาสตร์', taxId: '0105550123451', account: 'physics-qmc', username: 'somchai.j' },
  lines: [
    { description: 'ชั่วโมงแกนประมวลผล (CPU) เดือนพฤศจิกายน', quantity: '12,500', unit: 'แกน-ชม.', unitPrice: '0.25', amountSatang: 312_500n },
    {
      description: 'ชั่วโมงการ์ดจอ (GPU) สำหรับงานจำลองโมเลกุลและการเรียนรู้เชิงลึก ซึ่งมีคำอธิบายยาวจนต้องตัดบรรทัด',
      quantity: '340.5',
      unit: 'ชม.',
      unitPrice: '30',
      amountSatang: 1_021_500n,
    },
  ],
  vatRatePercent: '7',
  notes: 'กรุณาชำระเงินภายในวันที่ครบกำหนด',
};

const english: InvoiceInput = {
  ...thai,
  kind: 'receipt',
  number: 'RC-2026-000007',
  dueAt: undefined,
  locale: 'en',
  center: { ...thai.center, name: 'High Performance Computing Center' },
  customer: { name: 'Department of Physics', taxId: 'GB123456789', account: 'physics-qmc' },
  lines: [{ description: 'CPU core-hours, November 2026', quantity: '12,500', unit: 'core-h', unitPrice: '0.25', amountSatang: 312_500n }],
  notes: 'Paid by bank transfer.',
};


describe('renderInvoicePdf', () => {
  it('prints a Thai invoice: parties, tax IDs, amounts, VAT, the total in Thai words and the Buddhist-era date', async () => {
    const doc = buildInvoice(thai);
    const { text } = await pdfText(await renderInvoicePdf(doc));
    const expected = [
      'ใบแจ้งหนี้',
      'INV-2569-000042',
      'ศูนย์คอมพิวเตอร์สมรรถนะสูง',
      'ภาควิชาฟิสิกส์ คณะวิทยาศาสตร์',
      'เลขประจำตัวผู้เสียภาษี 0994000160011',
      'เลขประจำตัวผู้เสียภาษี 0105550123451',
      'physics-qmc',
      'somchai.j',
      'วันที่ 3 ธันวาคม 2569',
      'ครบกำหนดชำระ 2 มกราคม 2570',
      'ชั่วโมงการ์ดจอ (GPU) สำหรับงานจำลองโมเลกุลและการเรียนรู้เชิงลึก ซึ่งมีคำอธิบายยาวจนต้องตัดบรรทัด',
      '3,125.00',
      '10,215.00',
      `รวม ${formatBaht(doc.subtotalSatang)} บาท`,
      `ภาษีมูลค่าเพิ่ม 7% ${formatBaht(doc.vat!.satang)} บาท`,
      `รวมทั้งสิ้น ${formatBaht(doc.totalSatang)} บาท`,
      `(${bahtText(doc.totalSatang)})`,
      'หมายเหตุ กรุณาชำระเงินภายในวันที่ครบกำหนด',
    ];
    expect(formatBaht(doc.totalSatang)).toBe('14,273.80');
    expect(bahtText(doc.totalSatang)).toBe('หนึ่งหมื่นสี่พันสองร้อยเจ็ดสิบสามบาทแปดสิบสตางค์');
    for (const s of expected) expect(text, s).toContain(norm(s));
    // Each a real check: none of these was printed.
    for (const s of ['Invoice', '3 December 2026', amountInWordsEn(doc.totalSatang), '14,273.81', 'ใบเสร็จรับเงิน']) {
      expect(text, s).not.toContain(norm(s));
    }
  });

  it('reads back Thai tone marks as the characters written, not the glyph variants drawn', async () => {
    const { raw } = await pdfText(await renderInvoicePdf(buildInvoice(thai)));
    // The lowered tone mark of ผู้ and ให้ once read back as U+0E39 (ผููใหู).
    expect(raw.normalize('NFKC')).toContain('ผู้ให้บริการ');
    expect(raw).not.toContain('ผูู');
    expect(raw.normalize('NFKC')).toContain('ลูกค้า');
  });

  it('prints an English receipt with the total in English words and the common-era date', async () => {
    const doc = buildInvoice(english);
    const { text } = await pdfText(await renderInvoicePdf(doc));
    const expected = [
      'Receipt',
      'RC-2026-000007',
      'High Performance Computing Center',
      'Department of Physics',
      'Tax ID 0994000160011',
      'Tax ID GB123456789',
      'Date 3 December 2026',
      'CPU core-hours, November 2026',
      `Subtotal 3,125.00 THB`,
      `VAT 7% 218.75 THB`,
      `Total 3,343.75 THB`,
      `(${amountInWordsEn(doc.totalSatang)})`,
      'Notes Paid by bank transfer.',
    ];
    expect(amountInWordsEn(doc.totalSatang)).toBe('Three thousand three hundred forty-three baht and seventy-five satang');
    for (const s of expected) expect(text, s).toContain(norm(s));
    for (const s of ['Due date', '2569', bahtText(doc.totalSatang), 'Invoice']) expect(text, s).not.toContain(norm(s));
  });

  it('leaves the VAT line out when none is charged', async () => {
    const { text } = await pdfText(await renderInvoicePdf(buildInvoice({ ...english, vatRatePercent: null })));
    expect(text).not.toContain(norm('VAT'));
    expect(text).toContain(norm('Total 3,125.00 THB'));
    expect(text).toContain(norm('(Three thousand one hundred twenty-five baht only)'));
  });

  it('is A4, dated by the issue date and produced by the application', async () => {
    const doc = buildInvoice(thai);
    const { info, view } = await pdfText(await renderInvoicePdf(doc));
    expect(view).toEqual([0, 0, 595.28, 841.89]);
    expect(info).toMatchObject({
      Producer: 'hpc-accounting',
      Creator: 'hpc-accounting',
      CreationDate: 'D:20261203030000Z',
      ModDate: 'D:20261203030000Z',
      Title: 'ใบแจ้งหนี้ INV-2569-000042',
    });
  });

  it('gives byte-identical output for the same document, and different bytes for another', async () => {
    const doc = buildInvoice(thai);
    const [a, b] = await Promise.all([renderInvoicePdf(doc), renderInvoicePdf(buildInvoice(thai))]);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
    const later = await renderInvoicePdf(buildInvoice({ ...thai, issuedAt: new Date('2026-12-04T03:00:00Z') }));
    expect(later.equals(a)).toBe(false);
  });

  it('runs a long table over several pages, numbering them and printing every line once', async () => {
    const lines = Array.from({ length: 45 }, (_, i) => ({
      description: `รายการที่ ${i + 1} ชั่วโมงแกนประมวลผล พาร์ทิชัน compute ของโครงการวิจัย`,
      quantity: String(i + 1),
      unitPrice: '1',
      amountSatang: BigInt((i + 1) * 100 + 1),
    }));
    const doc = buildInvoice({ ...thai, lines });
    const { pages, items } = await pdfText(await renderInvoicePdf(doc));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(norm(page)).toContain(norm(`หน้า ${i + 1}/${pages.length}`));
      expect(norm(page)).toContain(norm('รายการ จำนวน หน่วย ราคาต่อหน่วย จำนวนเงิน'));
    });
    // Each amount is its own cell; a row repeated after a page break would show up twice.
    for (const line of lines) {
      const amount = formatBaht(line.amountSatang);
      expect(items.filter((item) => item === amount), amount).toHaveLength(1);
    }
    expect(norm(pages.at(-1)!)).toContain(norm(`รวมทั้งสิ้น ${formatBaht(doc.totalSatang)} บาท`));
  });

  it('breaks a word too long for its cell between letters, keeping every mark, and splits a row taller than a page', async () => {
    const longWord = 'ประมวลผลสมรรถนะสูง'.repeat(6);
    const tall = Array.from({ length: 60 }, (_, i) => `บรรทัดที่ ${i + 1}`).join('\n');
    const doc = buildInvoice({
      ...thai,
      lines: [
        { description: longWord, quantity: '1', amountSatang: 100n },
        { description: tall, quantity: '2', amountSatang: 200n },
      ],
    });
    const { pages, items, text } = await pdfText(await renderInvoicePdf(doc));
    expect(text).toContain(norm(longWord));
    expect(pages.length).toBeGreaterThan(1);
    for (let i = 1; i <= 60; i++) expect(items.filter((item) => item === `บรรทัดที่ ${i}`), `บรรทัดที่ ${i}`).toHaveLength(1);
    expect(norm(pages[1])).toContain(norm('รายการ จำนวน หน่วย'));
  });
});
