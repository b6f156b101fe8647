import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestMeta } from '../audit/recorder.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { type Db, openDatabase } from '../db/client.ts';
import { login, type LoginDeps } from './login.ts';
import type { PamAuthenticator } from './pam.ts';
import { hashPassword } from './passwords.ts';

let dir: string;
let db: Db;
let config: Config;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-login-'));
  const env = { DATABASE_URL: `file:${path.join(dir, 'login.db')}`, INSTANCE_DIR: dir, ADMIN_PASSWORD: 'unused', WEB_HANDLER: '', PAM_ENABLED: '0' };
  config = loadConfig({ ...env, AUTH_THROTTLE_MAX_FAILS: '3', AUTH_THROTTLE_LOCK_SEC: '600' });
  db = openDatabase(config.databaseFile!);
  for (const username of ['alice', 'carol', 'dave']) {
    await db.user.create({ data: { username, passwordHash: await hashPassword(`${username}-pw`) } });
  }
});
afterAll(async () => {
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

/** A clock that moves only when the login waits (or the test moves it), and a record of every wait. */
function clocked(pam: PamAuthenticator | null = null) {
  const clock = { ms: Date.parse('2026-03-01T10:00:00Z'), slept: [] as number[] };
  const deps: LoginDeps = {
    db,
    config,
    pam,
    resolveRole: async () => ({ role: 'user', source: 'default' }),
    warn: () => {},
    now: () => clock.ms,
    sleep: async (ms) => {
      clock.slept.push(ms);
      clock.ms += ms;
    },
  };
  return { clock, deps };
}

const from = (ip: string): RequestMeta => ({ actor: null, ip, userAgent: null, method: 'POST', path: '/auth/login' });

/** A PAM that refuses everyone after taking `ms` on the login's clock. */
function slowPam(clock: { ms: number }, ms: number): PamAuthenticator {
  return {
    authenticate: async () => false,
    verify: async () => {
      clock.ms += ms;
      return { ok: false, reason: 'pam-error' };
    },
    pending: 0,
  };
}

describe('failed logins take the same time', () => {
  it('pads an unknown user, a wrong local password and a locked user alike without PAM, and a success not at all', async () => {
    const padding = [config.auth.failMinMs];
    const unknown = clocked();
    expect(await login(unknown.deps, 'nobody-here', 'x', from('10.0.1.1'))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(unknown.clock.slept).toEqual(padding);

    const wrong = clocked();
    expect(await login(wrong.deps, 'alice', 'wrong', from('10.0.1.2'))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(wrong.clock.slept).toEqual(padding);

    const { clock, deps } = clocked();
    for (let i = 0; i < 2; i++) await login(deps, 'carol', `wrong-${i}`, from('10.0.1.3'));
    clock.slept = [];
    // The failure that locks, and a later attempt with the right password that the lock refuses.
    expect(await login(deps, 'carol', 'wrong-2', from('10.0.1.3'))).toMatchObject({ ok: false, code: 'LOCKED' });
    expect(await login(deps, 'carol', 'carol-pw', from('10.0.1.3'))).toMatchObject({ ok: false, code: 'LOCKED' });
    expect(clock.slept).toEqual([...padding, ...padding]);

    const right = clocked();
    expect(await login(right.deps, 'alice', 'alice-pw', from('10.0.1.4'))).toMatchObject({ ok: true });
    expect(right.clock.slept).toEqual([]);
  });

  it('pads a PAM failure by the time PAM did not take, and a name PAM never sees by the whole minimum', async () => {
    const fast = clocked();
    fast.deps.pam = slowPam(fast.clock, 300);
    expect(await login(fast.deps, 'erin', 'x', from('10.0.2.1'))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(fast.clock.slept).toEqual([config.auth.failMinMs - 300]);

    const slow = clocked();
    slow.deps.pam = slowPam(slow.clock, config.auth.failMinMs + 500);
    expect(await login(slow.deps, 'erin', 'x', from('10.0.2.2'))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(slow.clock.slept).toEqual([]);

    const invalid = clocked();
    invalid.deps.pam = slowPam(invalid.clock, 300);
    expect(await login(invalid.deps, 'not a name!', 'x', from('10.0.2.3'))).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    expect(invalid.clock.slept).toEqual([config.auth.failMinMs]);
  });
});

describe('the lock on the injected clock', () => {
  it('refuses the right password while the lock holds and lets the user in once it has run out', async () => {
    const { clock, deps } = clocked();
    for (let i = 0; i < 3; i++) await login(deps, 'dave', `wrong-${i}`, from('10.0.3.1'));
    // Padding moved the clock on by one failMinMs since the lock started.
    expect(await login(deps, 'dave', 'dave-pw', from('10.0.3.1'))).toEqual({
      ok: false,
      code: 'LOCKED',
      retryAfterSeconds: config.auth.throttle.lockSec - config.auth.failMinMs / 1000,
    });
    clock.ms += config.auth.throttle.lockSec * 1000;
    clock.slept = [];
    expect(await login(deps, 'dave', 'dave-pw', from('10.0.3.1'))).toMatchObject({ ok: true });
    expect(clock.slept).toEqual([]);
    const ended = await db.auditEntry.findMany({ where: { action: 'auth.lockout.end' }, select: { target: true } });
    expect(ended).toEqual([{ target: 'user:dave' }]);
  });
});

describe('AUTH_FAIL_MIN_MS', () => {
  const base = { ADMIN_PASSWORD: 'unused', WEB_HANDLER: '', INSTANCE_DIR: tmpdir() };

  it('defaults to 2 s, takes 0 to turn padding off, and refuses what is not a whole number', () => {
    expect(loadConfig(base).auth.failMinMs).toBe(2000);
    expect(loadConfig({ ...base, AUTH_FAIL_MIN_MS: '0' }).auth.failMinMs).toBe(0);
    expect(() => loadConfig({ ...base, AUTH_FAIL_MIN_MS: '2s' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, AUTH_FAIL_MIN_MS: '-1' })).toThrow(/AUTH_FAIL_MIN_MS/);
  });
});
