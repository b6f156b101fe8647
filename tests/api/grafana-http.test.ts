/**
 * HTTP as Grafana's GraphQL datasources see it, through the real port with exactly their headers
 * (/work/shared/GRAFANA.md): Infinity and Wild GraphQL show a GraphQL error only when it comes with
 * 200 (any other status becomes "400 Bad Request" with the body dropped), and a token that is not
 * valid must say so with 401, never answer as anonymous.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import type { SessionViewer } from '../../server/src/auth/sessions.ts';
import { createApiToken, revokeApiToken } from '../../server/src/auth/tokens.ts';
import { startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let base: string;
let alice: SessionViewer;
let good: string;
let revoked: string;
let expired: string;
const garbage = `hpcat_${'x'.repeat(39)}`;

const INFINITY = (token: string) => ({
  'Content-Type': 'application/json',
  Accept: 'application/json;q=0.9,text/plain',
  'Accept-Encoding': 'gzip',
  Authorization: `Bearer ${token}`,
});
const WILD = (token: string) => ({ 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` });
const PLUGINS = [
  ['Infinity', INFINITY],
  ['Wild GraphQL', WILD],
] as const;
const CHALLENGE = 'Bearer realm="hpc-accounting", error="invalid_token"';

beforeAll(async () => {
  t = await startTestApp();
  base = `http://127.0.0.1:${(await t.app.start()).port}`;
  await t.cookieFor('alice');
  const user = await t.app.db.user.findUniqueOrThrow({ where: { username: 'alice' } });
  alice = { id: user.id, username: 'alice', role: 'user', tier: 'mu' };
  const mint = (name: string) => createApiToken(t.app.db, alice, name, null, systemMeta('alice'));
  good = (await mint('grafana')).token;
  const toRevoke = await mint('revoked');
  await revokeApiToken(t.app.db, alice, toRevoke.apiToken.id, systemMeta('alice'));
  revoked = toRevoke.token;
  const toExpire = await mint('expired');
  await t.app.db.apiToken.update({ where: { id: toExpire.apiToken.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  expired = toExpire.token;
});
afterAll(() => t.close());

async function post(headers: Record<string, string>, body: Record<string, unknown>) {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { res, body: (await res.json()) as { data?: any; errors?: any[] } };
}

describe.each(PLUGINS)('%s', (_name, headersFor) => {
  it('answers a good token and a good query with 200 and data', async () => {
    const { res, body } = await post(headersFor(good), { query: '{ viewer { username } rates { tier } }' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.errors).toBeUndefined();
    expect(body.data.viewer.username).toBe('alice');
  });

  it('passes the health check Wild runs', async () => {
    const { res, body } = await post(headersFor(good), { query: '{ __schema { queryType { name } } }' });
    expect(res.status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
  });

  it.each([
    ['revoked', () => revoked],
    ['expired', () => expired],
    ['unknown', () => garbage],
  ])('answers a %s token with 401, the bearer challenge and a message, not as anonymous', async (_kind, token) => {
    for (const query of ['{ viewer { username } }', '{ rates { tier } }', '{ nope }']) {
      const { res, body } = await post(headersFor(token()), { query });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(body.errors![0].message).toMatch(/token is not valid/);
    }
  });

  it('answers a bad variable with 200, BAD_INPUT and a message naming the variable and the value', async () => {
    const { res, body } = await post(headersFor(good), {
      query: 'query($from: DateTime, $to: DateTime) { dataSource(from: $from, to: $to) { id } }',
      variables: { from: 'last week', to: 1793466000000, interval_ms: 30_000, maxDataPoints: 1000, refId: 'A' },
    });
    expect(res.status).toBe(200);
    expect(body.data ?? null).toBeNull();
    expect(body.errors![0].extensions.code).toBe('BAD_INPUT');
    expect(body.errors![0].message).toContain('$from');
    expect(body.errors![0].message).toContain('"last week"');
  });

  it('answers other request errors with 200 too: a missing variable, a wrong type, an unknown field, a syntax error', async () => {
    for (const [request, says] of [
      [{ query: 'query($id: Int!) { receipt(id: $id) { id } }', variables: {} }, /\$id/],
      [{ query: 'query($id: Int!) { receipt(id: $id) { id } }', variables: { id: 'one' } }, /\$id/],
      [{ query: '{ viewer { nope } }' }, /nope/],
      [{ query: '{ viewer { ' }, /Expected Name/],
    ] as const) {
      const { res, body } = await post(headersFor(good), request);
      expect(res.status).toBe(200);
      expect(body.errors![0].extensions.code).toBe('BAD_INPUT');
      expect(body.errors![0].message).toMatch(says);
    }
  });
});

describe('other clients and requests', () => {
  const GRAPHQL_RESPONSE = (token: string) => ({ ...WILD(token), Accept: 'application/graphql-response+json' });

  it('answers application/graphql-response+json clients 400 for a bad variable, as GraphQL over HTTP asks', async () => {
    const { res, body } = await post(GRAPHQL_RESPONSE(good), {
      query: 'query($from: DateTime) { dataSource(from: $from) { id } }',
      variables: { from: 'last week' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(body.errors![0].extensions.code).toBe('BAD_INPUT');
    for (const query of ['{ dataSource(from: "last week") { id } }', 'query($id: Int!) { receipt(id: $id) { id } }', '{ nope }']) {
      expect((await post(GRAPHQL_RESPONSE(good), { query })).res.status).toBe(400);
    }
    expect((await post(GRAPHQL_RESPONSE(garbage), { query: '{ rates { tier } }' })).res.status).toBe(401);
  });

  it('keeps a request with no Authorization anonymous, with 200', async () => {
    const { res, body } = await post({ 'Content-Type': 'application/json', Accept: 'application/json' }, { query: '{ viewer { username } rates { tier } }' });
    expect(res.status).toBe(200);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(body.data.viewer).toBeNull();
    expect(body.data.rates.length).toBeGreaterThan(0);
  });

  it('treats "Authorization: Bearer" with no token as a bad token', async () => {
    const { res } = await post({ ...WILD(''), Authorization: 'Bearer' }, { query: '{ rates { tier } }' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
  });

  it('still refuses a mutation with a good token as FORBIDDEN, with 200', async () => {
    const { res, body } = await post(WILD(good), { query: 'mutation { createApiToken(name: "more") { token } }' });
    expect(res.status).toBe(200);
    expect(body.errors![0].extensions.code).toBe('FORBIDDEN');
  });

  it('keeps 403 for a request refused as cross-site', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: 'query={rates{tier}}',
    });
    expect(res.status).toBe(403);
  });

  it.each([
    ['revoked', () => revoked],
    ['expired', () => expired],
    ['unknown', () => garbage],
  ])('answers a %s token on the plain routes with 401, the challenge and the one error shape', async (_kind, token) => {
    for (const path of ['/export/my.csv', '/formula?type=mu']) {
      const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token()}`, Accept: 'application/json' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(CHALLENGE);
      expect(await res.json()).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: expect.stringMatching(/token is not valid/) });
    }
  });

  it('serves the plain routes to a good token and to nobody in particular as before', async () => {
    const csv = await fetch(`${base}/export/my.csv`, { headers: { Authorization: `Bearer ${good}` } });
    expect(csv.status).toBe(200);
    expect((await fetch(`${base}/export/my.csv`)).status).toBe(401);
    expect((await fetch(`${base}/export/my.csv`)).headers.get('www-authenticate')).toBeNull();
    expect((await fetch(`${base}/formula?type=mu`)).status).toBe(200);
  });
});

describe('graphql-ws with a token that is not valid', () => {
  const port = () => base.split(':')[2];
  const clientWith = (token: string) => {
    let connections = 0;
    const client = createClient({
      url: `ws://127.0.0.1:${port()}/graphql`,
      retryAttempts: 0,
      on: { connected: () => void connections++ },
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { authorization: `Bearer ${token}` } });
        }
      },
    });
    return { client, connections: () => connections };
  };
  const first = (client: ReturnType<typeof createClient>, query: string) =>
    new Promise<any>((resolve) => {
      client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve({ completed: true }) });
    });

  it('answers each operation UNAUTHENTICATED, queries and subscriptions alike, on one connection', async () => {
    const { client, connections } = clientWith(revoked);
    try {
      for (const query of ['{ rates { tier } }', '{ viewer { username } }', 'subscription { rateChanged { tier } }']) {
        const result = await first(client, query);
        const errors = result.errors ?? result;
        expect(errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(errors[0].message).toMatch(/token is not valid/);
        expect(result.data ?? null).toBeNull();
      }
      expect(connections()).toBe(1);
    } finally {
      await client.dispose();
    }
  });

  it('still serves a good token', async () => {
    const { client } = clientWith(good);
    try {
      expect((await first(client, '{ viewer { username } }')).data.viewer.username).toBe('alice');
    } finally {
      await client.dispose();
    }
  });
});
