import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from './harness.ts';

// A lock far longer than a restart takes, so "still locked" never races the clock; the test ends it instead of
// waiting. No failure padding: server/src/auth/login.test.ts checks it on a fake clock.
const env = { SEED_DEMO_USERS: '1', AUTH_THROTTLE_MAX_FAILS: '3', AUTH_THROTTLE_LOCK_SEC: '600', AUTH_THROTTLE_WINDOW_SEC: '60', AUTH_FAIL_MIN_MS: '0' };
let t: TestApp;
let base: string;
let csrf: string;

async function boot(dir?: string) {
  t = await startTestApp(env, dir);
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  const res = await fetch(`${base}/login`);
  csrf = /csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
}

function post(path: string, body: Record<string, string>, opts: { csrf?: string | null; origin?: string | null; json?: boolean } = {}) {
  const token = opts.csrf === undefined ? csrf : opts.csrf;
  const headers: Record<string, string> = { cookie: `csrf=${csrf}` };
  const origin = opts.origin === undefined ? base : opts.origin;
  if (origin) headers.origin = origin;
  if (opts.json === false) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return fetch(base + path, { method: 'POST', headers, body: new URLSearchParams({ ...body, ...(token ? { csrf: token } : {}) }), redirect: 'manual' });
  }
  headers['content-type'] = 'application/json';
  headers.accept = 'application/json';
  if (token) headers['x-csrf-token'] = token;
  return fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
}

const audits = async (action: string) => t.app.db.auditEntry.count({ where: { action } });

beforeAll(() => boot());
afterAll(() => t.close());

describe('login', () => {
  it('refuses a login without the CSRF token, or from another origin, and records nothing', async () => {
    const noToken = await post('/auth/login', { username: 'alice', password: 'alice' }, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ code: 'CSRF' });
    const foreign = await post('/auth/login', { username: 'alice', password: 'alice' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const form = await post('/auth/login', { username: 'alice', password: 'alice' }, { csrf: null, json: false });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/csrf-error');
    expect(await audits('auth.login.success')).toBe(0);
    expect(await t.app.db.session.count()).toBe(0);
  });

  it('logs in with a local password, sets an HttpOnly SameSite cookie, and ignores `next`', async () => {
    const res = await post('/auth/login?next=/admin/rates', { username: 'admin', password: ADMIN_PASSWORD, next: '/admin/rates' }, { json: false });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/playground');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(await audits('auth.login.success')).toBe(1);
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await post('/auth/login', { username: 'nobody-here', password: 'x' });
    const wrong = await post('/auth/login', { username: 'bob', password: 'x' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('locks a username after repeated failures, audits it, and refuses even the right password', async () => {
    const r1 = await post('/auth/login', { username: 'alice', password: 'bad1' });
    expect(await r1.json()).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
    await post('/auth/login', { username: 'alice', password: 'bad2' });
    const r3 = await post('/auth/login', { username: 'alice', password: 'bad3' });
    expect(await r3.json()).toMatchObject({ ok: false, code: 'LOCKED' });
    expect(await audits('auth.lockout.start')).toBeGreaterThanOrEqual(1);
    const right = await post('/auth/login', { username: 'alice', password: 'alice' });
    const body = await right.json();
    expect(body.code).toBe('LOCKED');
    expect(body.retryAfterSeconds).toBeGreaterThan(0);
    expect(await audits('auth.lockout.active')).toBe(1);
  });

  it('keeps the lock across a server restart, then lets the user in when it ends', async () => {
    const dir = t.dir;
    await t.close(true);
    await boot(dir);
    const locked = await post('/auth/login', { username: 'alice', password: 'alice' });
    expect((await locked.json()).code).toBe('LOCKED');
    // The lock runs out: its end moves into the past, as the server reads it from the database at every attempt.
    await t.app.db.loginThrottle.updateMany({ where: { lockedUntil: { not: null } }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const ok = await post('/auth/login', { username: 'alice', password: 'alice' });
    expect(await ok.json()).toEqual({ ok: true, redirect: '/playground' });
    expect(await audits('auth.lockout.end')).toBeGreaterThanOrEqual(1);
  });

  it('logs out: the session is gone and the logout is audited', async () => {
    const login = await post('/auth/login', { username: 'bob', password: 'bob' }, { json: false });
    const session = login.headers.getSetCookie().find((c) => c.startsWith('session='))!.split(';')[0];
    const res = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: { cookie: `${session}; csrf=${csrf}`, origin: base, 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: '{}',
    });
    expect(await res.json()).toEqual({ ok: true, redirect: '/login' });
    expect(await audits('auth.logout')).toBe(1);
    const viewer = await t.gql('{ viewer { username } }', {}, session);
    expect(viewer.data.viewer).toBeNull();
  });

  it('keeps the audit chain intact through all of this', async () => {
    const r = await t.gql('{ verifyAuditChain { ok checked } }', {}, await t.cookieFor('admin', 'admin'));
    expect(r.data.verifyAuditChain.ok).toBe(true);
    expect(r.data.verifyAuditChain.checked).toBeGreaterThan(10);
  });
});
