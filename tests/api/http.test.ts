import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let base: string;
let csrf: string;
let admin: string;
let alice: string;

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: '1', JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  csrf = /csrf=([^;]+)/.exec((await fetch(`${base}/login`)).headers.get('set-cookie') ?? '')![1];
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice');
});
afterAll(() => t.close());

const postFormula = (body: unknown, cookie: string, opts: { token?: string | null; origin?: string } = {}) =>
  fetch(`${base}/formula`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: opts.origin ?? base,
      cookie: `${cookie}; csrf=${csrf}`,
      ...(opts.token === null ? {} : { 'x-csrf-token': opts.token ?? csrf }),
    },
    body: JSON.stringify(body),
  });

describe('/formula (rates as the previous application served them)', () => {
  it('serves a tier’s rates as JSON to anyone', async () => {
    const res = await fetch(`${base}/formula?type=gov`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'gov', cpu: 0.75, gpu: 18, mem: 0.08, cpuPerHour: '0.75', unit: 'THB/hour' });
    const bad = await fetch(`${base}/formula?type=gold`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/gold/);
  });

  it('lets an admin change rates with a same-site JSON request carrying the CSRF token', async () => {
    const res = await postFormula({ type: 'gov', cpu: '0.9', gpu: '19', mem: '0.09' }, admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'gov', cpuPerHour: '0.9', gpuPerHour: '19' });
    const audit = await t.app.db.auditEntry.findFirstOrThrow({ where: { action: 'rates.update' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actor: 'admin', path: '/formula', target: 'gov' });
  });

  it('refuses users, missing tokens, foreign origins and bad values, changing nothing', async () => {
    const before = await t.app.db.rate.findUniqueOrThrow({ where: { tier: 'mu' } });
    expect((await postFormula({ type: 'mu', cpu: '9', gpu: '9', mem: '9' }, alice)).status).toBe(403);
    expect((await postFormula({ type: 'mu', cpu: '9', gpu: '9', mem: '9' }, admin, { token: null })).status).toBe(403);
    expect((await postFormula({ type: 'mu', cpu: '9', gpu: '9', mem: '9' }, admin, { origin: 'http://evil.example' })).status).toBe(403);
    const bad = await postFormula({ type: 'mu', cpu: '-1', gpu: '9', mem: '9' }, admin);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/cpuPerHour/);
    expect(await t.app.db.rate.findUniqueOrThrow({ where: { tier: 'mu' } })).toEqual(before);
  });
});

describe('behind a trusted proxy', () => {
  it('audits the client address from X-Forwarded-For and marks cookies Secure for HTTPS', async () => {
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        origin: base,
        cookie: `csrf=${csrf}`,
        'x-csrf-token': csrf,
        'x-forwarded-for': '203.0.113.9, 198.51.100.7',
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({ username: 'nobody', password: 'x' }),
    });
    expect(res.status).toBe(401);
    const entry = await t.app.db.auditEntry.findFirstOrThrow({ where: { action: 'auth.login.failure' }, orderBy: { id: 'desc' } });
    expect(entry.ip).toBe('198.51.100.7');
    expect(await t.app.db.loginThrottle.findUnique({ where: { key: 'ip:198.51.100.7' } })).not.toBeNull();
    const page = await fetch(`${base}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.get('set-cookie')).toMatch(/csrf=.*; Secure/);
    expect(page.headers.get('strict-transport-security')).toMatch(/max-age/);
  });
});

describe('dataSource', () => {
  it('reports the sync that covered a range, or none', async () => {
    await t.app.syncNow('startup');
    const q = 'query($from: DateTime, $to: DateTime) { dataSource(from: $from, to: $to) { source jobCount } }';
    const covered = await t.gql(q, { from: '2026-10-01T00:00:00Z', to: '2026-10-31T00:00:00Z' }, alice);
    expect(covered.data.dataSource).toEqual({ source: 'csv', jobCount: 5 });
    const future = await t.gql(q, { to: '2099-01-01T00:00:00Z' }, alice);
    expect(future.data.dataSource).toBeNull();
  });
});
