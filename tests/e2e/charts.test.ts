import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

const BOM = [0xef, 0xbb, 0xbf];
const CSRF = { 'x-graphql-yoga-csrf': '1' };

let server: Awaited<ReturnType<typeof startServer>>;
let userCtx: BrowserContext;
let operCtx: BrowserContext;
let user: Page;
let oper: Page;
const consoleErrors: string[] = [];

const watch = watchErrors(consoleErrors);

/** The demo's users sign in with their name as the password. */
const login = (page: Page, username: string) => signIn(page, server.url, username, username);

interface ApiRow {
  time: string;
  account: string | null;
  cost: string;
  cpuCost: string;
  gpuCost: string;
  memCost: string;
  costValue: number;
  cpuHours: number;
  gpuHours: number;
}

/** The series as the API gives it to this page's viewer, for the buckets the page shows. */
async function apiSeries(page: Page, times: string[], bucket: 'DAY' | 'MONTH', groupBy: string[] = []): Promise<ApiRow[]> {
  const response = await page.request.post(`${server.url}/graphql`, {
    headers: CSRF,
    data: {
      query: `query ($from: DateTime!, $to: DateTime!, $bucket: SeriesBucket!, $groupBy: [SeriesGroup!]) {
        usageSeries(from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, fillZeros: true) {
          time account cost cpuCost gpuCost memCost costValue cpuHours gpuHours
        }
      }`,
      variables: { from: times[0], to: new Date(Date.parse(times.at(-1)!) + 1).toISOString(), bucket, groupBy },
    },
  });
  const body = await response.json();
  expect(body.errors).toBeUndefined();
  return body.data.usageSeries;
}

/** How the page writes an exact amount: thousands separators, two decimals. */
const money = (amount: string) => {
  const [int, frac = ''] = amount.split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
};
const hours = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** No sideways scrolling at this width: nothing wider than the viewport. */
async function fitsWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** The whole page, and the charts' section alone (readable at full size). */
async function screenshots(page: Page, target: string, name: string, section: string, ready: () => Promise<void>) {
  for (const lang of ['en', 'th'] as const) {
    await page.goto(`${server.url}${target}${target.includes('?') ? '&' : '?'}lang=${lang}`);
    await ready();
    for (const [width, height, size] of [
      [1366, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      await page.setViewportSize({ width, height });
      expect(await fitsWidth(page), `${name} ${lang} ${size} fits`).toBe(true);
      await page.screenshot({ path: shot(`${name}-${lang}-${size}`), fullPage: true });
      await page.getByTestId(section).screenshot({ path: shot(`${name}-${lang}-${size}-charts`) });
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  }
  await page.goto(`${server.url}/me?lang=en`);
}

describe.skipIf(!!missing)('usage charts in the browser', () => {
  beforeAll(async () => {
    server = await startServer();
    userCtx = await newBrowser();
    operCtx = await newBrowser();
    user = watch(await userCtx.newPage());
    oper = watch(await operCtx.newPage());
  });
  afterAll(async () => {
    await userCtx?.close();
    await operCtx?.close();
    await server?.stop();
  });

  it('renders the user’s own cost by resource on the server, with the API’s numbers in its table and CSV', async () => {
    await login(user, 'alice');

    // The first HTML already holds the bars: no loading state, nothing drawn only after the JavaScript runs.
    const html = await (await user.request.get(`${server.url}/me?range=12m`)).text();
    expect(html).toMatch(/<rect class="bar fill-0/);
    expect(html).toContain('data-testid="chart-cost-table"');

    // Without the app's JavaScript and with it, the same bars in boxes of the same size: hydrating moves nothing.
    const measure = (page: Page) =>
      page.getByTestId('chart-cost').evaluate((figure) => ({
        bars: figure.querySelectorAll('rect.bar').length,
        plot: figure.querySelector('.plot')!.getBoundingClientRect().height,
        figure: figure.getBoundingClientRect().height,
      }));
    const bare = await userCtx.newPage();
    let blocked = 0;
    await bare.route(/\/_app\/immutable\/.*\.js$/, (route) => {
      blocked += 1;
      return route.abort();
    });
    await bare.goto(`${server.url}/me?range=12m`);
    const serverRendered = await measure(bare);
    expect(blocked).toBeGreaterThan(0);
    await bare.close();
    await user.goto(`${server.url}/me?range=12m`);
    await user.waitForLoadState('networkidle');
    expect(await measure(user)).toEqual(serverRendered);
    expect(serverRendered.bars).toBeGreaterThan(0);

    const chart = user.getByTestId('chart-cost');
    const rows = chart.getByTestId('chart-cost-row');
    expect(await rows.count()).toBe(12);
    const times = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-time')!));
    const api = await apiSeries(user, times, 'MONTH');
    expect(api.map((r) => r.time)).toEqual(times);
    expect(api.some((r) => r.costValue > 0)).toBe(true);

    // One stack of bars per month with a cost, one label per month.
    const barBuckets = await chart.locator('rect.bar').evaluateAll((rects) => new Set(rects.map((r) => r.getAttribute('data-bucket'))).size);
    expect(barBuckets).toBe(api.filter((r) => r.costValue > 0).length);
    expect(await chart.locator('text.x-tick').count()).toBe(12);
    expect(await chart.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/cost per month/i);

    // The table (folded under the chart) holds the API's exact amounts.
    await chart.getByTestId('chart-cost-table-toggle').click();
    for (const [i, r] of api.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      // the total first, beside the month, then its parts
      expect(cells).toEqual([money(r.cost), money(r.cpuCost), money(r.gpuCost), money(r.memCost)]);
    }
    const cpu = user.getByTestId('chart-cpu-hours');
    await cpu.getByTestId('chart-cpu-hours-table-toggle').click();
    expect(await cpu.getByTestId('chart-cpu-hours-row').locator('td').allInnerTexts()).toEqual(api.map((r) => hours(r.cpuHours)));
    await user.screenshot({ path: shot('charts-me-table'), fullPage: true });

    // The CSV link downloads the same rows.
    const [download] = await Promise.all([user.waitForEvent('download'), chart.getByTestId('chart-cost-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^usage-alice-\d{4}-\d{2}-01-\d{4}-\d{2}-01\.csv$/);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual(BOM);
    const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^bucket start \(UTC\),date,jobs,/);
    expect(lines.slice(1).map((line) => line.split(','))).toEqual(
      api.map((r) => [r.time, expect.any(String), expect.any(String), expect.any(String), expect.any(String), expect.any(String), expect.any(String), r.cpuCost, r.gpuCost, r.memCost, r.cost]),
    );
  });

  it('shows the last 30 days by day, a custom window, and an honest empty window', async () => {
    await user.goto(`${server.url}/me`);
    const rows = user.getByTestId('chart-cost-row');
    expect(await rows.count()).toBe(30);
    expect(await user.getByTestId('chart-cost').locator('text.x-tick').count()).toBe(30);

    await user.getByTestId('chart-window-from').fill('2026-01-01');
    await user.getByTestId('chart-window-to').fill('2026-01-10');
    await user.getByTestId('chart-window-apply').click();
    await user.waitForURL(/range=custom&from=2026-01-01&to=2026-01-10/);
    // No jobs so early in the demo data: a message, not a flat or zero-height chart.
    await expect.poll(() => user.getByTestId('chart-cost-empty').isVisible()).toBe(true);
    expect(await user.getByTestId('chart-cost').locator('rect.bar').count()).toBe(0);
    expect(await user.getByTestId('chart-cost-empty').innerText()).toMatch(/no finished jobs/i);

    await user.goto(`${server.url}/me?range=custom&from=2026-07-01&to=2026-05-01`);
    expect(await user.getByTestId('chart-window-invalid').isVisible()).toBe(true);
    expect(await rows.count()).toBe(30);
  });

  it('lets nobody download someone else’s series', async () => {
    expect((await user.request.get(`${server.url}/me/series.csv?user=bob`)).status()).toBe(403);
    expect((await user.request.get(`${server.url}/admin/usage/series.csv?user=bob`)).status()).toBe(403);
    expect((await user.request.get(`${server.url}/admin/usage/series.csv?kind=top`)).status()).toBe(403);
    const own = await user.request.get(`${server.url}/me/series.csv?user=alice`);
    expect(own.status()).toBe(200);
    expect(own.headers()['content-disposition']).toMatch(/^attachment; filename="usage-alice-/);
    const anonymous = await newBrowser();
    try {
      expect((await anonymous.request.get(`${server.url}/me/series.csv`)).status()).toBe(401);
      expect((await anonymous.request.get(`${server.url}/admin/usage/series.csv`)).status()).toBe(401);
    } finally {
      await anonymous.close();
    }
  });

  it('shows an operator everyone’s usage grouped by account, tier or partition, and the top users', async () => {
    await login(oper, 'oper');
    await oper.goto(`${server.url}/admin/usage?range=12m`);
    const chart = oper.getByTestId('chart-grouped');
    expect(await chart.getByTestId('chart-grouped-row').count()).toBe(12);
    expect(await chart.locator('rect.bar').count()).toBeGreaterThan(0);
    const accounts = await chart.locator('.legend li').allInnerTexts();
    expect(accounts.length).toBeGreaterThan(1);

    const times = await chart.getByTestId('chart-grouped-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-time')!));
    const api = await apiSeries(oper, times, 'MONTH', ['account']);
    const byTime = (t: string) => api.filter((r) => r.time === t);
    await chart.getByTestId('chart-grouped-table-toggle').click();
    for (const [i, t] of times.entries()) {
      const total = byTime(t).reduce((n, r) => n + Math.round(Number(r.cost) * 100), 0);
      const cell = await chart.getByTestId('chart-grouped-row').nth(i).locator('td[data-series="total"]').innerText();
      expect(cell).toBe(money((total / 100).toFixed(2)));
    }

    const top = oper.getByTestId('top-user-row');
    expect(await top.count()).toBeGreaterThan(1);
    const users = await top.locator('th').allInnerTexts();
    expect(users).toContain('alice');
    const [download] = await Promise.all([oper.waitForEvent('download'), oper.getByTestId('top-users-csv').click()]);
    const csv = (await readFile((await download.path())!)).toString('utf8');
    expect(csv.slice(1).split('\r\n')[0]).toBe('rank,user,jobs,CPU-hours,GPU-hours,cost (THB)');
    expect(csv).toContain(',alice,');

    await oper.getByTestId('chart-group-tier').click();
    await oper.waitForURL(/chartGroup=tier/);
    await expect.poll(() => chart.locator('.legend li').allInnerTexts()).toEqual(expect.arrayContaining(['MU (internal)']));
    await oper.getByTestId('chart-measure-gpuHours').click();
    await oper.waitForURL(/measure=gpuHours/);
    await expect.poll(() => oper.getByTestId('top-users').locator('h3').innerText()).toMatch(/GPU-hours/);
    const series = await oper.request.get(`${server.url}/admin/usage/series.csv?range=12m&chartGroup=partition`);
    expect(series.status()).toBe(200);
    expect((await series.text()).slice(1).split('\r\n')[0]).toMatch(/^bucket start \(UTC\),date,partition,jobs,/);
  });

  it('looks right on a laptop and a phone, in English and Thai', async () => {
    await screenshots(user, '/me?range=12m', 'charts-me-12m', 'own-charts', async () => {
      await user.getByTestId('chart-cost').waitFor();
    });
    await screenshots(user, '/me', 'charts-me-30d', 'own-charts', async () => {
      await user.getByTestId('chart-cost').waitFor();
    });
    await screenshots(oper, '/admin/usage?range=12m', 'charts-admin-usage', 'staff-charts', async () => {
      await oper.getByTestId('chart-grouped').waitFor();
    });
    // The fills and their patterns against the dark surface too.
    await user.emulateMedia({ colorScheme: 'dark' });
    await user.goto(`${server.url}/me?range=12m`);
    await user.getByTestId('own-charts').screenshot({ path: shot('charts-me-12m-en-dark-charts') });
    await user.emulateMedia({ colorScheme: 'light' });
    expect(consoleErrors).toEqual([]);
  });
});
