import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChromium, newBrowser, shot, signIn } from './browser.ts';
import { startServer } from './server.ts';

/**
 * The quote page for everyone, and the staff's reconciliation page against a stand-in sreport that answers what
 * Slurm 22.05 prints (`-t Seconds`, per account, user and TRES) for the demo cluster.
 */
const built = existsSync(path.resolve(import.meta.dirname, '../../web/build/handler.js'));
const missing = built ? ensureChromium() : 'the web app is not built (pnpm build)';
if (missing) console.warn(`browser tests skipped: ${missing}`);

let server: Awaited<ReturnType<typeof startServer>>;
const contexts: BrowserContext[] = [];
const page = async () => {
  const ctx = await newBrowser();
  contexts.push(ctx);
  return ctx.newPage();
};

describe.skipIf(!!missing)('quotes and reconciliation in the browser', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'e2e-sreport-'));
    const sreport = path.join(dir, 'sreport');
    // physics agrees with nothing the demo has in its month; chemistry reports nothing: both differ.
    writeFileSync(sreport, "#!/bin/sh\ncat <<'EOF'\ndemo|physics|alice||cpu|3600\ndemo|physics|alice||mem|0\ndemo|physics|alice||gres/gpu|0\nEOF\n");
    chmodSync(sreport, 0o755);
    server = await startServer({ SREPORT_PATH: sreport });
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await server?.stop();
  });

  it('prices a pasted job script as the user types, with its warnings, and names what Slurm would refuse', async () => {
    const p = await page();
    await signIn(p, server.url, 'alice', 'alice');
    await p.goto(`${server.url}/quote?lang=en`);
    const text = p.getByTestId('quote-text');
    await text.fill('#!/bin/bash\n#SBATCH -p gpu\n#SBATCH --gres=gpu:a100:2\n#SBATCH -c 8\n#SBATCH --mem=64G\n#SBATCH -t 2:00:00\n#SBATCH --frobnicate\n');
    // 16 CPU-h × 0.50 + 4 GPU-h × 12 + 128 GiB-h × 0.05 at mu = 62.40
    await expect.poll(() => p.getByTestId('quote-total').innerText(), { timeout: 20_000 }).toMatch(/62\.40/);
    expect(await p.getByTestId('quote-gpus').innerText()).toMatch(/2\s*\(a100\)/);
    expect(await p.getByTestId('quote-warnings').innerText()).toContain('--frobnicate');
    await p.screenshot({ path: shot('quote') });
    await text.fill('#!/bin/bash\n#SBATCH -n 2\n#SBATCH --time=soon\n');
    await expect.poll(() => p.getByTestId('quote-error').innerText(), { timeout: 20_000 }).toMatch(/line 3.*--time/);
    await p.goto(`${server.url}/quote?lang=th`);
    await expect.poll(() => p.getByTestId('quote-total').innerText(), { timeout: 20_000 }).toMatch(/บาท/);
    await p.screenshot({ path: shot('quote-th') });
  });

  it('shows an operator each account against sreport with the differing rows marked, and keeps users out', async () => {
    const p = await page();
    await signIn(p, server.url, 'oper', 'oper');
    await p.goto(`${server.url}/admin/reconcile?month=2026-10&lang=en`);
    await expect.poll(() => p.getByTestId('reconcile-row').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    expect(await p.getByTestId('reconcile-summary').innerText()).toMatch(/differ/);
    expect(await p.locator('tr.differs[data-account="physics"]').count()).toBe(1);
    await p.screenshot({ path: shot('reconcile') });
    await p.goto(`${server.url}/admin/reconcile?month=2026-10&lang=th`);
    await expect.poll(() => p.getByTestId('reconcile-summary').innerText()).toMatch(/ไม่ตรงกัน/);
    await p.screenshot({ path: shot('reconcile-th') });
    const user = await page();
    await signIn(user, server.url, 'alice', 'alice');
    await user.goto(`${server.url}/admin/reconcile`);
    expect(new URL(user.url()).pathname).toBe('/playground');
  });
});
