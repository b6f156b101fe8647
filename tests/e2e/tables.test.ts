import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { EMPTY_BUCKET, unbilledOfTier } from '../../server/src/billing/usage.ts';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

let server: Awaited<ReturnType<typeof startServer>>;
let adminCtx: BrowserContext;
let aliceCtx: BrowserContext;
let admin: Page;
let alice: Page;
const consoleErrors: string[] = [];
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000 };

const watch = watchErrors(consoleErrors);

const login = (page: Page, username: string, password: string) => signIn(page, server.url, username, password);

/** 1234.5 as the pages show money: 1,234.50 */
const money = (amount: string) => {
  const [int, frac = ''] = amount.replace('-', '').split('.');
  return `${amount.startsWith('-') ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
};
const unbilledMu = async () => formatSatang(((await unbilledOfTier(server.app.db, 'mu', 'mu')) ?? EMPTY_BUCKET).costSatang);
const numberOf = (text: string) => Number(text.replace(/[^\d.-]/g, ''));
const query = (page: Page) => new URL(page.url()).searchParams;

/** Nothing on the page is wider than the window (tables scroll inside their own region). */
async function fitsWidth(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize()!.width);
}

describe.skipIf(!!missing)('rate previews, ordered tables and paying receipts together', () => {
  beforeAll(async () => {
    server = await startServer();
    adminCtx = await newBrowser();
    aliceCtx = await newBrowser();
    admin = watch(await adminCtx.newPage());
    alice = watch(await aliceCtx.newPage());
    await admin.setViewportSize(DESKTOP);
    await alice.setViewportSize(DESKTOP);
    await login(admin, 'admin', ADMIN_PASSWORD);
    await login(alice, 'alice', 'alice');
  });
  afterAll(async () => {
    await adminCtx?.close();
    await aliceCtx?.close();
    await server?.stop();
  });

  describe('a rate change with a second look', () => {
    const openPreview = async (page: Page, cpu: string) => {
      await page.getByTestId('rate-input-mu-cpu').fill(cpu);
      await page.getByTestId('rate-save-mu').click();
      await expect.poll(() => page.getByTestId('confirm-rate-change-mu').isEnabled(), WAIT).toBe(true);
    };

    it('shows what the change does to the unbilled jobs, and cancel leaves the rate', async () => {
      const before = await unbilledMu();
      await admin.goto(`${server.url}/admin/rates`);
      await openPreview(admin, '0.75');
      expect(await admin.getByTestId('rate-impact-mu-before').innerText()).toBe(money(before));
      const jobs = Number(await admin.getByTestId('rate-impact-mu-jobs').innerText());
      expect(jobs).toBe((await unbilledOfTier(server.app.db, 'mu', 'mu'))!.sums.jobs);
      expect(jobs).toBeGreaterThan(0);
      const after = await admin.getByTestId('rate-impact-mu-after').innerText();
      const difference = await admin.getByTestId('rate-impact-mu-difference').innerText();
      expect(numberOf(after) - numberOf(before)).toBeCloseTo(numberOf(difference), 2);
      expect(difference.startsWith('+')).toBe(true);
      await admin.screenshot({ path: shot('tables-rate-confirm') });

      await admin.getByTestId('cancel-rate-change-mu').click();
      await expect.poll(() => admin.getByTestId('rate-change-mu-dialog').isVisible()).toBe(false);
      expect((await server.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('0.5');
      expect(await server.app.db.rateHistory.count()).toBe(0);
      // Cancel loses nothing: the typed value is still there to save.
      expect(await admin.getByTestId('rate-input-mu-cpu').inputValue()).toBe('0.75');
      expect(await unbilledMu()).toBe(before);
    });

    it('applies the change on confirm, repricing the unbilled jobs as the preview said', async () => {
      await openPreview(admin, '0.75');
      const after = await admin.getByTestId('rate-impact-mu-after').innerText();
      await admin.getByTestId('confirm-rate-change-mu').click();
      await expect.poll(() => admin.getByTestId('rate-status-mu').innerText(), WAIT).toMatch(/saved/i);
      expect((await server.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('0.75');
      expect(money(await unbilledMu())).toBe(after);
    });

    it('reads in Thai and fits a phone', async () => {
      await admin.goto(`${server.url}/admin/rates?lang=th`);
      await openPreview(admin, '0.8');
      expect(await admin.getByTestId('rate-change-mu-dialog').innerText()).toMatch(/ส่วนต่าง/);
      await admin.screenshot({ path: shot('tables-rate-confirm-th') });
      await admin.getByTestId('cancel-rate-change-mu').click();
      await admin.setViewportSize(PHONE);
      await openPreview(admin, '0.8');
      await admin.screenshot({ path: shot('tables-rate-confirm-th-phone') });
      await admin.getByTestId('cancel-rate-change-mu').click();
      await admin.goto(`${server.url}/admin/rates?lang=en`);
      await openPreview(admin, '0.8');
      await admin.screenshot({ path: shot('tables-rate-confirm-phone') });
      await admin.getByTestId('cancel-rate-change-mu').click();
      expect((await server.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('0.75');
      await admin.setViewportSize(DESKTOP);
    });
  });

  describe('ordered tables with a page size', () => {
    const aggregateJobs = (page: Page) =>
      page.getByTestId('usage-aggregate-row').evaluateAll((rows) => rows.map((r) => Number(r.querySelector('td.num')!.textContent!.replace(/,/g, ''))));
    const jobUsers = (page: Page) => page.getByTestId('job-row').evaluateAll((rows) => rows.map((r) => r.querySelector('td')!.textContent!.trim()));

    it('orders the usage aggregate by a clicked column, in the URL, with aria-sort', async () => {
      await admin.goto(`${server.url}/admin/usage`);
      await expect.poll(() => admin.getByTestId('usage-aggregate-row').count(), WAIT).toBeGreaterThan(2);
      const header = admin.locator('th', { has: admin.getByTestId('sort-usage-aggregate-jobs') });
      expect(await header.getAttribute('aria-sort')).toBeNull();
      const byCost = admin.locator('th', { has: admin.getByTestId('sort-usage-aggregate-cost') });
      expect(await byCost.getAttribute('aria-sort')).toBe('descending');

      await admin.getByTestId('sort-usage-aggregate-jobs').click();
      await expect.poll(() => query(admin).get('sort'), WAIT).toBe('jobs');
      expect(query(admin).get('dir')).toBe('desc');
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
      const desc = await aggregateJobs(admin);
      expect(desc).toEqual([...desc].sort((a, b) => b - a));

      await admin.getByTestId('sort-usage-aggregate-jobs').click();
      await expect.poll(() => query(admin).get('dir'), WAIT).toBe('asc');
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
      const asc = await aggregateJobs(admin);
      expect(asc).toEqual([...desc].reverse());
      await admin.screenshot({ path: shot('tables-usage-sorted'), fullPage: true });

      // A link keeps the order.
      await admin.goto(admin.url());
      await expect.poll(() => admin.getByTestId('usage-aggregate-row').count(), WAIT).toBeGreaterThan(2);
      expect(await aggregateJobs(admin)).toEqual(asc);
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
    });

    it('groups the usage by cluster and follows a cluster to its jobs', async () => {
      await admin.goto(`${server.url}/admin/usage`);
      await admin.getByTestId('group-cluster').click();
      await expect.poll(() => query(admin).get('group'), WAIT).toBe('cluster');
      const rows = admin.getByTestId('usage-aggregate-row');
      await expect.poll(() => rows.count(), WAIT).toBe(1);
      expect(await rows.first().locator('th').innerText()).toBe('demo');
      await rows.first().locator('th a').click();
      await expect.poll(() => query(admin).get('cluster'), WAIT).toBe('demo');
      expect(query(admin).get('view')).toBe('detail');
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBeGreaterThan(0);
      expect(await admin.locator('#filter-cluster').inputValue()).toBe('demo');
    });

    it('orders the job list on the server, across pages of the chosen size', async () => {
      await admin.goto(`${server.url}/admin/usage?view=detail`);
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBe(50);
      await admin.getByTestId('jobs-size-25').click();
      await expect.poll(() => query(admin).get('jobs_size'), WAIT).toBe('25');
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBe(25);

      await admin.getByTestId('sort-jobs-user').click();
      await expect.poll(() => query(admin).get('jobs_sort'), WAIT).toBe('user');
      const header = admin.locator('th', { has: admin.getByTestId('sort-jobs-user') });
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(async () => (await jobUsers(admin))[0], WAIT).toBe('admin');
      await admin.getByTestId('load-more').click();
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBe(50);
      const users = await jobUsers(admin);
      expect(users).toEqual([...users].sort());

      await admin.getByTestId('sort-jobs-user').click();
      await expect.poll(() => query(admin).get('jobs_dir'), WAIT).toBe('desc');
      await expect.poll(async () => (await jobUsers(admin))[0], WAIT).toBe('dave');
      expect(await admin.getByTestId('job-row').count()).toBe(25);
      expect(query(admin).get('jobs_size')).toBe('25');
      await admin.screenshot({ path: shot('tables-usage-jobs-sorted'), fullPage: true });
      await admin.getByTestId('jobs-page-size').scrollIntoViewIfNeeded();
      await admin.screenshot({ path: shot('tables-usage-jobs-table') });
    });

    it('orders the usage tables in Thai and on a phone', async () => {
      await admin.goto(`${server.url}/admin/usage?view=detail&jobs_sort=elapsed&jobs_size=25&lang=th`);
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBe(25);
      await admin.screenshot({ path: shot('tables-usage-jobs-th'), fullPage: true });
      await admin.setViewportSize(PHONE);
      await admin.reload();
      await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBe(25);
      await fitsWidth(admin);
      await admin.getByTestId('jobs-table').scrollIntoViewIfNeeded();
      await admin.screenshot({ path: shot('tables-usage-jobs-table-th-phone') });
      await admin.screenshot({ path: shot('tables-usage-jobs-th-phone'), fullPage: true });
      await admin.goto(`${server.url}/admin/usage?sort=cost&dir=asc&lang=en`);
      await expect.poll(() => admin.getByTestId('usage-aggregate-row').count(), WAIT).toBeGreaterThan(2);
      await fitsWidth(admin);
      await admin.screenshot({ path: shot('tables-usage-phone'), fullPage: true });
      await admin.setViewportSize(DESKTOP);
    });
  });

  describe('receipts', () => {
    const ids: Record<string, number[]> = {};

    beforeAll(async () => {
      // Two receipts each for alice and bob (up to the middle of the demo's jobs, then the rest), one for carol and dave.
      const ends = (await server.app.db.jobRecord.findMany({ where: { end: { not: null } }, select: { end: true }, orderBy: { end: 'asc' } })).map((j) => j.end!);
      const middle = ends[Math.floor(ends.length / 2)];
      const meta = (actor: string) => ({ actor, ip: null, userAgent: null, method: null, path: null });
      for (const [user, cutoffs] of [
        ['alice', [middle, new Date()]],
        ['bob', [middle, new Date()]],
        ['carol', [new Date()]],
        ['dave', [new Date()]],
      ] as const) {
        ids[user] = [];
        for (const cutoff of cutoffs) ids[user].push((await createReceipt(server.app.db, user, cutoff, meta(user))).id);
      }
    });

    const totals = (page: Page, rows: string) =>
      page.locator(`[data-testid^="${rows}-"]`).evaluateAll((trs) =>
        trs.filter((r) => /-\d+$/.test(r.getAttribute('data-testid')!)).map((r) => Number(r.querySelectorAll('td.num')[1].textContent!.replace(/,/g, ''))),
      );

    it("orders a user's own receipts by total, in the URL", async () => {
      await alice.goto(`${server.url}/receipts`);
      await expect.poll(() => totals(alice, 'receipt-row'), WAIT).toHaveLength(2);
      await alice.getByTestId('sort-receipts-total').click();
      await expect.poll(() => query(alice).get('sort'), WAIT).toBe('total');
      const header = alice.locator('th', { has: alice.getByTestId('sort-receipts-total') });
      await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
      await expect.poll(async () => {
        const shown = await totals(alice, 'receipt-row');
        return shown.length === 2 && shown[0] >= shown[1];
      }, WAIT).toBe(true);
      await alice.getByTestId('sort-receipts-total').click();
      await expect.poll(() => header.getAttribute('aria-sort'), WAIT).toBe('ascending');
      await expect.poll(async () => {
        const shown = await totals(alice, 'receipt-row');
        return shown[0] <= shown[1];
      }, WAIT).toBe(true);
      await alice.getByTestId('receipts-size-25').click();
      await expect.poll(() => query(alice).get('size'), WAIT).toBe('25');
      expect(query(alice).get('sort')).toBe('total');
      await alice.screenshot({ path: shot('tables-receipts-sorted'), fullPage: true });
      await alice.goto(`${server.url}/receipts?sort=total&dir=asc&lang=th`);
      await expect.poll(() => totals(alice, 'receipt-row'), WAIT).toHaveLength(2);
      await alice.screenshot({ path: shot('tables-receipts-th'), fullPage: true });
      await alice.setViewportSize(PHONE);
      await alice.reload();
      await expect.poll(() => totals(alice, 'receipt-row'), WAIT).toHaveLength(2);
      await fitsWidth(alice);
      await alice.screenshot({ path: shot('tables-receipts-th-phone'), fullPage: true });
      await alice.goto(`${server.url}/receipts?sort=total&dir=asc&lang=en`);
      await expect.poll(() => totals(alice, 'receipt-row'), WAIT).toHaveLength(2);
      await alice.screenshot({ path: shot('tables-receipts-phone'), fullPage: true });
      await alice.setViewportSize(DESKTOP);
    });

    it('orders the pending receipts on /admin/billing by total, and pages them by the chosen size', async () => {
      await admin.goto(`${server.url}/admin/billing`);
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(6);
      await admin.getByTestId('sort-pending-total').click();
      await expect.poll(() => query(admin).get('pending_sort'), WAIT).toBe('total');
      await expect.poll(async () => {
        const shown = await totals(admin, 'pending-row');
        return shown.length === 6 && shown.every((v, i) => i === 0 || shown[i - 1] >= v);
      }, WAIT).toBe(true);
      const header = admin.locator('th', { has: admin.getByTestId('sort-pending-total') });
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      await admin.getByTestId('pending-size-25').click();
      await expect.poll(() => query(admin).get('pending_size'), WAIT).toBe('25');
      expect(query(admin).get('pending_sort')).toBe('total');
    });

    it('marks several receipts paid after one confirmation naming how many and their total', async () => {
      await admin.goto(`${server.url}/admin/billing`);
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(6);
      const [a, b] = [ids.alice[0], ids.bob[0]];
      const rows = await server.app.db.receipt.findMany({ where: { id: { in: [a, b] } } });
      const sum = formatSatang(rows.reduce((s, r) => s + r.totalSatang, 0n));
      expect(await admin.getByTestId('mark-selected-paid').isDisabled()).toBe(true);
      await admin.getByTestId(`select-pending-row-${a}`).check();
      await admin.getByTestId(`select-pending-row-${b}`).check();
      await expect.poll(() => admin.getByTestId('bulk-selected').innerText()).toContain('2 receipts');
      expect(await admin.getByTestId('bulk-selected').innerText()).toContain(money(sum));
      await admin.screenshot({ path: shot('tables-billing-selected'), fullPage: true });

      await admin.getByTestId('mark-selected-paid').click();
      const summary = admin.getByTestId('mark-many-paid-summary');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.innerText()).toContain('2 receipts');
      expect(await summary.innerText()).toContain(money(sum));
      await admin.screenshot({ path: shot('tables-billing-confirm') });
      await admin.getByTestId('cancel-mark-many-paid').click();
      expect(await server.app.db.receipt.count({ where: { status: 'paid' } })).toBe(0);

      await admin.getByTestId('mark-selected-paid').click();
      await admin.getByTestId('confirm-mark-many-paid').click();
      await expect.poll(() => admin.getByTestId(`paid-row-${a}`).isVisible(), WAIT).toBe(true);
      await expect.poll(() => admin.getByTestId(`paid-row-${b}`).isVisible(), WAIT).toBe(true);
      expect(await admin.getByTestId(`pending-row-${a}`).count()).toBe(0);
      expect((await server.app.db.receipt.findMany({ where: { status: 'paid' } })).map((r) => r.id).sort()).toEqual([a, b].sort());
      const audits = await server.app.db.auditEntry.findMany({ where: { action: 'receipt.paid' } });
      expect(audits.map((x) => Number(x.target)).sort()).toEqual([a, b].sort());
      await expect.poll(() => admin.getByTestId('bulk-selected').innerText()).not.toContain('selected');
    });

    it('pays none when one of them was paid meanwhile, and says which', async () => {
      await admin.goto(`${server.url}/admin/billing`);
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(4);
      await admin.getByTestId('pending-row-select-all').check();
      await expect.poll(() => admin.getByTestId('bulk-selected').innerText()).toContain('4 receipts');
      // Someone else pays carol's receipt after this page loaded.
      const carols = ids.carol[0];
      await server.app.db.receipt.update({ where: { id: carols }, data: { status: 'paid', paidAt: new Date(), paidBy: 'someone' } });
      await admin.getByTestId('mark-selected-paid').click();
      await admin.getByTestId('confirm-mark-many-paid').click();
      const dialog = admin.getByTestId('mark-many-paid-dialog');
      await expect.poll(() => dialog.innerText(), WAIT).toMatch(new RegExp(`#${carols} has already been paid`));
      await admin.screenshot({ path: shot('tables-billing-refused') });
      expect(await server.app.db.receipt.count({ where: { status: 'paid' } })).toBe(3);
      for (const id of [ids.alice[1], ids.bob[1], ids.dave[0]]) expect((await server.app.db.receipt.findUnique({ where: { id } }))?.status).toBe('pending');
      await admin.getByTestId('cancel-mark-many-paid').click();
    });

    it('reads in Thai and fits a phone', async () => {
      await admin.goto(`${server.url}/admin/billing?lang=th`);
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(3);
      await admin.getByTestId('pending-row-select-all').check();
      await expect.poll(() => admin.getByTestId('bulk-selected').innerText()).toMatch(/3/);
      await admin.screenshot({ path: shot('tables-billing-th'), fullPage: true });
      await admin.getByTestId('mark-selected-paid').click();
      await admin.screenshot({ path: shot('tables-billing-confirm-th') });
      await admin.getByTestId('cancel-mark-many-paid').click();
      await admin.setViewportSize(PHONE);
      await admin.reload();
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(3);
      await fitsWidth(admin);
      await admin.screenshot({ path: shot('tables-billing-th-phone'), fullPage: true });
      await admin.goto(`${server.url}/admin/billing?lang=en`);
      await expect.poll(() => totals(admin, 'pending-row'), WAIT).toHaveLength(3);
      await admin.getByTestId('pending-row-select-all').check();
      await fitsWidth(admin);
      await admin.screenshot({ path: shot('tables-billing-phone'), fullPage: true });
      await admin.getByTestId('mark-selected-paid').click();
      await admin.screenshot({ path: shot('tables-billing-confirm-phone') });
      await admin.getByTestId('cancel-mark-many-paid').click();
      await admin.setViewportSize(DESKTOP);
      expect(await server.app.db.receipt.count({ where: { status: 'paid' } })).toBe(3);
    });

    it('wrote no console errors', () => {
      expect(consoleErrors).toEqual([]);
    });
  });
});
