import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { login } from '../../server/src/auth/login.ts';
import type { PamAuthenticator } from '../../server/src/auth/pam.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { createApiToken } from '../../server/src/auth/tokens.ts';
import { neutralize, toCsv } from '../../server/src/billing/export.ts';
import { startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let base: string;
let adminToken: string;

beforeAll(async () => {
  t = await startTestApp();
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  await t.cookieFor('admin', 'admin');
  const admin = await t.app.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
  adminToken = (await createApiToken(t.app.db, { id: admin.id, username: 'admin', role: 'admin', tier: 'mu' }, 'grafana', null, systemMeta('admin'))).token;
});
afterAll(() => t.close());

const UPDATE = 'mutation { updateRate(input: { tier: mu, cpuPerHour: "99", gpuPerHour: "99", memGBPerHour: "99" }) { tier } }';

describe('API tokens never change anything', () => {
  it('refuses a mutation over graphql-ws with an admin token, and still serves reads', async () => {
    const client = createClient({
      url: `ws://127.0.0.1:${base.split(':')[2]}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { authorization: `Bearer ${adminToken}` } });
        }
      },
    });
    const run = (query: string) =>
      new Promise<any>((resolve) => {
        client.subscribe({ query }, { next: resolve, error: resolve, complete: () => {} });
      });
    const mutation = await run(UPDATE);
    const errors = mutation.errors ?? mutation;
    expect(errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await run('{ viewer { username } }')).data.viewer.username).toBe('admin');
    await client.dispose();
    expect((await t.app.db.rate.findUniqueOrThrow({ where: { tier: 'mu' } })).cpuPerHour).toBe('0.5');
  });

  it('refuses POST /formula with a token even when it forges the CSRF pair', async () => {
    const res = await fetch(`${base}/formula`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${adminToken}`,
        'content-type': 'application/json',
        origin: base,
        cookie: 'csrf=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        'x-csrf-token': 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      },
      body: JSON.stringify({ type: 'mu', cpu: '99', gpu: '99', mem: '99' }),
    });
    expect(res.status).toBe(401);
    expect((await t.app.db.rate.findUniqueOrThrow({ where: { tier: 'mu' } })).cpuPerHour).toBe('0.5');
  });
});

describe('requests from elsewhere', () => {
  it('gives no CORS grant to another origin', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers a malformed Referer or body with a client error, not a crash', async () => {
    const referer = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { referer: 'not a url', 'content-type': 'application/json', accept: 'application/json' },
      body: '{}',
    });
    expect(referer.status).toBe(403);
    const body = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json', accept: 'application/json' },
      body: '{not json',
    });
    expect(body.status).toBe(400);
  });
});

describe('CSV cells that a spreadsheet would run', () => {
  it('are written as text', () => {
    expect(neutralize('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(neutralize('+1')).toBe("'+1");
    expect(neutralize('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralize('relax, then run')).toBe('relax, then run');
    const csv = toCsv(['name', 'cost'], [['=1+2', 12.5]]);
    expect(csv).toBe('\uFEFFname,cost\r\n\'=1+2,12.5\r\n');
  });
});

describe('roles at login', () => {
  it('demotes a cluster user whom config or Slurm no longer names', async () => {
    await t.app.db.user.create({ data: { username: 'formeradmin', role: 'admin', origin: 'pam' } });
    const pam: PamAuthenticator = {
      authenticate: async () => true,
      verify: async () => ({ ok: true }),
      pending: 0,
    };
    const result = await login(
      { db: t.app.db, config: t.app.deps.config, pam, resolveRole: async () => ({ role: 'user', source: 'default' }), warn: () => {} },
      'formeradmin',
      'pw',
      systemMeta(),
    );
    expect(result.ok).toBe(true);
    expect((await t.app.db.user.findUniqueOrThrow({ where: { username: 'formeradmin' } })).role).toBe('user');
  });
});
