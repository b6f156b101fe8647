/**
 * PAM against real Linux accounts on this machine (service `login`, pam_unix): created here with useradd + chpasswd,
 * removed in afterAll. Needs root (to create accounts, and for pam_unix to read /etc/shadow).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamAuthenticator, loadPamModule, type PamAuthenticator, type PamModule } from '../../server/src/auth/pam.ts';

const isRoot = process.getuid?.() === 0;
const loaded = loadPamModule();
const tag = randomBytes(4).toString('hex');
const name = (role: string) => `hpcacct_${role}_${tag}`;
const accounts = { good: name('ok'), locked: name('lk'), expired: name('ex'), mustChange: name('mc') };
// Non-ASCII on purpose: the module passes the password to PAM as UTF-8.
const password = `Pw-${randomBytes(9).toString('base64url')}-ทดสอบ`;
const created: string[] = [];

function sh(cmd: string, args: string[], input?: string) {
  execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
}

function createAccount(user: string) {
  sh('useradd', ['-M', '-s', '/usr/sbin/nologin', user]);
  created.push(user);
  sh('chpasswd', [], `${user}:${password}\n`);
}

if (!isRoot) {
  console.warn('tests/system/pam.test.ts: skipped: not root (creating accounts and reading /etc/shadow need root)');
}

describe.skipIf(!isRoot)('PAM login against real accounts', () => {
  if (!loaded.ok) {
    // Not a skip: CI must build the module (apt-get install libpam0g-dev before pnpm install).
    it('has authenticate-pam built', () => {
      throw new Error(`authenticate-pam cannot be loaded: ${loaded.reason}`);
    });
    return;
  }
  const module = loaded.module as PamModule;
  let pam: PamAuthenticator;

  beforeAll(() => {
    for (const user of Object.values(accounts)) createAccount(user);
    sh('usermod', ['-L', accounts.locked]);
    sh('chage', ['-E', '0', accounts.expired]);
    sh('chage', ['-d', '0', accounts.mustChange]);
    pam = createPamAuthenticator({ service: 'login', module });
  });

  afterAll(() => {
    for (const user of created) {
      try {
        sh('userdel', [user]);
      } catch (error) {
        console.warn(`could not remove test account ${user}: ${error instanceof Error ? error.message : error}`);
      }
    }
  });

  it('accepts the right password', async () => {
    expect(await pam.verify(accounts.good, password, { remoteHost: '127.0.0.1' })).toMatchObject({ ok: true });
  });

  it('refuses a wrong password', async () => {
    expect(await pam.authenticate(accounts.good, `${password}x`)).toBe(false);
  });

  it('refuses an unknown user', async () => {
    expect(await pam.authenticate(name('none'), password)).toBe(false);
  });

  it('refuses a locked account (usermod -L) with its right password', async () => {
    expect(await pam.authenticate(accounts.locked, password)).toBe(false);
  });

  it('refuses an expired account (chage -E 0), which pam_authenticate alone accepts', async () => {
    // The reason this module checks shadow itself: authenticate-pam never calls pam_acct_mgmt.
    const raw = await new Promise<unknown>((resolve) => module.authenticate(accounts.expired, password, resolve, { serviceName: 'login' }));
    expect(raw, 'pam_authenticate alone').toBeFalsy();
    expect(await pam.verify(accounts.expired, password)).toMatchObject({ ok: false, reason: 'account-expired' });
    expect(await pam.authenticate(accounts.expired, password)).toBe(false);
  });

  it('refuses an account whose password must be changed first (chage -d 0)', async () => {
    expect(await pam.verify(accounts.mustChange, password)).toMatchObject({ ok: false, reason: 'password-expired' });
  });

  it('refuses an empty password without asking PAM', async () => {
    expect(await pam.verify(accounts.good, '')).toMatchObject({ ok: false, reason: 'invalid-input' });
  });

  it('keeps the event loop free while wrong passwords wait out pam_faildelay, two at a time', async () => {
    const capped = createPamAuthenticator({ service: 'login', module, maxConcurrent: 2 });
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const t = performance.now();
      longestGap = Math.max(longestGap, t - last);
      last = t;
    }, 10);
    try {
      const attempts = Array.from({ length: 4 }, () => capped.authenticate(accounts.good, 'wrong-password'));
      await new Promise((r) => setTimeout(r, 50));
      expect(capped.pending).toBe(4);
      expect(await Promise.all(attempts)).toEqual([false, false, false, false]);
      expect(await capped.authenticate(accounts.good, password)).toBe(true);
    } finally {
      clearInterval(timer);
    }
    expect(longestGap).toBeLessThan(500);
  });
});
