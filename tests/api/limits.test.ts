import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './harness.ts';

/**
 * Every limit of the GraphQL pipeline on both transports: HTTP through the real port, and
 * graphql-ws on the same port. A strict app makes each limit small enough to meet with a short
 * query; the defaults are checked separately (default-limits.test.ts).
 */
let t: TestApp;
let port: number;
let alice: string;

const STRICT = {
  GRAPHQL_MAX_DEPTH: '4',
  GRAPHQL_MAX_ALIASES: '5',
  GRAPHQL_MAX_TOKENS: '300',
  GRAPHQL_MAX_DIRECTIVES: '4',
  GRAPHQL_MAX_COST: '50',
  GRAPHQL_MAX_BODY_BYTES: '20000',
  GRAPHQL_TIME_BUDGET_MS: '300',
};

beforeAll(async () => {
  t = await startTestApp(STRICT);
  port = (await t.app.start()).port;
  alice = await t.cookieFor('alice');
});
afterAll(() => t.close());

type Result = { data?: any; errors?: any[] };

async function overHttp(query: string, cookie = alice, variables?: Record<string, unknown>): Promise<Result & { status: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...(await res.json()) };
}

/** One operation over graphql-ws: its first result, its errors, or how the socket closed. */
function overSocket(query: string, cookie = alice, variables?: Record<string, unknown>): Promise<Result & { closed?: number }> {
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    retryAttempts: 0,
    lazy: true,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    },
  });
  return new Promise<Result & { closed?: number }>((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (value) => resolve(value as Result),
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error });
          else resolve({ closed: (error as { code?: number }).code ?? -1 });
        },
        complete: () => resolve({}),
      },
    );
  }).finally(() => client.dispose());
}

const transports = [
  ['HTTP', overHttp],
  ['WebSocket', overSocket],
] as const;

const codesOf = (r: Result) => (r.errors ?? []).map((e) => e.extensions?.code);

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `r${i}: rates { tier }`).join(' ')} }`;

describe.each(transports)('limits over %s', (_name, run) => {
  it('accepts a query inside every limit', async () => {
    const r = await run('{ viewer { username } rates { tier cpuPerHour } }');
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer.username).toBe('alice');
  });

  it('refuses too many aliases', async () => {
    const r = await run(aliases(6));
    expect(codesOf(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0].message).toMatch(/Aliases limit of 5/);
  });

  it('refuses a query nested too deep', async () => {
    const r = await run('{ jobs(filter: { user: "alice" }) { edges { node { cost { cost } } } } }');
    expect(codesOf(r)).toContain('TOO_COMPLEX');
    expect(r.errors!.map((e) => e.message).join(' ')).toMatch(/depth/i);
  });

  it('refuses too many tokens before parsing the rest', async () => {
    const r = await run(`{ ${'__typename '.repeat(400)} }`);
    expect(codesOf(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0].message).toMatch(/Token limit of 300/);
  });

  it('refuses too many directives', async () => {
    const r = await run('{ viewer @include(if: true) @include(if: true) @include(if: true) @skip(if: false) @skip(if: false) { username } }');
    expect(codesOf(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0].message).toMatch(/Directives limit of 4/);
  });

  it('refuses a query over the cost budget', async () => {
    const r = await run(`{ ${Array.from({ length: 5 }, (_, i) => `r${i}: rates { tier cpuPerHour gpuPerHour memGBPerHour updatedAt updatedBy viewerCanUpdate }`).join(' ')} }`);
    expect(codesOf(r)).toContain('TOO_COMPLEX');
    expect(r.errors!.map((e) => e.message).join(' ')).toMatch(/Cost limit of 50/i);
  });

  it('counts a page size given by a variable against the cost budget, before running anything', async () => {
    const query = 'query Page($n: Int) { jobs(filter: { user: "alice" }, first: $n) { edges { cursor } } }';
    expect((await run(query, alice, { n: 10 })).errors).toBeUndefined();
    const r = await run(query, alice, { n: 1000 });
    expect(codesOf(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0].message).toMatch(/more than the limit of 50/);
  });

  it('stops an operation that runs past its time budget with TIMEOUT', async () => {
    const sync = t.app.deps.services.sync;
    const latest = sync.latest;
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => {
      finish = resolve;
    });
    sync.latest = async (range) => {
      await slow;
      return latest(range);
    };
    try {
      const r = await run('{ dataSource { id } }');
      expect(codesOf(r)).toEqual(['TIMEOUT']);
      expect(r.errors![0].message).toMatch(/time budget of 300 ms/);
    } finally {
      finish();
      sync.latest = latest;
    }
  });
});

describe('message size', () => {
  it('answers an HTTP body over the limit with 413 and TOO_COMPLEX', async () => {
    const r = await overHttp(`{ viewer { username } } # ${'x'.repeat(25_000)}`);
    expect(r.status).toBe(413);
    expect(codesOf(r)).toEqual(['TOO_COMPLEX']);
  });

  it('closes a WebSocket that sends a message over the limit (1009), before reading it', async () => {
    const r = await overSocket(`{ viewer { username } } # ${'x'.repeat(25_000)}`);
    expect(r.closed).toBe(1009);
  });
});

describe('introspection and suggestions in production', () => {
  let prod: TestApp;
  let prodPort: number;
  beforeAll(async () => {
    prod = await startTestApp({ NODE_ENV: 'production' });
    prodPort = (await prod.app.start()).port;
  });
  afterAll(() => prod.close());

  const ask = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://127.0.0.1:${prodPort}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', ...headers },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as Result;
  };
  const askOverSocket = (query: string, headers: Record<string, string> = {}) =>
    new Promise<Result>((resolve) => {
      const client = createClient({
        url: `ws://127.0.0.1:${prodPort}/graphql`,
        retryAttempts: 0,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers });
          }
        },
      });
      client.subscribe({ query }, { next: (v) => resolve(v as Result), error: (e) => resolve({ errors: e as any[] }), complete: () => {} });
    });

  it('refuses introspection to an anonymous caller, over HTTP and WebSocket', async () => {
    for (const r of [await ask('{ __schema { types { name } } }'), await askOverSocket('{ __type(name: "Query") { name } }')]) {
      expect(r.data?.__schema ?? r.data?.__type ?? undefined).toBeUndefined();
      expect(codesOf(r)).toEqual(['BAD_INPUT']);
    }
  });

  it("answers it to a logged-in caller, as a datasource's health check asks", async () => {
    const cookie = await prod.cookieFor('alice');
    expect((await ask('{ __schema { queryType { name } } }', { cookie })).data.__schema.queryType.name).toBe('Query');
    expect((await askOverSocket('{ __schema { queryType { name } } }', { cookie })).data!.__schema.queryType.name).toBe('Query');
  });

  it('names no field in a "Did you mean" suggestion', async () => {
    const r = await ask('{ rate { tierr } ratez }');
    const text = JSON.stringify(r.errors);
    expect(codesOf(r).every((c) => c === 'BAD_INPUT')).toBe(true);
    expect(text).not.toMatch(/Did you mean/);
  });

  it('still answers introspection outside production, for GraphiQL and codegen', async () => {
    const r = await t.gql('{ __schema { queryType { name } } }');
    expect(r.data.__schema.queryType.name).toBe('Query');
  });
});
