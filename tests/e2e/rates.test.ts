import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

let server: Awaited<ReturnType<typeof startServer>>;
let adminCtx: BrowserContext;
let userCtx: BrowserContext;

const login = signIn;

describe.skipIf(!!missing)('rates in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    adminCtx = await newBrowser();
    userCtx = await newBrowser();
  });
  afterAll(async () => {
    await adminCtx?.close();
    await userCtx?.close();
    await server?.stop();
  });

  it('shows an inline error for a wrong password and stays on /login', async () => {
    const page = await userCtx.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/username/i).fill('alice');
    await page.getByLabel(/password/i).fill('wrong');
    await page.getByRole('button', { name: /log in|sign in/i }).click();
    await expect.poll(() => page.getByTestId('login-error').innerText(), { timeout: 10_000 }).toMatch(/invalid/i);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.screenshot({ path: shot('login-error') });
    await page.close();
  });

  it('updates an open playground when an admin changes a rate, without reload', async () => {
    const admin = await adminCtx.newPage();
    await login(admin, server.url, 'admin', ADMIN_PASSWORD);

    const user = await userCtx.newPage();
    await login(user, server.url, 'alice', 'alice');
    await user.getByTestId('tier-select').selectOption('mu');
    await user.getByTestId('input-cpus').fill('4');
    await user.getByTestId('input-gpus').fill('1');
    await user.getByTestId('input-mem').fill('16');
    await user.getByTestId('input-hours').fill('2');
    // 4 × 2 × 0.5 + 1 × 2 × 12 + 16 × 2 × 0.05 = 29.60
    await expect.poll(() => user.getByTestId('total-cost').innerText()).toMatch(/29\.60/);
    await expect.poll(() => user.getByTestId('rate-cpu').innerText()).toMatch(/0\.5/);
    await user.screenshot({ path: shot('playground-before') });
    let reloaded = false;
    user.on('framenavigated', (f) => {
      if (f === user.mainFrame()) reloaded = true;
    });

    await admin.goto(`${server.url}/admin/rates`);
    await admin.getByTestId('rate-input-mu-cpu').fill('1.25');
    await admin.getByTestId('rate-save-mu').click();
    // Saving asks first, with what the change does to the unbilled jobs.
    await expect.poll(() => admin.getByTestId('confirm-rate-change-mu').isEnabled(), { timeout: 20_000 }).toBe(true);
    await admin.getByTestId('confirm-rate-change-mu').click();
    await expect.poll(async () => (await server.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('1.25');
    await admin.screenshot({ path: shot('admin-rates') });

    // 4 × 2 × 1.25 + 24 + 1.6 = 35.60
    await expect.poll(() => user.getByTestId('rate-cpu').innerText(), { timeout: 10_000 }).toMatch(/1\.25/);
    await expect.poll(() => user.getByTestId('total-cost').innerText()).toMatch(/35\.60/);
    expect(reloaded).toBe(false);
    await user.screenshot({ path: shot('playground-after') });
  });

  it('adds a rate for a GPU type, which then prices those jobs, and shows the rules in both languages', async () => {
    const admin = await adminCtx.newPage();
    await admin.goto(`${server.url}/admin/rates?lang=en`);
    const form = admin.getByTestId('rate-rule-form');
    await form.locator('#rule-tier').selectOption('mu');
    await form.locator('#rule-gpu-type').fill('h100');
    await form.locator('#rule-cpu').fill('1.25');
    await form.locator('#rule-gpu').fill('40');
    await form.locator('#rule-mem').fill('0.05');
    await form.getByRole('button', { name: /add rule/i }).click();
    await expect.poll(() => admin.getByTestId('rate-rule-row').first().innerText(), { timeout: 20_000 }).toMatch(/h100[\s\S]*40[\s\S]*in force/);
    const rule = await server.app.db.rateRule.findFirst({ where: { gpuType: 'h100' } });
    expect(rule).toMatchObject({ tier: 'mu', gpuPerHour: '40' });
    expect(rule!.appliedAt).not.toBeNull();
    await admin.getByTestId('rate-rules').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: shot('admin-rate-rules') });
    await admin.goto(`${server.url}/admin/rates?lang=th`);
    await expect.poll(() => admin.getByTestId('rate-rule-row').first().innerText()).toMatch(/มีผลแล้ว/);
    await admin.getByTestId('rate-rules').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: shot('admin-rate-rules-th') });
    await admin.getByTestId('rate-rule-remove').first().click();
    await expect.poll(() => admin.getByTestId('rate-rule-row').count()).toBe(0);
    await admin.goto(`${server.url}/admin/rates?lang=en`);
    await admin.close();
  });

  it('keeps a user out of /admin/rates', async () => {
    const page = await userCtx.newPage();
    await page.goto(`${server.url}/admin/rates`);
    expect(new URL(page.url()).pathname).toBe('/playground');
    await page.close();
  });

  it("lists the user's jobs with costs on /me", async () => {
    const page = await userCtx.newPage();
    await page.goto(`${server.url}/me`);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(5);
    await page.screenshot({ path: shot('me'), fullPage: true });
    await page.close();
  });
});
