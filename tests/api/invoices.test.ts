import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { amountInWordsEn, bahtText } from '../../server/src/invoices/thai-baht-text.ts';
import { norm, pdfText } from '../unit-support/pdf-text.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/** Invoice numbers given to receipts, and the printed invoice or receipt a receipt becomes, in Thai and English. */
let t: TestApp;
let base: string;
let admin: string;
let alice: string;
let bob: string;

function job(id: number, user: string, account: string, partition: string, end: string, gpus = 0): NormalizedJob {
  const stop = new Date(end);
  return {
    cluster: 'test', jobId: String(id), user, account, partition, name: `job ${id}`, state: 'COMPLETED',
    submit: new Date(stop.getTime() - 3_600_000), start: new Date(stop.getTime() - 3_600_000), end: stop,
    elapsedSeconds: 3600, totalCpuSeconds: 3600, reqTres: {}, allocTres: { cpu: 1, mem: 1024, ...(gpus ? { 'gres/gpu': gpus } : {}) },
  };
}

const get = (path: string, cookie: string) => fetch(base + path, { headers: { cookie } });

beforeAll(async () => {
  t = await startTestApp({
    TIME_ZONE: 'Asia/Bangkok',
    CENTER_NAME: 'ศูนย์คอมพิวเตอร์สมรรถนะสูง มหาวิทยาลัยมหิดล',
    CENTER_ADDRESS: '999 ถนนพุทธมณฑลสาย 4\nศาลายา นครปฐม 73170',
    CENTER_TAX_ID: '0994000158378',
    INVOICE_NUMBER: 'HPC{BE}-{SEQ:5}',
    VAT_PERCENT: '7',
  });
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice');
  bob = await t.cookieFor('bob');
  await applyAssociations(
    t.app.db,
    {
      accounts: [{ name: 'physics', description: 'ห้องปฏิบัติการฟิสิกส์', organization: 'คณะวิทยาศาสตร์', parent: null, coordinators: ['alice'] }],
      associations: [{ cluster: 'test', account: 'physics', user: 'alice', parentAccount: null, partition: null }],
    },
    systemMeta('test'),
  );
  await upsertJobs(
    t.app.db,
    [job(1, 'alice', 'physics', 'cpu', '2026-10-02T01:00:00Z'), job(2, 'alice', 'physics', 'gpu', '2026-10-03T01:00:00Z', 1), job(3, 'bob', 'chemistry', 'cpu', '2026-10-03T01:00:00Z')],
    'csv',
  );
  base = `http://127.0.0.1:${(await t.app.start()).port}`;
});
afterAll(() => t.close());

describe('invoice numbers', () => {
  it('numbers receipts in order within the Buddhist-era year of the center’s zone, whoever makes them', async () => {
    const account = await t.gql('mutation { createAccountReceipt(input: { account: "physics", cutoff: "2026-11-01T00:00:00Z" }) { id invoiceNumber total } }', {}, alice);
    const bobs = await t.gql('mutation { createReceipt(input: { cutoff: "2026-11-01T00:00:00Z" }) { id invoiceNumber } }', {}, bob);
    // Made today: the year is today's in Bangkok.
    const be = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(new Date())) + 543;
    expect([account, bobs].map((r: any) => Object.values(r.data)[0])).toMatchObject([
      { invoiceNumber: `HPC${be}-00001` },
      { invoiceNumber: `HPC${be}-00002` },
    ]);
    // A receipt that fails uses no number: alice's jobs were all billed with the account.
    expect(codes(await t.gql('mutation { createReceipt(input: { cutoff: "2026-11-01T00:00:00Z" }) { id } }', {}, alice))).toEqual(['NOTHING_TO_BILL']);
    const counters = await t.app.db.invoiceCounter.findMany();
    expect(counters.map((c) => c.next)).toEqual([3]);
  });
});

describe('the printed document', () => {
  it('is an invoice in Thai with the center, the customer, lines per account and partition, VAT, baht in words and a Buddhist-era date', async () => {
    const receipt = (await t.app.db.receipt.findFirst({ where: { account: 'physics' } }))!;
    const res = await get(`/export/receipts/${receipt.id}.pdf?lang=th`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    if (process.env.KEEP_INVOICE_PDF) (await import('node:fs')).writeFileSync(process.env.KEEP_INVOICE_PDF, pdf);
    const { text } = await pdfText(pdf);
    for (const expected of [
      'ใบแจ้งหนี้',
      receipt.invoiceNumber!,
      'ศูนย์คอมพิวเตอร์สมรรถนะสูง มหาวิทยาลัยมหิดล',
      '0994000158378',
      'ห้องปฏิบัติการฟิสิกส์',
      'คณะวิทยาศาสตร์',
      'พาร์ทิชัน cpu',
      'พาร์ทิชัน gpu',
    ]) {
      expect(text).toContain(norm(expected));
    }
    // Jobs 1 and 2 are the subtotal; 7 % VAT on top.
    const total = BigInt(receipt.totalSatang);
    const vat = (total * 7n + 50n) / 100n;
    const baht = (s: bigint) => `${s / 100n}.${String(s % 100n).padStart(2, '0')}`;
    expect(text).toContain(norm(baht(total)));
    expect(text).toContain(norm(baht(total + vat)));
    expect(text).toContain(norm(bahtText(total + vat)));
    const be = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Bangkok', year: 'numeric' }).format(receipt.createdAt)) + 543;
    expect(text).toContain(String(be));
  });

  it('is in English when asked, and a receipt once paid', async () => {
    const receipt = (await t.app.db.receipt.findFirst({ where: { account: 'physics' } }))!;
    await t.gql('mutation($id: Int!) { markReceiptPaid(id: $id) { id } }', { id: receipt.id }, admin);
    const { text } = await pdfText(Buffer.from(await (await get(`/export/receipts/${receipt.id}.pdf?lang=en`, alice)).arrayBuffer()));
    expect(text).toContain(norm('Receipt'));
    expect(text).toContain(norm(amountInWordsEn(BigInt(receipt.totalSatang) + (BigInt(receipt.totalSatang) * 7n + 50n) / 100n)));
    expect(text).toContain(norm(receipt.invoiceNumber!));
  });

  it('is for those who may read the receipt, in a language it knows', async () => {
    const receipt = (await t.app.db.receipt.findFirst({ where: { account: 'physics' } }))!;
    expect((await get(`/export/receipts/${receipt.id}.pdf`, bob)).status).toBe(403);
    const bad = await get(`/export/receipts/${receipt.id}.pdf?lang=fr`, alice);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('lang must be th or en');
  });
});
