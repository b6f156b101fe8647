import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

/**
 * The accounts pages on the demo's data: a faculty with three labs, each with a coordinator (alice coordinates
 * physics), dave a plain member of two, and physics' yearly budget past its 80 % alert.
 */
const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

let server: Awaited<ReturnType<typeof startServer>>;
const contexts: BrowserContext[] = [];
const errors: string[] = [];
const watch = watchErrors(errors);
const browser = async () => {
  const ctx = await newBrowser();
  contexts.push(ctx);
  return watch(await ctx.newPage());
};

describe.skipIf(!!missing)('Slurm accounts in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await server?.stop();
  });

  it('shows a coordinator their account only: members, usage, the budget and its alerts, and lets them bill it', async () => {
    const page = await browser();
    await signIn(page, server.url, 'alice', 'alice');
    await page.getByTestId('nav-accounts').first().click();
    await page.waitForURL(`${server.url}/accounts`);
    await expect.poll(() => page.getByTestId('account-row').count()).toBe(1);
    expect(await page.getByTestId('account-link').innerText()).toBe('physics');
    await page.screenshot({ path: shot('accounts-coordinator') });

    await page.getByTestId('account-link').click();
    await page.waitForURL(`${server.url}/accounts/physics`);
    expect(await page.getByTestId('account-members').innerText()).toMatch(/alice[\s\S]*dave/);
    const budget = page.getByTestId('budget-year');
    expect(await budget.getByTestId('budget-percent').innerText()).toMatch(/8\d(\.\d+)? %/);
    expect(await budget.getByTestId('budget-alerts').innerText()).toMatch(/50 %[\s\S]*80 %/);
    expect(await page.locator('[data-testid="budget-chart-year"] path.spent').count()).toBe(1);
    await page.screenshot({ path: shot('account-page'), fullPage: false });
    await budget.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('account-budget') });

    const unbilled = await page.getByTestId('account-unbilled').innerText();
    expect(unbilled).toMatch(/[1-9]/);
    await page.getByTestId('account-bill').click();
    await page.waitForURL(/\/receipts\/\d+$/, { timeout: 30_000 });
    expect(await page.getByTestId('receipt-account').innerText()).toBe('physics');
    expect(await page.getByTestId('receipt-invoice-number').innerText()).toMatch(/^INV-\d{4}-\d{6}$/);
    const pdf = await page.request.get(`${server.url}${await page.getByTestId('receipt-pdf-th').getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.screenshot({ path: shot('account-receipt') });
    // On paper the receipt page is the invoice: the center, its number, VAT and the total in words.
    await page.emulateMedia({ media: 'print' });
    const head = await page.getByTestId('receipt-print-head').innerText();
    expect(head).toMatch(/Demo HPC Center[\s\S]*0994000158378[\s\S]*Invoice[\s\S]*INV-/);
    expect(await page.locator('.invoice-totals').innerText()).toMatch(/VAT 7%[\s\S]*baht/);
    await page.screenshot({ path: shot('account-receipt-print'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it('gives a plain member no accounts link, and refuses the account page', async () => {
    const page = await browser();
    await signIn(page, server.url, 'dave', 'dave');
    expect(await page.getByTestId('nav-accounts').count()).toBe(0);
    const response = await page.goto(`${server.url}/accounts/physics`);
    expect(response?.status()).toBe(403);
    // The refusal is the one console error this test expects.
    expect(errors.splice(0)).toEqual([expect.stringContaining('status of 403')]);
    await page.goto(`${server.url}/accounts`);
    expect(await page.getByTestId('accounts-member-of').innerText()).toMatch(/chemistry[\s\S]*physics/);
  });

  it('lets an admin see every account, set a budget (with errors named) and name a PI, in both languages', async () => {
    const page = await browser();
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/accounts?lang=en`);
    await expect.poll(() => page.getByTestId('account-row').count()).toBe(5);
    await page.screenshot({ path: shot('accounts-staff') });
    await page.goto(`${server.url}/accounts?lang=th`);
    await expect.poll(() => page.locator('h1').innerText()).toMatch(/บัญชีโครงการ/);
    await page.screenshot({ path: shot('accounts-staff-th') });

    await page.goto(`${server.url}/accounts/chemistry?lang=en`);
    await page.getByTestId('budget-add').click();
    const form = page.getByTestId('budget-form');
    await form.locator('#budget-period').selectOption('month');
    await page.getByTestId('budget-limit').fill('lots');
    await page.getByTestId('budget-save').click();
    await expect.poll(() => page.getByTestId('budget-form-detail').innerText()).toContain('"lots"');
    await page.getByTestId('budget-limit').fill('5000');
    await page.getByTestId('budget-emails').fill('head@chem.example.ac.th');
    await page.getByTestId('budget-save').click();
    await expect.poll(() => page.getByTestId('budget-month').count(), { timeout: 20_000 }).toBe(1);

    await page.locator('#pi-name').fill('dave');
    await page.getByTestId('pi-form').getByRole('button').click();
    await expect.poll(() => page.getByTestId('account-members').innerText()).toMatch(/dave[\s\S]*PI/);
    expect(await server.app.db.accountMember.count({ where: { account: 'chemistry', username: 'dave', role: 'pi', until: null } })).toBe(1);

    await page.goto(`${server.url}/accounts/physics?lang=th`);
    await expect.poll(() => page.getByTestId('budget-year').innerText()).toMatch(/งบประมาณรายปี/);
    await page.screenshot({ path: shot('account-page-th') });
    await page.getByTestId('budget-year').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('account-budget-th') });
    await page.goto(`${server.url}/accounts?lang=en`);
    expect(errors).toEqual([]);
  });
});
