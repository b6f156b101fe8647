import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

const BOM = [0xef, 0xbb, 0xbf];

let server: Awaited<ReturnType<typeof startServer>>;
let userCtx: BrowserContext;
let adminCtx: BrowserContext;
let user: Page;
let admin: Page;
let receiptId = 0;
let billedJobIds: string[] = [];
/** Console errors of every page (CSP violations show up here), checked at the end. */
const consoleErrors: string[] = [];

const watch = watchErrors(consoleErrors);

const login = (page: Page, username: string, password: string) => signIn(page, server.url, username, password);

const pathOf = (page: Page) => new URL(page.url()).pathname;

describe.skipIf(!!missing)('billing in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    userCtx = await newBrowser();
    adminCtx = await newBrowser();
    user = watch(await userCtx.newPage());
    admin = watch(await adminCtx.newPage());
  });
  afterAll(async () => {
    await userCtx?.close();
    await adminCtx?.close();
    await server?.stop();
  });

  it('sends anonymous visitors to /login and answers a form post without the CSRF token with /csrf-error', async () => {
    const page = watch(await userCtx.newPage());
    for (const target of ['/me', '/receipts', '/receipts/1', '/admin/billing', '/settings/tokens']) {
      await page.goto(`${server.url}${target}`);
      expect(pathOf(page)).toBe('/login');
    }
    // A form that posts to /auth/login from this origin but without the csrf field (as a forged one would).
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = '/auth/login';
      for (const [name, value] of [
        ['username', 'alice'],
        ['password', 'alice'],
      ]) {
        const input = document.createElement('input');
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    });
    await page.waitForURL(`${server.url}/csrf-error`);
    await expect.poll(() => page.getByTestId('csrf-error').innerText()).toMatch(/did not come from this site/i);
    await page.screenshot({ path: shot('csrf-error-missing-token') });
    await page.close();
  });

  it('lets a user create a receipt from /me, find it in /receipts and download its CSV', async () => {
    await login(user, 'alice', 'alice');
    await user.goto(`${server.url}/me`);
    await expect.poll(() => user.getByTestId('job-row').count()).toBeGreaterThan(5);
    await expect.poll(() => user.getByTestId('unbilled-total').innerText()).toMatch(/\d\.\d\d/);
    await expect.poll(() => user.getByTestId('data-source').innerText()).toMatch(/csv/i);
    await user.screenshot({ path: shot('me-detail'), fullPage: true });

    // Load more appends the next page.
    const firstPage = await user.getByTestId('job-row').count();
    if (await user.getByTestId('load-more').isVisible()) {
      await user.getByTestId('load-more').click();
      await expect.poll(() => user.getByTestId('job-row').count()).toBeGreaterThan(firstPage);
    }

    await user.getByTestId('tab-aggregate').click();
    await expect.poll(() => user.getByTestId('usage-by-month-row').count()).toBeGreaterThan(0);
    await user.screenshot({ path: shot('me-aggregate'), fullPage: true });

    // "Completed on or before" narrows the list, the totals and the CSV to jobs ended by the end of that day.
    const allJobs = Number(await user.getByTestId('total-jobs').innerText());
    await user.getByTestId('tab-detail').click();
    await user.getByTestId('filter-completed-before').fill('2026-09-30');
    await user.getByTestId('filter-apply').click();
    await user.waitForURL(/before=2026-09-30/);
    await expect.poll(async () => Number(await user.getByTestId('total-jobs').innerText())).toBeLessThan(allJobs);
    const ends = await user.locator('[data-testid="job-row"] td:nth-child(6)').allInnerTexts();
    expect(ends.length).toBeGreaterThan(0);
    expect(ends.every((end) => end <= '2026-09-30 23:59')).toBe(true);
    expect(await user.getByTestId('my-csv').getAttribute('href')).toMatch(/^\/export\/my\.csv\?completedBefore=2026-(09-30|10-01)T/);
    await user.getByTestId('filter-clear').click();
    await user.waitForURL(`${server.url}/me`);
    await expect.poll(async () => Number(await user.getByTestId('total-jobs').innerText())).toBe(allJobs);

    await user.getByTestId('create-receipt').click();
    await expect(user.getByTestId('create-receipt-dialog').isVisible()).resolves.toBe(true);
    await user.screenshot({ path: shot('me-create-receipt-confirm') });
    await user.getByTestId('confirm-create-receipt').click();
    await user.waitForURL(/\/receipts\/\d+/);
    receiptId = Number(/\/receipts\/(\d+)/.exec(user.url())![1]);
    expect(receiptId).toBeGreaterThan(0);

    await expect.poll(() => user.getByTestId('receipt-item').count()).toBeGreaterThan(0);
    billedJobIds = await user.getByTestId('receipt-item').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id') ?? ''));
    const stored = await server.app.db.receiptItem.findMany({ where: { receiptId } });
    expect(billedJobIds.sort()).toEqual(stored.map((item) => item.jobId).sort());
    expect(await user.getByTestId('receipt-status').innerText()).toMatch(/pending/i);
    expect(await user.getByTestId('mark-paid').count()).toBe(0);
    await user.screenshot({ path: shot('receipt') });
    await user.getByTestId('receipt-items').locator('tfoot').scrollIntoViewIfNeeded();
    await user.screenshot({ path: shot('receipt-total') });

    await user.goto(`${server.url}/receipts`);
    await expect.poll(() => user.getByTestId(`receipt-row-${receiptId}`).isVisible()).toBe(true);
    await user.screenshot({ path: shot('receipts') });

    await user.getByTestId(`receipt-row-${receiptId}`).getByRole('link').click();
    await user.waitForURL(`${server.url}/receipts/${receiptId}`);
    const [download] = await Promise.all([user.waitForEvent('download'), user.getByTestId('receipt-csv').click()]);
    expect(download.suggestedFilename()).toBe(`receipt-${receiptId}.csv`);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual(BOM);
    const text = csv.toString('utf8');
    for (const jobId of billedJobIds) expect(text).toContain(jobId);

    // The billed tab links each billed job to its receipt; nothing is left to bill up to now.
    await user.goto(`${server.url}/me?view=billed`);
    await expect.poll(() => user.getByTestId('job-receipt-link').count()).toBeGreaterThan(0);
    expect(await user.getByTestId('job-receipt-link').first().getAttribute('href')).toBe(`/receipts/${receiptId}`);
    await expect.poll(() => user.getByTestId('create-receipt').isDisabled()).toBe(true);
    await user.screenshot({ path: shot('me-billed'), fullPage: true });
  });

  it('keeps a user out of the staff pages', async () => {
    for (const target of ['/admin/usage', '/admin/billing', '/admin/audit', '/admin/my-usage', '/admin/rates']) {
      await user.goto(`${server.url}${target}`);
      expect(pathOf(user)).toBe('/playground');
    }
    expect(await user.getByTestId('nav-billing').count()).toBe(0);
    const response = await user.request.get(`${server.url}/export/paid.csv`);
    expect(response.status()).toBe(403);
  });

  it('lets an admin mark the receipt paid on /admin/billing, after which it is in paid.csv', async () => {
    await login(admin, 'admin', ADMIN_PASSWORD);
    await admin.goto(`${server.url}/admin/billing`);
    await expect.poll(() => admin.getByTestId(`pending-row-${receiptId}`).isVisible()).toBe(true);
    await admin.screenshot({ path: shot('admin-billing-pending'), fullPage: true });

    await admin.getByTestId(`mark-paid-${receiptId}`).click();
    await admin.screenshot({ path: shot('admin-billing-confirm') });
    await admin.getByTestId(`confirm-mark-paid-${receiptId}`).click();
    await expect.poll(() => admin.getByTestId(`paid-row-${receiptId}`).isVisible()).toBe(true);
    expect(await admin.getByTestId(`pending-row-${receiptId}`).count()).toBe(0);
    expect((await server.app.db.receipt.findUnique({ where: { id: receiptId } }))?.status).toBe('paid');
    await admin.screenshot({ path: shot('admin-billing-paid'), fullPage: true });

    // The link is a plain download with the session cookie; fetch it in the admin's browser context.
    expect(await admin.getByTestId('paid-csv').getAttribute('href')).toBe('/export/paid.csv');
    const response = await admin.request.get(`${server.url}/export/paid.csv`);
    expect(response.status()).toBe(200);
    const body = await response.body();
    expect([...body.subarray(0, 3)]).toEqual(BOM);
    const rows = body.toString('utf8').split(/\r?\n/);
    expect(rows.some((row) => row.startsWith(`${receiptId},alice,`))).toBe(true);

    // The user sees it paid too.
    await user.goto(`${server.url}/receipts/${receiptId}`);
    await expect.poll(() => user.getByTestId('receipt-status').innerText()).toMatch(/paid/i);
  });

  it('shows staff their own usage, everyone’s usage, the audit log and the rate history', async () => {
    await admin.goto(`${server.url}/me`);
    expect(pathOf(admin)).toBe('/admin/my-usage');
    await expect.poll(() => admin.getByTestId('job-row').count()).toBeGreaterThan(0);
    await admin.screenshot({ path: shot('staff-my-usage'), fullPage: true });

    await admin.goto(`${server.url}/admin/usage`);
    await expect.poll(() => admin.getByTestId('usage-aggregate-row').count()).toBeGreaterThan(3);
    await expect.poll(() => admin.getByTestId('usage-aggregate-total').innerText()).toMatch(/\d/);
    await admin.screenshot({ path: shot('admin-usage-aggregate'), fullPage: true });

    await admin.getByTestId('filter-user').fill('alice');
    await admin.getByTestId('filter-apply').click();
    await admin.waitForURL(/user=alice/);
    await admin.getByTestId('tab-detail').click();
    await admin.waitForURL(/view=detail/);
    await expect.poll(() => admin.getByTestId('job-row').count()).toBeGreaterThan(0);
    const users = await admin.locator('[data-testid="job-row"] td:nth-child(2)').allInnerTexts();
    expect(new Set(users)).toEqual(new Set(['alice']));
    expect(await admin.getByTestId('usage-csv').getAttribute('href')).toBe('/export/usage.csv?user=alice');
    await admin.screenshot({ path: shot('admin-usage-detail'), fullPage: true });

    await admin.goto(`${server.url}/admin/audit`);
    await expect.poll(() => admin.getByTestId('audit-chain').innerText()).toMatch(/chain intact: \d+ entries verified/i);
    await expect.poll(() => admin.locator('[data-testid="audit-row"][data-action="receipt.paid"]').count()).toBe(1);
    await admin.screenshot({ path: shot('admin-audit-log'), fullPage: true });
    await admin.getByTestId('filter-action').fill('auth.');
    await admin.getByTestId('filter-apply').click();
    await admin.waitForURL(/action=auth\./);
    await expect
      .poll(async () => (await admin.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).every((a) => a?.startsWith('auth.')))
      .toBe(true);
    expect(await admin.getByTestId('audit-csv').getAttribute('href')).toBe('/export/audit.csv?action=auth.');

    await admin.goto(`${server.url}/admin/rates`);
    await admin.getByTestId('rate-input-gov-gpu').fill('15.5');
    await admin.getByTestId('rate-save-gov').click();
    await expect.poll(() => admin.getByTestId('confirm-rate-change-gov').isEnabled(), { timeout: 20_000 }).toBe(true);
    await admin.getByTestId('confirm-rate-change-gov').click();
    await expect.poll(() => admin.getByTestId('rate-history-row').count()).toBeGreaterThan(0);
    await admin.screenshot({ path: shot('admin-rates-history'), fullPage: true });
  });

  it('shows an operator the receipts and rates read-only', async () => {
    const bobs = await createReceipt(server.app.db, 'bob', new Date(), { actor: 'bob', ip: null, userAgent: null, method: null, path: null });
    const ctx = await newBrowser();
    try {
      const oper = watch(await ctx.newPage());
      await login(oper, 'oper', 'oper');
      expect(await oper.getByTestId('nav-billing').count()).toBe(1);
      // the rates are theirs to read: linked, and marked view only
      expect(await oper.getByTestId('nav-rates').innerText()).toMatch(/view only/i);

      await oper.goto(`${server.url}/me`);
      expect(pathOf(oper)).toBe('/admin/my-usage');

      await oper.goto(`${server.url}/admin/billing`);
      await expect.poll(() => oper.getByTestId(`pending-row-${bobs.id}`).isVisible()).toBe(true);
      expect(await oper.getByTestId(`mark-paid-${bobs.id}`).count()).toBe(0);
      await oper.screenshot({ path: shot('operator-billing'), fullPage: true });

      await oper.goto(`${server.url}/receipts/${bobs.id}`);
      await expect.poll(() => oper.getByTestId('receipt-item').count()).toBeGreaterThan(0);
      expect(await oper.getByTestId('mark-paid').count()).toBe(0);

      await oper.goto(`${server.url}/admin/rates`);
      await expect.poll(() => oper.getByTestId('rate-save-mu').isDisabled()).toBe(true);
      await expect.poll(() => oper.getByTestId('rate-history-row').count()).toBeGreaterThan(0);
    } finally {
      await ctx.close();
    }
  });

  it('lets a user create a read-only API token, shown once, and revoke it', async () => {
    await user.goto(`${server.url}/settings/tokens`);
    await user.getByTestId('token-name').fill('Grafana');
    await user.getByTestId('create-token').click();
    await expect.poll(() => user.getByTestId('token-secret').inputValue()).toMatch(/^hpcat_/);
    const token = await user.getByTestId('token-secret').inputValue();
    await user.screenshot({ path: shot('tokens-created'), fullPage: true });

    const ask = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { username } }' }),
      }).then((r) => r.json() as Promise<{ data?: { viewer: { username: string } | null } }>);
    expect((await ask()).data?.viewer?.username).toBe('alice');

    const row = user.locator('[data-testid^="token-row-"]').first();
    const id = (await row.getAttribute('data-testid'))!.replace('token-row-', '');
    await user.getByTestId(`revoke-token-${id}`).click();
    await user.getByTestId('confirm-revoke-token').click();
    await expect.poll(() => row.innerText()).toMatch(/revoked/i);
    expect((await ask()).data?.viewer ?? null).toBeNull();
    await user.reload();
    expect(await user.getByTestId('token-secret').count()).toBe(0);
    await user.screenshot({ path: shot('tokens'), fullPage: true });
  });

  it('reads in Thai, sends the CSP and logs no errors (no CSP violation) in any page', async () => {
    await user.goto(`${server.url}/me?lang=th`);
    await expect.poll(() => user.getByTestId('job-row').count()).toBeGreaterThan(0);
    await expect.poll(() => user.getByTestId('create-receipt').innerText()).toMatch(/ออกใบแจ้งหนี้/);
    await user.screenshot({ path: shot('me-th') });
    // and on a phone
    await user.setViewportSize({ width: 390, height: 844 });
    await user.reload();
    await expect.poll(() => user.getByTestId('job-row').count()).toBeGreaterThan(0);
    await user.screenshot({ path: shot('me-th-phone') });
    await user.setViewportSize({ width: 1280, height: 860 });
    await user.goto(`${server.url}/me?lang=en`);

    const csp = (await user.request.get(`${server.url}/me`)).headers()['content-security-policy'] ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
    // Nothing blocked by the CSP (it would be logged as an error) and no other errors in any page.
    expect(consoleErrors).toEqual([]);
  });
});
