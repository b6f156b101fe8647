import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
export const SCREENSHOTS = path.resolve(import.meta.dirname, '../.artifacts/screenshots');

/** CI sets REQUIRE_BROWSER=1: there a browser test that cannot run fails instead of being skipped. */
const required = process.env.REQUIRE_BROWSER === '1';

/**
 * Why the browser tests cannot run, or null when they can. Debian's chromium is installed with apt-get when missing
 * and we are root; a CHROMIUM_PATH of another browser has to exist already. With REQUIRE_BROWSER=1 a reason throws.
 */
export function ensureChromium(): string | null {
  const missing = findChromium();
  if (missing && required) throw new Error(`REQUIRE_BROWSER=1, and the browser tests cannot run: ${missing}`);
  return missing;
}

function findChromium(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (CHROMIUM !== DEBIAN_CHROMIUM) return `CHROMIUM_PATH=${CHROMIUM} does not exist`;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing and installing it needs root (apt-get install chromium)`;
  try {
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], {
      stdio: 'inherit',
    });
  } catch (error) {
    return `${CHROMIUM} is missing and apt-get could not install it: ${(error as Error).message}`;
  }
  return existsSync(CHROMIUM) ? null : `apt-get did not install ${CHROMIUM}`;
}

/** `javaScriptEnabled: false` reads pages as their first HTML only, as a crawler or a printout would. */
export async function newBrowser(extra: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const profile = mkdtempSync(path.join(tmpdir(), 'hpc-acct-chromium-'));
  const options = {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...extra,
  };
  try {
    return await chromium.launchPersistentContext(profile, options);
  } catch (error) {
    throw new Error(`Chromium at ${CHROMIUM} could not be launched (CHROMIUM_PATH chooses another browser): ${(error as Error).message}`, { cause: error });
  }
}

export const shot = (name: string) => path.join(SCREENSHOTS, `${name}.png`);

/** Records a page's console errors and uncaught exceptions (CSP violations show up there) in `errors`, for a test to check at the end. */
export function watchErrors(errors: string[]) {
  return (page: Page): Page => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    return page;
  };
}

/** Signs in through the login form, in either language, and waits for the page it lands on. */
export async function signIn(page: Page, base: string, username: string, password: string, landing = '/playground') {
  await page.goto(`${base}/login`);
  await page.getByLabel(/username|ชื่อผู้ใช้/i).fill(username);
  await page.getByLabel(/password|รหัสผ่าน/i).fill(password);
  await page.getByRole('button', { name: /log in|sign in|เข้าสู่ระบบ/i }).click();
  await page.waitForURL(`${base}${landing}`);
}
