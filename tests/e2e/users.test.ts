import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

let server: Awaited<ReturnType<typeof startServer>>;
let adminCtx: BrowserContext;
let daveCtx: BrowserContext;
let admin: Page;
let dave: Page;
const consoleErrors: string[] = [];

const watch = watchErrors(consoleErrors);

const login = (page: Page, username: string, password: string) => signIn(page, server.url, username, password);

/** The first amount of money (1,234.56) in a text. */
const amount = (text: string) => /\d[\d,]*\.\d{2}/.exec(text)?.[0] ?? null;

/** dave's unbilled total as his own page shows it, once it has loaded. */
async function unbilledOnOwnPage(page: Page) {
  await page.goto(`${server.url}/me`);
  await expect.poll(async () => amount(await page.getByTestId('unbilled-total').innerText()), { timeout: 20_000 }).not.toBeNull();
  return amount(await page.getByTestId('unbilled-total').innerText());
}

const rowsLoaded = (page: Page) => expect.poll(() => page.getByTestId('user-row-alice').isVisible(), { timeout: 20_000 }).toBe(true);

/** Nothing on the page is wider than the window, and the key cells of a row lie inside it. */
async function fitsWidth(page: Page, username: string) {
  const width = page.viewportSize()!.width;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  for (const cell of [`user-row-${username}`, `user-tier-${username}`, `user-unbilled-${username}`]) {
    const box = await page.getByTestId(cell).boundingBox();
    expect(box, cell).not.toBeNull();
    expect(box!.x + box!.width, cell).toBeLessThanOrEqual(width);
  }
  const wrap = await page.locator('.table-wrap').first().evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(wrap.scroll).toBeLessThanOrEqual(wrap.client);
}

describe.skipIf(!!missing)('users and tiers in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    adminCtx = await newBrowser();
    daveCtx = await newBrowser();
    admin = watch(await adminCtx.newPage());
    dave = watch(await daveCtx.newPage());
    await admin.setViewportSize({ width: 1366, height: 900 });
    await login(admin, 'admin', ADMIN_PASSWORD);
    await login(dave, 'dave', 'dave');
  });
  afterAll(async () => {
    await adminCtx?.close();
    await daveCtx?.close();
    await server?.stop();
  });

  it('lists every user with tier, role and its source, last login, jobs and the unbilled total', async () => {
    await admin.goto(`${server.url}/admin/users`);
    await rowsLoaded(admin);
    for (const name of ['admin', 'alice', 'bob', 'carol', 'dave', 'oper']) expect(await admin.getByTestId(`user-row-${name}`).count()).toBe(1);
    expect(await admin.getByTestId('user-tier-carol').getAttribute('data-tier')).toBe('private');
    expect(await admin.getByTestId('role-source-admin').innerText()).toMatch(/local account/);
    await expect.poll(() => admin.getByTestId('user-unbilled-dave').innerText()).toMatch(/\d\.\d{2}/);
    await admin.screenshot({ path: shot('admin-users'), fullPage: true });
  });

  it("changes a user's tier after confirming the preview, and the user's own page shows the new costs", async () => {
    const before = await unbilledOnOwnPage(dave);

    await admin.goto(`${server.url}/admin/users`);
    await rowsLoaded(admin);
    await admin.getByTestId('tier-select-dave').selectOption('private');
    await expect.poll(() => admin.getByTestId('tier-preview-after').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await admin.getByTestId('tier-preview-before').innerText()).toBe(before);
    const after = await admin.getByTestId('tier-preview-after').innerText();
    expect(after).not.toBe(before);
    // Nothing changes before the confirm.
    expect((await server.app.db.user.findUnique({ where: { username: 'dave' } }))?.tier).toBe('mu');
    await admin.screenshot({ path: shot('admin-users-confirm') });

    await admin.getByTestId('confirm-tier-change').click();
    await expect.poll(() => admin.getByTestId('tier-change-done').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await admin.getByTestId('tier-change-done').innerText()).toContain(after);
    expect((await server.app.db.user.findUnique({ where: { username: 'dave' } }))?.tier).toBe('private');
    await expect.poll(() => admin.getByTestId('user-unbilled-dave').innerText(), { timeout: 20_000 }).toBe(after);
    expect(await admin.getByTestId('tier-select-dave').inputValue()).toBe('private');
    await admin.screenshot({ path: shot('admin-users-changed'), fullPage: true });

    expect(await unbilledOnOwnPage(dave)).toBe(after);
  });

  it('leaves the tier alone when the preview is cancelled', async () => {
    await admin.getByTestId('tier-select-alice').selectOption('gov');
    await expect.poll(() => admin.getByTestId('tier-preview-after').isVisible(), { timeout: 20_000 }).toBe(true);
    await admin.getByTestId('cancel-tier-change').click();
    await expect.poll(() => admin.getByTestId('tier-select-alice').inputValue()).toBe('mu');
    expect((await server.app.db.user.findUnique({ where: { username: 'alice' } }))?.tier).toBe('mu');
  });

  it('sets the tier of everyone in a Slurm account', async () => {
    await admin.getByTestId('account-tier-account').fill('chemistry');
    await admin.getByTestId('account-tier-tier').selectOption('gov');
    await admin.getByTestId('account-tier-preview').click();
    // bob is on gov already; dave moves from private.
    await expect.poll(() => admin.getByTestId('tier-preview').innerText(), { timeout: 20_000 }).toMatch(/dave/);
    expect(await admin.getByTestId('tier-preview').innerText()).not.toMatch(/bob/);
    await admin.screenshot({ path: shot('admin-users-account-confirm') });
    await admin.getByTestId('confirm-tier-change').click();
    await expect.poll(() => admin.getByTestId('tier-change-done').innerText(), { timeout: 20_000 }).toMatch(/chemistry/);
    expect((await server.app.db.user.findUnique({ where: { username: 'dave' } }))?.tier).toBe('gov');
    expect(await server.app.db.auditEntry.count({ where: { action: 'user.tier.update' } })).toBe(2);

    await admin.getByTestId('account-tier-account').fill('astronomy');
    await admin.getByTestId('account-tier-preview').click();
    await expect.poll(() => admin.getByTestId('tier-change-dialog').innerText(), { timeout: 20_000 }).toMatch(/No jobs in the ledger were run in the Slurm account astronomy/);
    expect(await admin.getByTestId('confirm-tier-change').isDisabled()).toBe(true);
    await admin.getByTestId('cancel-tier-change').click();
  });

  it('fits a phone and reads in Thai', async () => {
    await admin.goto(`${server.url}/admin/users?lang=th`);
    await rowsLoaded(admin);
    await expect.poll(() => admin.locator('h1').innerText()).toMatch(/ผู้ใช้และกลุ่มอัตรา/);
    await admin.screenshot({ path: shot('admin-users-th'), fullPage: true });
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.reload();
    await rowsLoaded(admin);
    await fitsWidth(admin, 'carol');
    await admin.screenshot({ path: shot('admin-users-th-phone'), fullPage: true });
    await admin.goto(`${server.url}/admin/users?lang=en`);
    await rowsLoaded(admin);
    await fitsWidth(admin, 'carol');
    await admin.screenshot({ path: shot('admin-users-phone'), fullPage: true });
    await admin.getByTestId('tier-select-carol').selectOption('mu');
    await expect.poll(() => admin.getByTestId('tier-preview-after').isVisible(), { timeout: 20_000 }).toBe(true);
    await admin.screenshot({ path: shot('admin-users-phone-confirm') });
    await admin.getByTestId('cancel-tier-change').click();
    await admin.setViewportSize({ width: 1366, height: 900 });
  });

  it('shows an operator the list without any control', async () => {
    const ctx = await newBrowser();
    try {
      const oper = watch(await ctx.newPage());
      await oper.setViewportSize({ width: 1366, height: 900 });
      await login(oper, 'oper', 'oper');
      await oper.goto(`${server.url}/admin/users`);
      await rowsLoaded(oper);
      await expect.poll(() => oper.getByTestId('users-read-only').isVisible()).toBe(true);
      expect(await oper.locator('[data-testid^="tier-select-"]').count()).toBe(0);
      expect(await oper.getByTestId('account-tier-form').count()).toBe(0);
      expect(await oper.getByTestId('user-tier-dave').innerText()).toMatch(/Government/);
      await oper.screenshot({ path: shot('operator-users'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  it('keeps a user out of /admin/users and logs no errors', async () => {
    await dave.goto(`${server.url}/admin/users`);
    expect(new URL(dave.url()).pathname).toBe('/playground');
    expect(consoleErrors).toEqual([]);
  });
});
