import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn, watchErrors } from './browser.ts';
import { ADMIN_PASSWORD, startServer } from './server.ts';

const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

const WAIT = { timeout: 20_000 };
const DEMO_CSV = path.resolve(import.meta.dirname, '../../server/demo/jobs.csv');

/**
 * A stand-in for sacct on a second cluster: one of alice's jobs for each window it is asked (from -S to -E), slow
 * while one flag file exists, so a sync's progress can be watched chunk by chunk, and failing while the other does.
 */
function fakeSacct(dir: string, slowFlag: string, failFlag: string): string {
  const file = path.join(dir, 'sacct');
  writeFileSync(
    file,
    `#!/bin/sh
S=""; E=""
while [ $# -gt 0 ]; do
  case "$1" in
    -S) S="$2"; shift ;;
    -E) E="$2"; shift ;;
  esac
  shift
done
[ -f "${slowFlag}" ] && sleep 0.7
if [ -f "${failFlag}" ]; then
  echo "sacct: error: Problem talking to the database: Connection refused" >&2
  exit 1
fi
ID=$(echo "$S" | tr -dc 0-9 | cut -c3-14)
printf 'Cluster\\037JobID\\037JobIDRaw\\037User\\037Account\\037Partition\\037State\\037Submit\\037Start\\037End\\037Elapsed\\037ElapsedRaw\\037TotalCPU\\037ReqTRES\\037AllocTRES\\037JobName\\n'
printf 'beta\\037%s\\037%s\\037alice\\037physics\\037gpu\\037COMPLETED\\037%s\\037%s\\037%s\\03701:00:00\\0373600\\03702:00:00\\037billing=2,cpu=2,mem=4096M,node=1\\037billing=2,cpu=2,mem=4096M,node=1\\037md_run\\n' "$ID" "$ID" "$S" "$S" "$E"
`,
  );
  chmodSync(file, 0o755);
  return file;
}

const pad = (n: number) => String(n).padStart(2, '0');
const localInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

let server: Awaited<ReturnType<typeof startServer>>;
let dir: string;
let slowFlag: string;
let failFlag: string;
let adminCtx: BrowserContext;
let operCtx: BrowserContext;
let admin: Page;
let oper: Page;
const consoleErrors: string[] = [];
const watch = watchErrors(consoleErrors);

describe.skipIf(!!missing)('syncs from Slurm in the browser, on two clusters', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-e2e-sacct-'));
    slowFlag = path.join(dir, 'slow');
    failFlag = path.join(dir, 'fail');
    server = await startServer({
      SLURM_SOURCES: '',
      CLUSTERS: 'alpha,beta',
      CLUSTER_ALPHA_JOBS_CSV: DEMO_CSV,
      CLUSTER_BETA_SLURM_SOURCES: 'sacct',
      CLUSTER_BETA_SACCT_PATH: fakeSacct(dir, slowFlag, failFlag),
      // the demo's jobs are from the last few months: a day per chunk back from there, not from 1970
      SYNC_INITIAL_DAYS: '200',
    });
    adminCtx = await newBrowser();
    operCtx = await newBrowser();
    admin = watch(await adminCtx.newPage());
    oper = watch(await operCtx.newPage());
    await admin.setViewportSize({ width: 1366, height: 900 });
    await signIn(admin, server.url, 'admin', ADMIN_PASSWORD);
    await signIn(oper, server.url, 'oper', 'oper');
  }, 120_000);
  afterAll(async () => {
    await adminCtx?.close();
    await operCtx?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows each cluster’s state and the startup runs', async () => {
    await admin.goto(`${server.url}/admin/sync`);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(2);
    for (const name of ['alpha', 'beta']) {
      expect(await admin.getByTestId(`sync-cluster-${name}`).getByTestId('sync-watermark').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }
    expect(await admin.getByTestId('sync-run').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['ok', 'ok']);
    expect(await admin.getByTestId('sync-form').isVisible()).toBe(true);
    expect(await admin.getByTestId('sync-cluster').isVisible()).toBe(true);
    // The attempts open on a click.
    const attempts = admin.getByTestId('sync-run-attempts').first();
    await attempts.locator('summary').click();
    expect(await attempts.getAttribute('open')).not.toBeNull();
    await admin.screenshot({ path: shot('sync-admin'), fullPage: true });
  });

  it('starts a sync of one cluster, shows its progress, then the new run at the top of the table', async () => {
    await admin.goto(`${server.url}/admin/sync`);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(2);
    const now = new Date();
    await admin.getByTestId('sync-from').fill(localInput(new Date(now.getTime() - 5 * 86_400_000)));
    await admin.getByTestId('sync-to').fill(localInput(now));
    await admin.getByTestId('sync-cluster').selectOption('beta');
    writeFileSync(slowFlag, '');
    try {
      await admin.getByTestId('sync-submit').click();
      const progress = admin.getByTestId('sync-progress');
      await expect.poll(() => progress.count(), WAIT).toBe(1);
      await expect.poll(async () => /^[1-9]\d* of \d+ chunks$/.test(await progress.getByTestId('sync-progress-chunks').innerText()), WAIT).toBe(true);
      expect(await progress.innerText()).toMatch(/beta/);
      expect(await progress.getByTestId('sync-progress-jobs').innerText()).toMatch(/jobs? stored/);
      await admin.screenshot({ path: shot('sync-progress'), fullPage: true });
      await expect.poll(() => admin.getByTestId('sync-done').isVisible(), { timeout: 60_000 }).toBe(true);
    } finally {
      rmSync(slowFlag, { force: true });
    }
    expect(await admin.getByTestId('sync-done').innerText()).toMatch(/Sync finished: \d+ jobs? stored in 1 run/);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(3);
    const newest = admin.getByTestId('sync-run').first();
    expect(await newest.getAttribute('data-status')).toBe('ok');
    expect(await newest.innerText()).toMatch(/beta/);
    expect(await newest.innerText()).toMatch(/Admin/);
    expect(Number(await newest.getByTestId('sync-run-jobs').innerText())).toBeGreaterThan(0);
    await expect.poll(() => admin.getByTestId('sync-progress').count(), WAIT).toBe(0);
    await admin.screenshot({ path: shot('sync-done'), fullPage: true });
  });

  it('filters the runs by cluster and status', async () => {
    await admin.goto(`${server.url}/admin/sync?cluster=beta`);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(2);
    await admin.goto(`${server.url}/admin/sync?status=partial`);
    await expect.poll(() => admin.getByText('No run matches these filters.').isVisible(), WAIT).toBe(true);
  });

  it('tells an admin why a sync failed, in the page’s words and, in the table, in Slurm’s', async () => {
    await admin.goto(`${server.url}/admin/sync`);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(3);
    const now = new Date();
    await admin.getByTestId('sync-from').fill(localInput(new Date(now.getTime() - 2 * 86_400_000)));
    await admin.getByTestId('sync-cluster').selectOption('beta');
    writeFileSync(failFlag, '');
    try {
      await admin.getByTestId('sync-submit').click();
      await expect.poll(() => admin.getByTestId('sync-error').isVisible(), { timeout: 60_000 }).toBe(true);
    } finally {
      rmSync(failFlag, { force: true });
    }
    expect(await admin.getByTestId('sync-error').innerText()).toBe('Job data from Slurm is unavailable right now. Try again later.');
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(4);
    const newest = admin.getByTestId('sync-run').first();
    expect(await newest.getAttribute('data-status')).toBe('failed');
    expect(await newest.getByTestId('sync-run-reason').innerText()).toMatch(/Connection refused/);
    await newest.getByTestId('sync-run-attempts').locator('summary').click();
    // A full-page shot from the top: scrolled, the sticky bar would be drawn midway down.
    await admin.evaluate(() => window.scrollTo(0, 0));
    await admin.screenshot({ path: shot('sync-failed'), fullPage: true });
  });

  it('reads in Thai', async () => {
    await admin.goto(`${server.url}/admin/sync?lang=th`);
    await expect.poll(() => admin.getByTestId('sync-run').count(), WAIT).toBe(4);
    expect(await admin.locator('h1').innerText()).toBe('การซิงค์ข้อมูลจาก Slurm');
    expect(await admin.locator('body').innerText()).not.toMatch(/sync_[a-z_]+/);
    await admin.screenshot({ path: shot('sync-admin-th'), fullPage: true });
    await admin.goto(`${server.url}/admin/sync?lang=en`);
  });

  it('lets an operator read the page, without the form', async () => {
    await oper.goto(`${server.url}/admin/sync`);
    await expect.poll(() => oper.getByTestId('sync-read-only').isVisible(), WAIT).toBe(true);
    expect(await oper.getByTestId('sync-form').count()).toBe(0);
    expect(await oper.getByTestId('sync-run').count()).toBeGreaterThan(0);
    await oper.screenshot({ path: shot('sync-operator'), fullPage: true });
  });

  it('lists a scheduled sync as soon as it ends, without a reload', async () => {
    await oper.goto(`${server.url}/admin/sync`);
    await expect.poll(() => oper.getByTestId('sync-run').count(), WAIT).toBe(4);
    await expect.poll(() => oper.getByTestId('sync-live').getAttribute('data-connected'), WAIT).toBe('true');
    await server.app.syncNow('interval');
    await expect.poll(() => oper.getByTestId('sync-run').count(), WAIT).toBe(6);
    const triggers = await oper.getByTestId('sync-run').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.textContent ?? ''));
    for (const text of triggers) expect(text).toMatch(/Schedule/);
  });

  it('shows which cluster each job ran on, and charts usage by cluster', async () => {
    await admin.goto(`${server.url}/admin/usage?view=detail&cluster=beta`);
    await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBeGreaterThan(0);
    expect(await admin.getByTestId('jobs-col-cluster').isVisible()).toBe(true);
    expect(new Set(await admin.getByTestId('job-cluster').allInnerTexts())).toEqual(new Set(['beta']));
    await admin.goto(`${server.url}/admin/usage?view=detail`);
    await expect.poll(() => admin.getByTestId('job-row').count(), WAIT).toBeGreaterThan(0);
    // The table's head under the sticky top bar.
    await admin.getByTestId('jobs-table').evaluate((table) => {
      table.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -80);
    });
    await admin.screenshot({ path: shot('sync-jobs-cluster-column') });
    expect(await admin.getByTestId('chart-group-cluster').count()).toBe(1);
    await admin.getByTestId('chart-group-cluster').click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('chartGroup'), WAIT).toBe('cluster');
    await admin.getByTestId('staff-charts').scrollIntoViewIfNeeded();
    await admin.screenshot({ path: shot('sync-chart-by-cluster') });
  });

  it('offers the cluster filter on a user’s own page', async () => {
    const ctx = await newBrowser();
    try {
      const alice = watch(await ctx.newPage());
      await signIn(alice, server.url, 'alice', 'alice');
      await alice.goto(`${server.url}/me`);
      await expect.poll(() => alice.getByTestId('filter-cluster').isVisible(), WAIT).toBe(true);
      await alice.getByTestId('filter-cluster').selectOption('beta');
      await alice.getByTestId('filter-apply').click();
      await expect.poll(() => new URL(alice.url()).searchParams.get('cluster'), WAIT).toBe('beta');
      await expect.poll(async () => new Set(await alice.getByTestId('job-cluster').allInnerTexts()), WAIT).toEqual(new Set(['beta']));
      await alice.screenshot({ path: shot('sync-me-cluster'), fullPage: true });
    } finally {
      await ctx.close();
    }
  });

  it('logged no errors in the browser console', () => {
    expect(consoleErrors).toEqual([]);
  });
});
