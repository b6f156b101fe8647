import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';

let server: Awaited<ReturnType<typeof startServer>>;
let ctx: BrowserContext;
let evil: Server;
let evilUrl: string;

async function fillLogin(page: Page, username: string, password: string) {
  await page.getByLabel(/username/i).fill(username);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /log in|sign in/i }).click();
}

describe.skipIf(!!missing)('trust in the browser', () => {
  beforeAll(async () => {
    server = await startServer({ AUTH_THROTTLE_MAX_FAILS: '3', AUTH_THROTTLE_LOCK_SEC: '600' });
    ctx = await newBrowser();
    // A page on another origin that posts a form to the app, as a cross-site attack would.
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<form id="f" method="post" action="${server.url}/auth/logout"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await ctx?.close();
    evil?.close();
    await server?.stop();
  });

  it('sends an anonymous visitor to /login from every page that needs a login', async () => {
    const page = await ctx.newPage();
    for (const p of ['/me', '/playground', '/receipts', '/admin/rates', '/admin/audit']) {
      await page.goto(server.url + p);
      expect(new URL(page.url()).pathname, p).toBe('/login');
    }
    await page.close();
  });

  it('says the account is locked, in minutes, after repeated failures, and never which part was wrong', async () => {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login`);
    for (let i = 0; i < 2; i++) {
      await fillLogin(page, 'carol', `wrong-${i}`);
      await expect.poll(() => page.getByTestId('login-error').innerText(), { timeout: 15_000 }).toMatch(/invalid username or password/i);
    }
    await fillLogin(page, 'carol', 'wrong-3');
    await expect.poll(() => page.getByTestId('login-error').innerText(), { timeout: 15_000 }).toMatch(/locked.*10 minutes/i);
    await page.screenshot({ path: shot('login-locked') });
    // The right password is refused while the lock holds.
    await fillLogin(page, 'carol', 'carol');
    await expect.poll(() => page.getByTestId('login-error').innerText(), { timeout: 15_000 }).toMatch(/locked/i);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await server.app.db.auditEntry.count({ where: { action: 'auth.lockout.start' } })).toBeGreaterThanOrEqual(1);
    await page.close();
  });

  it('ignores a `next` parameter and lands everyone on /playground', async () => {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/login?next=/admin/rates`);
    await fillLogin(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(`${server.url}/playground`);
    await page.close();
  });

  it('keeps an admin out of /me', async () => {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/me`);
    expect(new URL(page.url()).pathname).toBe('/admin/my-usage');
    await page.screenshot({ path: shot('admin-my-usage'), fullPage: true });
    await page.close();
  });

  it('refuses a form posted from another site with a clear page, and changes nothing', async () => {
    const sessions = await server.app.db.session.count();
    const page = await ctx.newPage();
    await page.goto(evilUrl);
    await page.waitForURL(`${server.url}/csrf-error`);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/nothing was changed/i);
    await page.screenshot({ path: shot('csrf-error') });
    expect(await server.app.db.session.count()).toBe(sessions);
    expect(await server.app.db.auditEntry.count({ where: { action: 'auth.logout' } })).toBe(0);
    // Still logged in.
    await page.goto(`${server.url}/playground`);
    expect(new URL(page.url()).pathname).toBe('/playground');
    await page.close();
  });

  it('shows the audit log with an intact chain to the admin', async () => {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/admin/audit`);
    await expect.poll(() => page.locator('main').innerText(), { timeout: 10_000 }).toMatch(/intact/i);
    await expect.poll(() => page.locator('main').innerText()).toMatch(/auth\.lockout\.start/);
    await page.screenshot({ path: shot('admin-audit'), fullPage: true });
    await page.close();
  });
});
