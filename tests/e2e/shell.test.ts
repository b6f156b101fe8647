import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import shellEn from '../../web/src/lib/i18n/locales/shell.en.json' with { type: 'json' };
import shellTh from '../../web/src/lib/i18n/locales/shell.th.json' with { type: 'json' };
import en from '../../web/src/lib/i18n/locales/en.json' with { type: 'json' };
import th from '../../web/src/lib/i18n/locales/th.json' with { type: 'json' };
import { ensureChromium, newBrowser, shot, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

type Role = 'user' | 'operator' | 'admin';
type Lang = 'en' | 'th';
const VIEWPORTS = {
  desktop: { width: 1366, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
type ViewportName = keyof typeof VIEWPORTS;
const TEXT = { en: { ...en, ...shellEn }, th: { ...th, ...shellTh } };

const ACCOUNTS: Record<Role, [string, string]> = { user: ['alice', 'alice'], operator: ['oper', 'oper'], admin: ['admin', ADMIN_PASSWORD] };
const STAFF_LINKS = ['nav-rates', 'nav-usage', 'nav-billing', 'nav-audit', 'nav-users', 'nav-my-usage', 'nav-receipts', 'nav-playground'];
const USER_LINKS = ['nav-my-usage', 'nav-receipts', 'nav-playground'];

/** The main pages of each role, each with a test id that shows its data has arrived. */
function pagesOf(role: Role): [string, string][] {
  const own: [string, string][] = [
    ['/receipts', 'receipts-outstanding'],
    [`/receipts/${receiptId}`, 'receipt-item'],
    ['/playground', 'total-cost'],
    ['/settings/tokens', 'token-form'],
  ];
  if (role === 'user') return [['/me', 'job-row'], ...own];
  return [
    ['/admin/rates', 'rate-save-mu'],
    ['/admin/usage', 'usage-aggregate-row'],
    ['/admin/my-usage', 'jobs-table'],
    ['/admin/billing', 'billing-outstanding'],
    ['/admin/audit', 'audit-row'],
    ...own.filter(([p]) => !p.startsWith('/receipts/')),
  ];
}

let server: Awaited<ReturnType<typeof startServer>>;
const contexts: Partial<Record<Role, BrowserContext>> = {};
let receiptId = 0;
/** Console errors of every page (CSP violations show up here), checked at the end. */
const consoleErrors: string[] = [];

const watch = watchErrors(consoleErrors);

async function signedIn(role: Role): Promise<Page> {
  let ctx = contexts[role];
  if (!ctx) {
    ctx = contexts[role] = await newBrowser();
    const page = watch(await ctx.newPage());
    const [username, password] = ACCOUNTS[role];
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/username|ชื่อผู้ใช้/i).fill(username);
    await page.getByLabel(/password|รหัสผ่าน/i).fill(password);
    await page.getByRole('button', { name: /log in|sign in|เข้าสู่ระบบ/i }).click();
    await page.waitForURL(`${server.url}/playground`);
    return page;
  }
  return watch(await ctx.newPage());
}

const pathOf = (page: Page) => new URL(page.url()).pathname;
const slug = (p: string) => p.replace(/^\//, '').replace(/\/\d+$/, '-id').replace(/\//g, '-');

/** Waits until a page's CSS transitions (the drawer sliding) have finished. */
const settled = (page: Page) =>
  expect.poll(() => page.evaluate(() => document.getAnimations().filter((a) => a instanceof CSSTransition && a.playState === 'running').length)).toBe(0);

/** What would be clipped or would scroll sideways: the top bar's parts outside the bar or the screen, a page wider than the screen. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw) problems.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${vw}px screen`);
    const bar = document.querySelector('.topbar-inner') as HTMLElement;
    const barBox = bar.getBoundingClientRect();
    if (bar.scrollWidth > bar.clientWidth) problems.push(`the top bar scrolls: ${bar.scrollWidth} > ${bar.clientWidth}`);
    const parts = bar.querySelectorAll<HTMLElement>('.menu-button, .brand, .tools > *, .app-nav:not(.sidebar) a');
    for (const part of parts) {
      // the drawer and the sidebar hang below the bar
      const nav = part.closest('.app-nav');
      if (nav && getComputedStyle(nav).position === 'fixed') continue;
      const style = getComputedStyle(part);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const box = part.getBoundingClientRect();
      const name = `${part.tagName.toLowerCase()}.${part.className.split(' ')[0]} "${part.textContent?.trim().slice(0, 30)}"`;
      if (box.left < barBox.left || box.right > Math.min(barBox.right, vw) + 0.5 || box.top < barBox.top || box.bottom > barBox.bottom + 0.5) {
        problems.push(`${name} is outside the top bar: ${JSON.stringify(box)}`);
      }
      if (part.scrollWidth > part.clientWidth + 1) problems.push(`${name} is cut: ${part.scrollWidth} > ${part.clientWidth}`);
    }
    return problems;
  });
}

/** On a phone: every table's money column (Cost, Total) shows within the table's box, with no sideways scrolling. */
async function hiddenKeyColumns(page: Page, lang: Lang): Promise<string[]> {
  const labels = [TEXT[lang].col_cost, TEXT[lang].col_total];
  return page.evaluate((labels) => {
    const problems: string[] = [];
    // A chart's table is folded under it: measured as it shows when unfolded.
    const folded = [...document.querySelectorAll<HTMLDetailsElement>('details:not([open])')];
    for (const d of folded) d.open = true;
    for (const wrap of document.querySelectorAll<HTMLElement>('.table-wrap')) {
      const table = wrap.querySelector('table');
      if (!table || wrap.getClientRects().length === 0) continue;
      const box = wrap.getBoundingClientRect();
      for (const th of table.querySelectorAll<HTMLElement>('thead th')) {
        if (!labels.some((l) => th.textContent?.includes(l))) continue;
        const cell = th.getBoundingClientRect();
        const name = `"${th.textContent?.trim()}" of "${table.caption?.textContent?.trim() ?? table.dataset.testid ?? ''}"`;
        if (getComputedStyle(th).display === 'none') problems.push(`${name} is left out`);
        else if (cell.right > box.right + 1 || cell.left < box.left - 1) problems.push(`${name} is outside its table's box: ${Math.round(cell.right)} > ${Math.round(box.right)}`);
      }
    }
    for (const d of folded) d.open = false;
    return problems;
  }, labels);
}

/** axe-core's serious and critical findings; the scrollable-region rule (keyboard reach) is one of them. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<AxeResults> } }).axe;
    type AxeResults = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[]; passes: { id: string }[]; inapplicable: { id: string }[] };
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })),
      ran: [...r.passes, ...r.inapplicable, ...r.violations].map((x) => x.id),
    };
  });
  expect(results.ran).toContain('scrollable-region-focusable');
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

async function openOnPhone(role: Role, target: string): Promise<Page> {
  const page = await signedIn(role);
  await page.setViewportSize(VIEWPORTS.phone);
  await page.goto(`${server.url}/i18n/set?lang=en&next=${encodeURIComponent(target)}`);
  expect(pathOf(page)).toBe(target);
  return page;
}

describe.skipIf(!!missing)('the application shell in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    receiptId = (await createReceipt(server.app.db, 'alice', new Date(), { actor: 'alice', ip: null, userAgent: null, method: null, path: null })).id;
  });
  afterAll(async () => {
    for (const ctx of Object.values(contexts)) await ctx?.close();
    await server?.stop();
  });

  for (const role of ['user', 'operator', 'admin'] as const) {
    for (const viewport of ['desktop', 'phone'] as const satisfies ViewportName[]) {
      it(`renders every main page of a ${role} on a ${viewport} in English and Thai`, { timeout: 600_000 }, async () => {
        const page = await signedIn(role);
        await page.setViewportSize(VIEWPORTS[viewport]);
        for (const lang of ['en', 'th'] as const satisfies Lang[]) {
          for (const [target, ready] of pagesOf(role)) {
            await page.goto(`${server.url}/i18n/set?lang=${lang}&next=${encodeURIComponent(target)}`);
            expect(pathOf(page)).toBe(target);
            await expect.poll(() => page.getByTestId(ready).count(), { timeout: 30_000 }).toBeGreaterThan(0);
            expect(await page.getAttribute('html', 'lang')).toBe(lang);
            await expect.poll(() => page.locator('main h1').first().isVisible()).toBe(true);
            await page.screenshot({ path: shot(`shell-${role}-${viewport}-${lang}-${slug(target)}`) });

            const links = role === 'user' ? USER_LINKS : STAFF_LINKS;
            for (const link of links) expect(await page.getByTestId(link).count(), link).toBe(1);
            if (role === 'user') expect(await page.getByTestId('nav-billing').count()).toBe(0);

            const nav = page.getByTestId('app-nav');
            const menuButton = page.getByTestId('menu-button');
            if (viewport === 'desktop') {
              expect(await menuButton.isVisible()).toBe(false);
              expect(await nav.isVisible()).toBe(true);
              const navBox = (await nav.boundingBox())!;
              const mainBox = (await page.locator('main').boundingBox())!;
              if (role === 'user') {
                // a row in the top bar
                expect(navBox.y + navBox.height).toBeLessThanOrEqual(((await page.locator('.topbar').boundingBox())!).height + 1);
              } else {
                // a sidebar down the left edge, the page beside it
                expect(navBox.x).toBe(0);
                expect(navBox.height).toBeGreaterThan(VIEWPORTS.desktop.height - 100);
                expect(mainBox.x).toBeGreaterThanOrEqual(navBox.width - 1);
                expect(await page.getByTestId('nav-users').innerText()).toContain(TEXT[lang].shell_nav_users);
                expect(await page.getByTestId('nav-rates').innerText()).toContain(role === 'admin' ? TEXT[lang].shell_nav_change_rate : TEXT[lang].shell_nav_view_only);
              }
            } else {
              expect(await menuButton.isVisible()).toBe(true);
              expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
              expect(await nav.isVisible()).toBe(false);
            }
            expect(await layoutProblems(page), `${target} ${lang}`).toEqual([]);
            if (viewport === 'phone') expect(await hiddenKeyColumns(page, lang), `${target} ${lang}`).toEqual([]);
            expect(await axeProblems(page), `${target} ${lang}`).toEqual([]);
          }
        }
        await page.goto(`${server.url}/i18n/set?lang=en&next=/playground`);
        await page.close();
      });
    }
  }

  it('shows the sign-in page over the waves on a desktop and a phone, in both languages', async () => {
    const ctx = await newBrowser();
    try {
      const page = watch(await ctx.newPage());
      for (const viewport of ['desktop', 'phone'] as const) {
        await page.setViewportSize(VIEWPORTS[viewport]);
        for (const lang of ['en', 'th'] as const) {
          await page.goto(`${server.url}/i18n/set?lang=${lang}&next=/login`);
          await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
          expect(await page.getByTestId('backdrop').count()).toBe(1);
          expect(await page.getByTestId('menu-button').count()).toBe(0);
          expect(await layoutProblems(page)).toEqual([]);
          expect(await axeProblems(page)).toEqual([]);
          await page.screenshot({ path: shot(`shell-anonymous-${viewport}-${lang}-login`) });
        }
      }
    } finally {
      await ctx.close();
    }
  });

  it('keeps the shell readable in dark mode', async () => {
    const page = await signedIn('admin');
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const viewport of ['desktop', 'phone'] as const) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      await page.goto(`${server.url}/i18n/set?lang=th&next=/admin/usage`);
      await expect.poll(() => page.getByTestId('usage-aggregate-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await layoutProblems(page)).toEqual([]);
      expect(await axeProblems(page)).toEqual([]);
      await page.screenshot({ path: shot(`shell-dark-${viewport}-th-admin-usage`) });
    }
    await page.goto(`${server.url}/i18n/set?lang=en&next=/playground`);
    await page.close();
  });

  it('opens the drawer from the keyboard, moves focus into it and back, and closes it with Escape', async () => {
    const page = await openOnPhone('operator', '/admin/audit');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(0);
    const button = page.getByTestId('menu-button');
    expect(await button.getAttribute('aria-controls')).toBe('app-nav');
    expect(await page.evaluate(() => document.getElementById('app-nav')?.tagName)).toBe('NAV');
    expect(await button.evaluate((el) => el.tagName)).toBe('BUTTON');

    // skip link, then the menu button
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.getByTestId('app-nav').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('#app-nav') !== null)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-rates');
    expect((await button.textContent())?.trim()).toBe(TEXT.en.shell_menu_close);
    // the page behind takes no focus or clicks and does not scroll
    expect(await page.locator('.content').getAttribute('inert')).not.toBeNull();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('hidden');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-usage');
    await settled(page);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: shot('shell-drawer-open-operator') });

    await page.keyboard.press('Escape');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await settled(page);
    expect(await page.getByTestId('app-nav').isVisible()).toBe(false);
    expect(await page.locator('.content').getAttribute('inert')).toBeNull();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).overflow)).toBe('visible');
    // closed, none of its links is in the tab order
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('#app-nav'))).toBeNull();

    // Space opens it too, and the button closes it again
    await button.focus();
    await page.keyboard.press(' ');
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.close();
  });

  it('closes the drawer on a click outside it, keeps the page behind still, and follows its links', async () => {
    const page = await openOnPhone('admin', '/admin/audit');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(0);
    const button = page.getByTestId('menu-button');
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);

    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    await settled(page);
    await page.screenshot({ path: shot('shell-drawer-open-admin') });
    // A wheel over the dimmed page: nothing scrolls. (With the drawer closed the same wheel scrolls, below.)
    await page.mouse.move(370, 600);
    await page.mouse.wheel(0, 800);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    await page.mouse.click(370, 600);
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
    await settled(page);
    expect(await page.getByTestId('app-nav').isVisible()).toBe(false);
    await page.mouse.move(200, 600);
    await page.mouse.wheel(0, 800);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

    // a link in the drawer goes to its page and closes the drawer
    await button.click();
    await expect.poll(() => page.getByTestId('nav-billing').isVisible()).toBe(true);
    await page.getByTestId('nav-billing').click();
    await page.waitForURL(`${server.url}/admin/billing`);
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.documentElement.classList.contains('drawer-open'))).toBe(false);
    expect(await page.getByTestId('nav-billing').getAttribute('aria-current')).toBe('page');

    // widening the window to a desktop turns the open drawer into the sidebar, with nothing left locked
    await button.click();
    await expect.poll(() => button.getAttribute('aria-expanded')).toBe('true');
    await page.setViewportSize(VIEWPORTS.desktop);
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('drawer-open'))).toBe(false);
    expect(await page.locator('.content').getAttribute('inert')).toBeNull();
    expect(await page.getByTestId('app-nav').isVisible()).toBe(true);
    await page.close();
  });

  it('lets the waves drift, and holds them (and the drawer) still under prefers-reduced-motion', async () => {
    const page = await openOnPhone('user', '/playground');
    const running = () => page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length);
    const waveAnimations = () =>
      page.evaluate(() => [...document.querySelectorAll('[data-testid="backdrop"] svg')].map((el) => getComputedStyle(el).animationName));
    await expect.poll(running).toBeGreaterThanOrEqual(3);
    expect(await waveAnimations()).toEqual(expect.arrayContaining([expect.not.stringMatching(/^none$/)]));
    await page.screenshot({ path: shot('shell-waves-moving') });

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    await expect.poll(() => page.getByTestId('total-cost').count()).toBeGreaterThan(0);
    expect(await waveAnimations()).toEqual(['none', 'none', 'none']);
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
    // the drawer appears at once instead of sliding
    await page.getByTestId('menu-button').click();
    await expect.poll(() => page.getByTestId('app-nav').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);
    await page.screenshot({ path: shot('shell-waves-still') });
    await page.emulateMedia({ reducedMotion: null });
    await page.close();
  });

  it('switches the language at /i18n/set and comes back to a page of this site', async () => {
    const page = await signedIn('user');
    const ctx = page.context();
    await page.goto(`${server.url}/i18n/set?lang=th&next=/me`);
    expect(pathOf(page)).toBe('/me');
    expect(await page.getAttribute('html', 'lang')).toBe('th');
    await expect.poll(() => page.getByTestId('nav-my-usage').innerText()).toBe(TEXT.th.nav_my_usage);
    const cookie = (await ctx.cookies(server.url)).find((c) => c.name === 'lang');
    expect(cookie).toMatchObject({ value: 'th', path: '/', sameSite: 'Lax', httpOnly: false });

    // the in-page switch writes the same cookie, so it can replace the one the server set
    await page.getByTestId('lang-en').click();
    await expect.poll(async () => (await ctx.cookies(server.url)).find((c) => c.name === 'lang')?.value).toBe('en');
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // Pointing at the other language (a hover preloads links) switches nothing; only following the link does.
    await page.getByTestId('lang-th').hover();
    await page.waitForLoadState('networkidle');
    expect((await ctx.cookies(server.url)).find((c) => c.name === 'lang')?.value).toBe('en');
    const preload = await ctx.request.get(`${server.url}/me/__data.json?lang=th`, { maxRedirects: 0 });
    expect(preload.status()).toBe(200);
    expect(preload.headers()['set-cookie'] ?? '').not.toMatch(/lang=/);

    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      await page.goto(`${server.url}/i18n/set?lang=th&next=${encodeURIComponent(next)}`);
      expect(new URL(page.url()).origin, next).toBe(server.url);
      expect(await page.getAttribute('html', 'lang')).toBe('th');
    }
    const noFollow = { maxRedirects: 0 };
    const location = async (query: string, headers: Record<string, string> = {}) => {
      const response = await ctx.request.get(`${server.url}/i18n/set?${query}`, { ...noFollow, headers });
      expect(response.status(), query).toBe(303);
      return response.headers().location;
    };
    expect(await location('lang=en&redirect=/receipts')).toBe('/receipts');
    expect(await location('lang=en&next=//evil.example')).toBe('/');
    expect(await location('lang=en', { referer: `${server.url}/settings/tokens` })).toBe('/settings/tokens');
    expect(await location('lang=en&next=https://evil.example', { referer: 'https://evil.example/x' })).toBe('/');

    for (const accept of ['application/json', 'text/html']) {
      const unknown = await ctx.request.get(`${server.url}/i18n/set?lang=fr&next=/me`, { ...noFollow, headers: { accept } });
      expect(unknown.status(), accept).toBe(400);
      expect(await unknown.text(), accept).toMatch(/unknown language \\?"fr/i);
    }
    await page.close();
  });

  it('serves /favicon.ico as an icon and names it in the page head', async () => {
    const page = await signedIn('user');
    const response = await page.request.get(`${server.url}/favicon.ico`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^image\//);
    expect([...(await response.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    await page.goto(`${server.url}/receipts/${receiptId}`);
    const icons = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
    expect(icons).toContain(`${server.url}/favicon.ico`);
    for (const href of icons) expect((await page.request.get(href)).status(), href).toBe(200);
    await page.close();
  });

  it('logs no errors in any page (nothing blocked by the CSP)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
