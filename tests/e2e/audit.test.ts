import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAudit, systemMeta } from '../../server/src/audit/recorder.ts';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { createSession, SESSION_COOKIE } from '../../server/src/auth/sessions.ts';
import auditEn from '../../web/src/lib/i18n/locales/audit.en.json' with { type: 'json' };
import auditTh from '../../web/src/lib/i18n/locales/audit.th.json' with { type: 'json' };
import en from '../../web/src/lib/i18n/locales/en.json' with { type: 'json' };
import shellEn from '../../web/src/lib/i18n/locales/shell.en.json' with { type: 'json' };
import shellTh from '../../web/src/lib/i18n/locales/shell.th.json' with { type: 'json' };
import th from '../../web/src/lib/i18n/locales/th.json' with { type: 'json' };
import { ensureChromium, newBrowser, shot, watchErrors } from './browser.ts';
import { startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

type Lang = 'en' | 'th';
const LANGS = ['en', 'th'] as const satisfies Lang[];
const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
const TEXT = { en: { ...en, ...shellEn, ...auditEn }, th: { ...th, ...shellTh, ...auditTh } } as Record<Lang, Record<string, string>>;
const LONG = { timeout: 30_000 };

let server: Awaited<ReturnType<typeof startServer>>;
const contexts: BrowserContext[] = [];
const consoleErrors: string[] = [];

const watch = watchErrors(consoleErrors);

/** A browser signed in as `username` (a session made in the database) and reading `lang`. */
async function browserFor(username: string, lang: Lang, options: { javaScriptEnabled?: boolean } = {}) {
  const ctx = await newBrowser(options);
  contexts.push(ctx);
  const user = await server.app.db.user.findUniqueOrThrow({ where: { username } });
  const { token } = await createSession(server.app.db, user.id, 1);
  await ctx.addCookies([
    { name: SESSION_COOKIE, value: token, url: server.url },
    { name: 'lang', value: lang, url: server.url },
  ]);
  return { ctx, page: watch(await ctx.newPage()) };
}

const setLang = (ctx: BrowserContext, lang: Lang) => ctx.addCookies([{ name: 'lang', value: lang, url: server.url }]);

/** Entries on fixed days of 2001, long before anything the app writes by itself. */
const PAST = [
  { at: '2001-01-10T05:00:00.000Z', action: 'rates.update', target: 'gov', extra: { old: null, new: { cpuPerHour: '1.50', gpuPerHour: '30', memGBPerHour: '0.10' } } },
  { at: '2001-01-20T05:00:00.000Z', action: 'receipt.create', target: '9001', extra: { items: 3, totalSatang: '4510700000', cutoff: '2001-01-20T04:00:00.000Z' } },
  { at: '2001-02-05T05:00:00.000Z', action: 'user.tier.update', target: 'bob', extra: { old: 'mu', new: 'gov', unbilledJobs: 2, unbilledSatangBefore: '1000', unbilledSatangAfter: '2500' } },
] as const;

describe.skipIf(!!missing)('audit log, playground, receipt and /me in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    // Only Date is faked, so the database keeps its timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const e of PAST) {
        vi.setSystemTime(new Date(e.at));
        await recordAudit(server.app.db, { action: e.action, target: e.target, extra: e.extra } as Parameters<typeof recordAudit>[1], systemMeta('admin'));
      }
    } finally {
      vi.useRealTimers();
    }
    // Something the server records now, with its request.
    await recordAudit(server.app.db, { action: 'auth.login.success', target: 'oper', extra: { method: 'local' } }, { ...systemMeta('oper'), method: 'POST', path: '/auth/login', ip: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await server?.stop();
  });

  it('shows the audit log in Thai: translated actions, targets and details as label/value pairs', async () => {
    const { ctx, page } = await browserFor('oper', 'th');
    for (const lang of LANGS) {
      await setLang(ctx, lang);
      const words = TEXT[lang];
      for (const [viewport, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/admin/audit`);
        await expect.poll(() => page.getByTestId('audit-row').count(), LONG).toBeGreaterThanOrEqual(4);
        await expect.poll(() => page.locator('[data-testid=audit-chain] [data-state=ok]').count(), LONG).toBe(1);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);

        const row = (action: string) => page.locator(`[data-testid=audit-row][data-action="${action}"]`).first();
        expect(await row('auth.login.success').getByTestId('audit-action').innerText()).toBe(words.audit_action_auth_login_success);
        expect(await row('rates.update').getByTestId('audit-action').innerText()).toBe(words.audit_action_rates_update);
        expect(await row('rates.update').getByTestId('audit-target').innerText()).toBe(words.tier_gov);
        expect(await row('receipt.create').getByTestId('audit-target').innerText()).toBe(words.audit_target_receipt.replace('{id}', '9001'));

        const receipt = await row('receipt.create').getByTestId('audit-details').innerText();
        expect(receipt).toContain(words.audit_detail_totalsatang);
        expect(receipt).toContain(`45,107,000.00 ${words.currency_thb}`);
        // Thai dates are in the Buddhist era, 2001 being 2544
        expect(receipt).toContain(lang === 'th' ? '2544' : '2001');
        expect(receipt).not.toContain('{');
        const rates = await row('rates.update').getByTestId('audit-details').innerText();
        expect(rates).toContain(words.audit_detail_cpuperhour);
        expect(rates).toContain(words.audit_value_none);
        const tiers = await row('user.tier.update').getByTestId('audit-details').innerText();
        expect(tiers).toContain(words.tier_gov);
        expect(tiers).toContain(`25.00 ${words.currency_thb}`);
        if (lang === 'th') expect(await page.locator('tbody').innerText()).not.toMatch(/\bSigned in\b|Rates changed/);
        await page.screenshot({ path: shot(`audit-${viewport}-${lang}`), fullPage: viewport === 'desktop' });
      }
    }
    expect(consoleErrors).toEqual([]);
  });

  it('narrows the entries to the chosen days, and refuses a To before From', async () => {
    const { page } = await browserFor('oper', 'en');
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${server.url}/admin/audit`);
    await expect.poll(() => page.getByTestId('audit-row').count(), LONG).toBeGreaterThanOrEqual(4);

    await page.getByTestId('filter-from').fill('2001-01-15');
    await page.getByTestId('filter-to').fill('2001-02-04');
    expect(await page.getByTestId('filter-from-shown').innerText()).toBe('Jan 15, 2001');
    await page.getByTestId('filter-apply').click();
    await page.waitForURL(/from=2001-01-15&to=2001-02-04/, LONG);
    await expect.poll(() => page.locator('[data-testid=audit-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))), LONG).toEqual([
      'receipt.create',
    ]);
    expect(await page.getByTestId('audit-scope').innerText()).toBe('January 15, 2001 to February 4, 2001');
    expect(decodeURIComponent((await page.getByTestId('audit-csv').getAttribute('href'))!)).toMatch(/^\/export\/audit\.csv\?from=2001-01-1[45]T[\d:.]+Z&to=2001-02-0[45]T[\d:.]+Z$/);
    await page.screenshot({ path: shot('audit-filtered-desktop-en') });

    // The last day is included: up to and with 5 February.
    await page.goto(`${server.url}/admin/audit?from=2001-01-15&to=2001-02-05`);
    await expect.poll(() => page.getByTestId('audit-row').count(), LONG).toBe(2);

    await page.goto(`${server.url}/admin/audit?from=2001-02-05&to=2001-01-15`);
    await expect.poll(() => page.getByTestId('filter-dates-invalid').isVisible(), LONG).toBe(true);
    expect(await page.getByTestId('audit-row').count()).toBe(0);
    expect(await page.getByText(TEXT.en.audit_none).count()).toBe(0);
  });

  it('groups the playground estimate in the chosen language and refuses 1e9 with a message', async () => {
    const { ctx, page } = await browserFor('alice', 'en');
    for (const lang of LANGS) {
      await setLang(ctx, lang);
      for (const [viewport, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/playground`);
        await expect.poll(() => page.getByTestId('total-cost').innerText(), LONG).toMatch(/\d\.\d{2}$/);
        await page.getByTestId('input-cpus').fill('4000000');
        await page.getByTestId('input-hours').fill('26000');
        await expect.poll(() => page.getByTestId('total-cost').innerText(), LONG).toMatch(/^\d{1,3}(,\d{3}){3,}\.\d{2}$/);
        expect(await page.getByTestId('cost-cpu').innerText()).toMatch(/^\d{1,3}(,\d{3})+\.\d{2}$/);
        await page.screenshot({ path: shot(`playground-grouped-${viewport}-${lang}`) });

        await page.getByTestId('input-cpus').fill('1e9');
        await expect.poll(() => page.getByTestId('input-cpus-error').isVisible(), LONG).toBe(true);
        expect(await page.getByTestId('input-cpus-error').innerText()).toBe(TEXT[lang].playground_quantity_invalid.replace('{max}', '4,194,304'));
        expect(await page.getByTestId('input-cpus').getAttribute('aria-invalid')).toBe('true');
        expect(await page.getByTestId('total-cost').innerText()).toBe('—');
        for (const bad of ['-1', '4194305', '1,000']) {
          await page.getByTestId('input-cpus').fill(bad);
          await expect.poll(() => page.getByTestId('input-cpus-error').isVisible(), LONG).toBe(true);
        }
        await page.screenshot({ path: shot(`playground-invalid-${viewport}-${lang}`) });
      }
    }
  });

  it('serves the receipt page whole in its first HTML: no Loading…, even without JavaScript', async () => {
    const receipt = await createReceipt(server.app.db, 'dave', new Date(), { ...systemMeta('dave') });
    const { ctx, page } = await browserFor('dave', 'th', { javaScriptEnabled: false });
    for (const lang of LANGS) {
      await setLang(ctx, lang);
      for (const [viewport, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/receipts/${receipt.id}`);
        expect(await page.getByTestId('receipt-item').count()).toBe(await server.app.db.receiptItem.count({ where: { receiptId: receipt.id } }));
        expect(await page.getByTestId('receipt-total').innerText()).toMatch(/\d\.\d{2}$/);
        const body = await page.locator('main').innerText();
        expect(body).not.toContain(TEXT[lang].loading);
        // job states in the page's language
        const state = page.locator('[data-testid=receipt-item] .badge').first();
        const raw = (await state.getAttribute('data-state'))!.split(' ')[0].toLowerCase();
        expect(await state.innerText()).toBe(TEXT[lang][`job_state_${raw}`]);
        await page.screenshot({ path: shot(`receipt-nojs-${viewport}-${lang}`) });
      }
    }
    await page.goto(`${server.url}/receipts/999999`);
    expect(await page.locator('h1').innerText()).toMatch(/404/);
  });

  it('shows one error on /me when the browser cannot reach the API, and no empty-state messages', async () => {
    const { ctx, page } = await browserFor('alice', 'en');
    // The page itself is served; every GraphQL request of the browser is refused at the network, as when the
    // API is down behind a proxy that still serves the app.
    await ctx.route('**/graphql', (route) => route.abort('connectionrefused'));
    for (const lang of LANGS) {
      await setLang(ctx, lang);
      for (const [viewport, size] of Object.entries(VIEWPORTS)) {
        await page.setViewportSize(size);
        await page.goto(`${server.url}/me`);
        await expect.poll(() => page.locator('.alert-error').count(), LONG).toBeGreaterThan(0);
        // give every query of the page the time to fail too
        await expect.poll(() => page.getByText(TEXT[lang].loading).count(), LONG).toBe(0);
        expect(await page.locator('.alert-error').allInnerTexts()).toEqual([TEXT[lang]['errors.network']]);
        expect(await page.getByText(TEXT[lang].data_source_none).count()).toBe(0);
        expect(await page.getByText(TEXT[lang].me_no_jobs).count()).toBe(0);
        await page.screenshot({ path: shot(`me-unreachable-${viewport}-${lang}`) });
      }
    }
    await ctx.unroute('**/graphql');
  });

  it('says "no jobs in this range" for an empty range, and names job states in Thai', async () => {
    const { ctx, page } = await browserFor('alice', 'th');
    for (const lang of LANGS) {
      await setLang(ctx, lang);
      await page.setViewportSize(VIEWPORTS.desktop);
      await page.goto(`${server.url}/me?before=1990-01-01`);
      await expect.poll(() => page.getByTestId('unbilled-total').getAttribute('data-state'), LONG).toBe('none');
      expect(await page.getByTestId('unbilled-total').innerText()).toContain(TEXT[lang].usage_no_jobs_in_range);
      expect(await page.getByTestId('filter-completed-before').getAttribute('lang')).toBe(lang);
      expect(await page.getByTestId('filter-completed-before-shown').innerText()).toContain(lang === 'th' ? '2533' : '1990');
      await page.screenshot({ path: shot(`me-empty-range-desktop-${lang}`) });

      await page.goto(`${server.url}/me`);
      const badge = page.locator('[data-state].badge').first();
      await expect.poll(() => badge.count(), LONG).toBe(1);
      const raw = (await badge.getAttribute('data-state'))!.split(' ')[0].toLowerCase();
      expect(await badge.innerText()).toBe(TEXT[lang][`job_state_${raw}`]);
      await page.setViewportSize(VIEWPORTS.phone);
      await page.screenshot({ path: shot(`me-states-phone-${lang}`) });
    }
  });

  it('takes an operator from the navigation to the read-only rates page', async () => {
    const { page } = await browserFor('oper', 'en');
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${server.url}/admin/audit`);
    await page.getByTestId('nav-rates').click();
    await page.waitForURL(`${server.url}/admin/rates`, LONG);
    expect(await page.getByTestId('nav-rates').innerText()).toContain(TEXT.en.shell_nav_view_only);
  });
});
