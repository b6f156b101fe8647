/**
 * One regression test per finding of the security review, each asserting the fixed behaviour.
 * The numbers in the describe blocks are the review's findings.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LARGEST_JOB, MAX_RATE_THB_PER_HOUR } from '@hpc-accounting/pricing/limits';
import { MAX_LIVE_TOKENS } from '../../server/src/auth/tokens.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv');
const CSV_HEADER = 'Cluster,JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES';

/** Generous: the machine may be running other suites on its two cores. */
const DEADLINE_MS = 30_000;

/** Polls until `probe` answers something truthy, or fails naming what it waited for. */
async function until<T>(what: string, probe: () => T | Promise<T>, ms = DEADLINE_MS): Promise<NonNullable<T>> {
  const stop = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > stop) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whatever a client is shown must not give away the server's insides. */
function expectNoInternals(errors: unknown) {
  const text = JSON.stringify(errors);
  expect(text).not.toMatch(/\/src\//);
  expect(text).not.toMatch(/\.ts:\d/);
  expect(text).not.toMatch(/\.m?js:\d/);
  expect(text).not.toMatch(/node_modules/);
  expect(text).not.toMatch(/\bat \S+ \(/);
  expect(text).not.toMatch(/\\n\s+at /);
  expect(text).not.toMatch(/"(stack|stacktrace|originalError|exception)"/i);
}

/** "1234.50" → 123450n */
const satang = (decimal: string) => {
  const m = /^(\d+)\.(\d{2})$/.exec(decimal);
  if (!m) throw new Error(`not a two-place decimal: ${decimal}`);
  return BigInt(m[1]) * 100n + BigInt(m[2]);
};

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

// ---------------------------------------------------------------------------------------------
// 1. A forged job cursor is the client's mistake, answered BAD_INPUT, in development and production alike.
// ---------------------------------------------------------------------------------------------

const FORGED_CURSORS: [string, string][] = [
  ['not JSON', 'bm9wZQ'],
  ['an out-of-range number', b64url('[1e400, 5]')],
  ['strings for the instant', b64url('["x","y"]')],
  ['a number for the key', b64url('[1700000000000, 5]')],
  ['an instant past the Date range', b64url('[8640000000000001, "test:1"]')],
  ['an object', b64url('{"end":1,"key":"k"}')],
  ['null', b64url('null')],
  ['an empty array', b64url('[]')],
  ['not base64url at all', '%%%###'],
];

for (const mode of ['development', 'production'] as const) {
  describe(`1. a forged job cursor (NODE_ENV ${mode === 'development' ? 'unset' : 'production'})`, () => {
    let app: TestApp;
    let admin: string;
    let alice: string;
    const savedNodeEnv = process.env.NODE_ENV;

    beforeAll(async () => {
      // The app reads NODE_ENV from its config; graphql-yoga and graphql-js look at process.env themselves.
      if (mode === 'production') process.env.NODE_ENV = 'production';
      else delete process.env.NODE_ENV;
      app = await startTestApp({ JOBS_CSV: FIXTURE, ...(mode === 'production' ? { NODE_ENV: 'production' } : {}) });
      expect(app.app.deps.config.production).toBe(mode === 'production');
      await app.app.syncNow('startup');
      admin = await app.cookieFor('admin', 'admin');
      alice = await app.cookieFor('alice');
    });
    afterAll(async () => {
      await app?.close();
      if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = savedNodeEnv;
    });

    it('answers BAD_INPUT for the literal cursor "bm9wZQ", without internals', async () => {
      const r = await app.gql('{ jobs(first: 5, after: "bm9wZQ") { edges { cursor } } }', {}, admin);
      expect(codes(r)).toEqual(['BAD_INPUT']);
      expect(r.errors![0].message).toMatch(/cursor/);
      expectNoInternals(r.errors);
    });

    it.each(FORGED_CURSORS)('answers BAD_INPUT for a cursor of %s, to staff and to a user paging their own jobs', async (_what, after) => {
      const staff = await app.gql('query($a: String) { jobs(first: 5, after: $a) { edges { cursor } pageInfo { hasNextPage } } }', { a: after }, admin);
      expect(codes(staff)).toEqual(['BAD_INPUT']);
      expectNoInternals(staff.errors);
      const own = await app.gql(
        'query($a: String) { jobs(filter: { user: "alice" }, first: 5, after: $a) { edges { node { key } } totals { jobs } } }',
        { a: after },
        alice,
      );
      expect(codes(own)).toEqual(['BAD_INPUT']);
      expectNoInternals(own.errors);
    });

    it('still pages with the cursors it gave out', async () => {
      const first = await app.gql('{ jobs(first: 2) { edges { node { key } } pageInfo { endCursor hasNextPage } } }', {}, admin);
      expect(first.errors).toBeUndefined();
      expect(first.data.jobs.pageInfo.hasNextPage).toBe(true);
      const next = await app.gql(
        'query($a: String) { jobs(first: 2, after: $a) { edges { node { key } } } }',
        { a: first.data.jobs.pageInfo.endCursor },
        admin,
      );
      expect(next.errors).toBeUndefined();
      const keys = [...first.data.jobs.edges, ...next.data.jobs.edges].map((e: any) => e.node.key);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The app for findings 2 to 7: the small fixture synced, listening on a port.
// ---------------------------------------------------------------------------------------------

let t: TestApp;
let base: string;
let port: number;
let csrf: string;
let admin: string;
let alice: string;

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: FIXTURE });
  ({ port } = await t.app.start());
  base = `http://127.0.0.1:${port}`;
  csrf = /csrf=([^;]+)/.exec((await fetch(`${base}/login`)).headers.get('set-cookie') ?? '')![1];
  await t.app.syncNow('startup');
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice', 'user', 'mu');
  await t.cookieFor('bob', 'user', 'mu');
});
afterAll(() => t?.close());

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateRateInput!) {
    updateRate(input: $input) { tier cpuPerHour gpuPerHour memGBPerHour }
  }
`;

const ratesSnapshot = async () => ({
  rates: await t.app.db.rate.findMany({ orderBy: { tier: 'asc' } }),
  history: await t.app.db.rateHistory.count(),
  audits: await t.app.db.auditEntry.count({ where: { action: 'rates.update' } }),
});

// ---------------------------------------------------------------------------------------------
// 2. POST /formula with a body that is not a JSON object answers 400 BAD_INPUT and changes nothing.
// ---------------------------------------------------------------------------------------------

describe('2. POST /formula with a body that is not an object of fields', () => {
  const postFormula = (body: string) =>
    fetch(`${base}/formula`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        origin: base,
        cookie: `${admin}; csrf=${csrf}`,
        'x-csrf-token': csrf,
      },
      body,
    });

  it.each([
    ['a number', '1'],
    ['a string', '"x"'],
    ['null', 'null'],
    ['an empty array', '[]'],
    ['an array', '[1,2]'],
    ['a boolean', 'true'],
    ['invalid JSON', '{not json'],
    ['truncated JSON', '{"type": "mu", "cpu": '],
  ])('answers 400 { ok: false, code: BAD_INPUT, message } for %s, changing no rate', async (_what, body) => {
    const before = await ratesSnapshot();
    const res = await postFormula(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const json = await res.json();
    expect(json).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(typeof json.message).toBe('string');
    expect(json.message.length).toBeGreaterThan(0);
    expectNoInternals(json);
    expect(await ratesSnapshot()).toEqual(before);
  });

  it('refuses a rate over the bound with 400 BAD_INPUT naming cpuPerHour and 1000, changing no rate', async () => {
    const before = await ratesSnapshot();
    const res = await postFormula(JSON.stringify({ type: 'mu', cpu: '999999999.999999', gpu: '1', mem: '1' }));
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    expect(json.message).toMatch(/cpuPerHour/);
    expect(json.message).toMatch(/\b1000\b/);
    expect(await ratesSnapshot()).toEqual(before);
  });

  it('still accepts a valid change at the bound', async () => {
    const res = await postFormula(JSON.stringify({ type: 'gov', cpu: '1000', gpu: '18', mem: '0.08' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'gov', cpuPerHour: '1000', gpuPerHour: '18' });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. updateRate refuses a rate over the bound; at the bound every total, usage and receipt still prices.
// ---------------------------------------------------------------------------------------------

describe('3. updateRate and the rate bound', () => {
  const JOBS = /* GraphQL */ `
    query($f: JobFilter) {
      jobs(filter: $f, first: 1000) {
        totals { jobs cost }
        edges { node { key user cost { cost } } }
        pageInfo { hasNextPage }
      }
    }
  `;

  async function expectTotalsMatchJobs(filter: Record<string, unknown> | null, cookie: string) {
    const r = await t.gql(JOBS, { f: filter }, cookie);
    expect(r.errors).toBeUndefined();
    const { totals, edges, pageInfo } = r.data.jobs;
    expect(pageInfo.hasNextPage).toBe(false);
    expect(edges.length).toBeGreaterThan(0);
    expect(totals.jobs).toBe(edges.length);
    const sum = edges.reduce((s: bigint, e: any) => s + satang(e.node.cost.cost), 0n);
    expect(satang(totals.cost)).toBe(sum);
    return { totals, edges };
  }

  it('refuses cpuPerHour "999999999.999999" with BAD_INPUT naming the field and the bound, writing nothing', async () => {
    const before = await ratesSnapshot();
    const r = await t.gql(UPDATE, { input: { tier: 'mu', cpuPerHour: '999999999.999999', gpuPerHour: '12', memGBPerHour: '0.05' } }, admin);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    expect(r.errors![0].message).toMatch(/cpuPerHour/);
    expect(r.errors![0].message).toMatch(/\b1000\b/);
    expectNoInternals(r.errors);
    expect(await ratesSnapshot()).toEqual(before);
  });

  it('refuses 1000.000001, just over the bound, on every resource', async () => {
    for (const field of ['cpuPerHour', 'gpuPerHour', 'memGBPerHour'] as const) {
      const input = { tier: 'mu', cpuPerHour: '1', gpuPerHour: '1', memGBPerHour: '1', [field]: '1000.000001' };
      const r = await t.gql(UPDATE, { input }, admin);
      expect(codes(r)).toEqual(['BAD_INPUT']);
      expect(r.errors![0].message).toContain(field);
    }
  });

  it('accepts "1000", and then totals, usage and receipts still work and agree with the per-job costs', async () => {
    const set = await t.gql(UPDATE, { input: { tier: 'mu', cpuPerHour: '1000', gpuPerHour: '1000', memGBPerHour: '1000' } }, admin);
    expect(set.errors).toBeUndefined();
    expect(set.data.updateRate).toEqual({ tier: 'mu', cpuPerHour: '1000', gpuPerHour: '1000', memGBPerHour: '1000' });

    // every job, as staff; alice's, as alice
    const all = await expectTotalsMatchJobs(null, admin);
    expect(all.edges.map((e: any) => e.node.user)).toEqual(expect.arrayContaining(['alice', 'bob']));
    const own = await expectTotalsMatchJobs({ user: 'alice' }, alice);
    expect(satang(own.totals.cost)).toBeGreaterThan(0n);

    const usage = await t.gql('{ usage(filter: { user: "alice" }, groupBy: [user]) { user totals { jobs cost } } }', {}, alice);
    expect(usage.errors).toBeUndefined();
    expect(usage.data.usage).toEqual([{ user: 'alice', totals: own.totals }]);
    const everyone = await t.gql('{ usage(groupBy: [user]) { user totals { cost } } }', {}, admin);
    expect(everyone.errors).toBeUndefined();
    const byUser = everyone.data.usage.reduce((s: bigint, b: any) => s + satang(b.totals.cost), 0n);
    expect(byUser).toBe(satang(all.totals.cost));

    const cutoff = '2026-11-25T00:00:00Z';
    const billable = await expectTotalsMatchJobs({ user: 'alice', endedBefore: cutoff, billed: false }, alice);
    const receipt = await t.gql(
      'mutation($c: DateTime!) { createReceipt(input: { cutoff: $c }) { id total itemCount items { billingKey cost } } }',
      { c: cutoff },
      alice,
    );
    expect(receipt.errors).toBeUndefined();
    const made = receipt.data.createReceipt;
    expect(made.itemCount).toBe(billable.edges.length);
    expect(made.total).toBe(billable.totals.cost);
    expect(made.items.reduce((s: bigint, i: any) => s + satang(i.cost), 0n)).toBe(satang(made.total));

    // billed jobs are priced as billed; the totals still agree with them
    await expectTotalsMatchJobs({ user: 'alice' }, alice);
    await expectTotalsMatchJobs(null, admin);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. DateTime input takes only full ISO 8601 instants, or epoch milliseconds (never a year).
// ---------------------------------------------------------------------------------------------

describe('4. DateTime input', () => {
  const MY_JOBS = 'query($x: DateTime) { myJobs(completedBefore: $x) { key } }';
  const DATA_SOURCE = 'query($from: DateTime) { dataSource(from: $from) { id } }';
  const REFUSED: unknown[] = [
    '2026-10-31',
    '2026-02-30T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '2026-10-31T17:00:00',
    '2026-13-01T00:00:00Z',
    '2026-10-31 17:00:00Z',
    'yesterday',
    '',
    true,
    -1,
    '-1',
    253402300800000,
    '253402300800000',
    12.5,
    '12.5',
    '1e3',
  ];

  it.each(REFUSED.map((v) => [JSON.stringify(v), v]))('refuses %s as a variable with BAD_INPUT', async (_shown, value) => {
    for (const [query, name] of [[MY_JOBS, 'x'], [DATA_SOURCE, 'from']] as const) {
      const r = await t.gql(query, { [name]: value }, alice);
      expect(codes(r)).toEqual(['BAD_INPUT']);
      expect(r.data ?? null).toBeNull();
      expectNoInternals(r.errors);
    }
  });

  it.each(['"2026-10-31"', '"2026-02-30T00:00:00Z"', '-1', '253402300800000', '"253402300800000"', '12.5', '1e3', '"1e3"', 'true'])(
    'refuses %s written in the query with BAD_INPUT',
    async (literal) => {
      const r = await t.gql(`{ myJobs(completedBefore: ${literal}) { key } }`, {}, alice);
      expect(codes(r)).toEqual(['BAD_INPUT']);
    },
  );

  it('takes a string of digits or a number as epoch milliseconds, never as a year', async () => {
    // 1 ms, 2026 ms, 12.345 s after the epoch (server/src/time.test.ts checks the exact instants): before every job
    for (const value of ['1', '2026', 12345, 0]) {
      const jobs = await t.gql(MY_JOBS, { x: value }, alice);
      expect(jobs.errors).toBeUndefined();
      expect(jobs.data.myJobs).toEqual([]);
    }
    for (const literal of ['"2026"', '12345', '0']) {
      const r = await t.gql(`{ myJobs(completedBefore: ${literal}) { key } }`, {}, alice);
      expect(r.errors).toBeUndefined();
      expect(r.data.myJobs).toEqual([]);
    }
  });

  it('accepts full instants, in UTC or with an offset, and the same instant as epoch milliseconds', async () => {
    for (const value of ['2026-10-31T17:00:00Z', '2026-10-31T17:00:00.123+07:00', 1793466000000, '1793466000000']) {
      const jobs = await t.gql(MY_JOBS, { x: value }, alice);
      expect(jobs.errors).toBeUndefined();
      const keys = jobs.data.myJobs.map((j: any) => j.key);
      expect(keys).toEqual(expect.arrayContaining(['test:100', 'test:101']));
      expect(keys).not.toContain('test:102');
      const source = await t.gql(DATA_SOURCE, { from: value }, alice);
      expect(source.errors).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 5. A user may hold at most MAX_LIVE_TOKENS live API tokens, however the creations arrive.
// ---------------------------------------------------------------------------------------------

describe('5. the cap on live API tokens', () => {
  const CREATE = 'mutation($n: String!) { createApiToken(name: $n) { token apiToken { id } } }';
  const REVOKE = 'mutation($id: Int!) { revokeApiToken(id: $id) { id revokedAt } }';

  const liveCount = async (username: string) => {
    const user = await t.app.db.user.findUniqueOrThrow({ where: { username } });
    return t.app.db.apiToken.count({ where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] } });
  };

  it(`lets exactly ${MAX_LIVE_TOKENS} of ${MAX_LIVE_TOKENS + 5} concurrent creations through, the rest LIMIT_REACHED`, async () => {
    const cookie = await t.cookieFor('tokencap', 'user');
    const results = await Promise.all(Array.from({ length: MAX_LIVE_TOKENS + 5 }, (_, i) => t.gql(CREATE, { n: `dash-${i}` }, cookie)));
    const created = results.filter((r) => r.data?.createApiToken);
    const refused = results.filter((r) => !r.data?.createApiToken);
    expect(refused.map(codes)).toEqual(Array.from({ length: 5 }, () => ['LIMIT_REACHED']));
    expect(created).toHaveLength(MAX_LIVE_TOKENS);
    for (const r of refused) {
      expect(r.errors![0].extensions.limit).toBe(MAX_LIVE_TOKENS);
      expect(r.errors![0].message).toContain(String(MAX_LIVE_TOKENS));
    }
    expect(await liveCount('tokencap')).toBe(MAX_LIVE_TOKENS);

    // one more, in sequence, is refused too
    expect(codes(await t.gql(CREATE, { n: 'one-too-many' }, cookie))).toEqual(['LIMIT_REACHED']);

    // revoking one makes room for exactly one
    const revoked = await t.gql(REVOKE, { id: created[0].data.createApiToken.apiToken.id }, cookie);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeApiToken.revokedAt).not.toBeNull();
    const again = await Promise.all([t.gql(CREATE, { n: 'room-1' }, cookie), t.gql(CREATE, { n: 'room-2' }, cookie)]);
    expect(again.filter((r) => r.data?.createApiToken)).toHaveLength(1);
    expect(again.flatMap(codes)).toEqual(['LIMIT_REACHED']);
    expect(await liveCount('tokencap')).toBe(MAX_LIVE_TOKENS);
  });

  it('does not count revoked or expired tokens', async () => {
    const cookie = await t.cookieFor('tokenold', 'user');
    const user = await t.app.db.user.findUniqueOrThrow({ where: { username: 'tokenold' } });
    const past = new Date(Date.now() - 86_400_000);
    await t.app.db.apiToken.createMany({
      data: Array.from({ length: MAX_LIVE_TOKENS * 2 }, (_, i) => ({
        userId: user.id,
        name: `old-${i}`,
        tokenHash: randomBytes(32).toString('hex'),
        scope: 'read',
        ...(i % 2 === 0 ? { revokedAt: past } : { expiresAt: past }),
      })),
    });
    expect(await liveCount('tokenold')).toBe(0);
    const results = await Promise.all(Array.from({ length: MAX_LIVE_TOKENS }, (_, i) => t.gql(CREATE, { n: `new-${i}` }, cookie)));
    expect(results.flatMap(codes)).toEqual([]);
    expect(await liveCount('tokenold')).toBe(MAX_LIVE_TOKENS);
    expect(codes(await t.gql(CREATE, { n: 'over' }, cookie))).toEqual(['LIMIT_REACHED']);
  });

  it('counts a token that expires later as live', async () => {
    const cookie = await t.cookieFor('tokenlater', 'user');
    for (let i = 0; i < MAX_LIVE_TOKENS; i++) {
      const r = await t.gql('mutation($n: String!) { createApiToken(name: $n, expiresInDays: 1) { apiToken { id } } }', { n: `later-${i}` }, cookie);
      expect(r.errors).toBeUndefined();
    }
    expect(codes(await t.gql(CREATE, { n: 'over' }, cookie))).toEqual(['LIMIT_REACHED']);
  });

  it('holds the cap, and answers only LIMIT_REACHED or RETRY_LATER, when server processes race on one database', { timeout: 180_000 }, async () => {
    // Each contender is a whole app in its own OS process, with its own SQLite connection to this
    // app's database file, as replicas of the server would be (in one process the adapter
    // serializes transactions, so only processes can race).
    await t.cookieFor('tokenrace', 'user');
    const WORKERS = 3;
    const EACH = Math.ceil((MAX_LIVE_TOKENS + 5) / WORKERS);
    const worker = `
      const [root, dir, username, n] = process.argv.slice(1);
      const { startTestApp } = await import(root + '/tests/api/harness.ts');
      const app = await startTestApp({}, dir);
      const cookie = await app.cookieFor(username, 'user');
      await app.gql('{ myApiTokens(first: 1) { id } }', {}, cookie);
      console.log('ready');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      const outcomes = await Promise.all(Array.from({ length: Number(n) }, (_, i) =>
        app.gql('mutation($n: String!) { createApiToken(name: $n) { apiToken { id } } }', { n: 'race-' + process.pid + '-' + i }, cookie).then(
          (r) => (r.data && r.data.createApiToken ? 'ok' : r.errors.map((e) => e.extensions && e.extensions.code).join(',')),
          (e) => 'request failed: ' + String(e),
        ),
      ));
      console.log(JSON.stringify(outcomes));
      await app.close(true);
      process.exit(0);
    `;
    const tsx = path.join(ROOT, 'server/node_modules/.bin/tsx');
    const contenders = Array.from({ length: WORKERS }, () => {
      const child = spawn(tsx, ['--input-type=module', '-e', worker, ROOT, t.dir, 'tokenrace', String(EACH)], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((r) => child.on('close', r));
      return { child, out: () => out, err: () => err, exited };
    });
    try {
      await until('every contender to be ready', () => contenders.every((c) => c.out().includes('ready') || c.child.exitCode !== null), 120_000);
      expect(contenders.map((c) => c.child.exitCode), contenders.map((c) => c.err()).join('\n')).toEqual(contenders.map(() => null));
      for (const c of contenders) c.child.stdin!.write('go\n');
      const exits = await Promise.all(contenders.map((c) => c.exited));
      expect(exits, contenders.map((c) => c.err()).join('\n')).toEqual(contenders.map(() => 0));
    } finally {
      for (const c of contenders) if (c.child.exitCode === null) c.child.kill();
    }
    const outcomes: string[] = contenders.flatMap((c) => JSON.parse(c.out().trim().split('\n').pop()!));
    expect(outcomes).toHaveLength(WORKERS * EACH);
    const unexpected = outcomes.filter((o) => !['ok', 'LIMIT_REACHED', 'RETRY_LATER'].includes(o));
    expect(unexpected, 'outcomes other than a token, LIMIT_REACHED or RETRY_LATER').toEqual([]);
    const ok = outcomes.filter((o) => o === 'ok').length;
    expect(ok).toBeLessThanOrEqual(MAX_LIVE_TOKENS);
    expect(await liveCount('tokenrace')).toBe(ok);
    if (!outcomes.includes('RETRY_LATER')) expect(ok).toBe(MAX_LIVE_TOKENS);
  });
});

// ---------------------------------------------------------------------------------------------
// 6 and 7. A subscription ends with the credential it was opened with.
// ---------------------------------------------------------------------------------------------

const SUBSCRIPTION = 'subscription { rateChanged { tier cpuPerHour } }';

interface Subscriber {
  /** Every payload the server sent (`next`), data and errors alike. */
  payloads: any[];
  /** What the client reported as an error (a socket close, an `error` message, a broken stream). */
  failures: unknown[];
  completed: boolean;
  close(): Promise<void>;
}

const dataOf = (s: Subscriber) => s.payloads.filter((p) => p.data).map((p) => p.data.rateChanged);
const errorCodesOf = (s: Subscriber) => [
  ...s.payloads.flatMap((p) => (p.errors ?? []).map((e: any) => e.extensions?.code)),
  ...s.failures.flatMap((f) => (Array.isArray(f) ? f.map((e: any) => e.extensions?.code) : [`failure: ${String((f as any)?.code ?? f)}`])),
];

function wsSubscriber(headers: Record<string, string>): Subscriber {
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    retryAttempts: 0,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
  });
  const s: Subscriber = {
    payloads: [],
    failures: [],
    completed: false,
    close: () => Promise.resolve(client.dispose()),
  };
  client.subscribe(
    { query: SUBSCRIPTION },
    {
      next: (v) => void s.payloads.push(v),
      error: (e) => void s.failures.push(e),
      complete: () => {
        s.completed = true;
      },
    },
  );
  return s;
}

/** GraphQL over SSE (distinct connections mode) on the real port: one POST, a stream of `next` events, `complete`. */
function sseSubscriber(headers: Record<string, string>): Subscriber & { status: Promise<number>; contentType: Promise<string | null> } {
  const abort = new AbortController();
  let status!: (n: number) => void;
  let contentType!: (v: string | null) => void;
  const s = {
    payloads: [] as any[],
    failures: [] as unknown[],
    completed: false,
    /** The stream itself ended. */
    ended: false,
    status: new Promise<number>((r) => (status = r)),
    contentType: new Promise<string | null>((r) => (contentType = r)),
    async close() {
      abort.abort();
    },
  };
  void (async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        'x-graphql-yoga-csrf': '1',
        ...headers,
      },
      body: JSON.stringify({ query: SUBSCRIPTION }),
      signal: abort.signal,
    });
    status(res.status);
    contentType(res.headers.get('content-type'));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue;
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (event === 'complete') s.completed = true;
        else if (data.length > 0 && data.join('\n').trim()) s.payloads.push(JSON.parse(data.join('\n')));
      }
    }
    s.ended = true;
  })().catch((error) => {
    if (!abort.signal.aborted) s.failures.push(error);
    s.ended = true;
  });
  return s;
}

let bump = 0;
/** Changes the private tier's CPU rate to a value not used before, and answers it as the server wrote it. */
async function changeRate(): Promise<string> {
  bump += 1;
  const r = await t.gql(UPDATE, { input: { tier: 'private', cpuPerHour: `2.${String(bump).padStart(4, '0')}1`, gpuPerHour: '35', memGBPerHour: '0.15' } }, admin);
  expect(r.errors).toBeUndefined();
  return r.data.updateRate.cpuPerHour;
}

/**
 * Publishes rate changes until every subscriber has received one: only then is each subscription
 * registered with the event bus, and so with its credential's end.
 */
async function untilSubscribed(...subs: Subscriber[]) {
  const stop = Date.now() + DEADLINE_MS;
  for (;;) {
    const cpu = await changeRate();
    const got = () => subs.every((s) => dataOf(s).some((d) => d.tier === 'private' && d.cpuPerHour === cpu));
    const waitUntil = Date.now() + 500;
    while (!got() && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    if (got()) return;
    for (const s of subs) {
      if (s.completed || s.failures.length) throw new Error(`a subscriber ended before it was registered: ${JSON.stringify({ payloads: s.payloads, failures: s.failures.map(String) })}`);
    }
    if (Date.now() > stop) throw new Error('timed out waiting for the subscriptions to register');
  }
}

/** POST /auth/logout as a browser does it (same origin, CSRF double submit). */
async function logout(sessionCookie: string) {
  const res = await fetch(`${base}/auth/logout`, {
    method: 'POST',
    headers: {
      cookie: `${sessionCookie}; csrf=${csrf}`,
      origin: base,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': csrf,
    },
    body: '{}',
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, redirect: '/login' });
}

/** After its credential ended: exactly one UNAUTHENTICATED error, then completion, and no data since. */
async function expectEndedWithCredential(s: Subscriber, dataBefore: number, what: string) {
  await until(`${what} to complete`, () => s.completed || s.failures.length > 0 || ('ended' in s && (s as any).ended));
  expect(errorCodesOf(s)).toEqual(['UNAUTHENTICATED']);
  expect(s.completed).toBe(true);
  const last = s.payloads[s.payloads.length - 1];
  expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(last.data ?? null).toBeNull();
  expectNoInternals(last.errors);
  expect(dataOf(s)).toHaveLength(dataBefore);
}

describe('6. subscriptions over graphql-ws end with their credential', () => {
  it('ends a cookie subscriber at logout with one UNAUTHENTICATED error and completion; another session keeps receiving', async () => {
    const first = await t.cookieFor('alice');
    const second = await t.cookieFor('alice');
    const other = await t.cookieFor('bob');
    const a = wsSubscriber({ cookie: first });
    const b = wsSubscriber({ cookie: second });
    const c = wsSubscriber({ cookie: other });
    try {
      await untilSubscribed(a, b, c);
      const aBefore = dataOf(a).length;
      await logout(first);
      await expectEndedWithCredential(a, aBefore, 'the logged-out subscriber');

      // the logged-out session's socket is no way back in: the session is gone
      const viewer = await t.gql('{ viewer { username } }', {}, first);
      expect(viewer.data.viewer).toBeNull();

      // the other subscribers are untouched and still receive changes made after the logout
      const cpu = await changeRate();
      await until('the other session to receive the change made after the logout', () =>
        dataOf(b).some((d) => d.cpuPerHour === cpu) && dataOf(c).some((d) => d.cpuPerHour === cpu),
      );
      expect(b.completed).toBe(false);
      expect(errorCodesOf(b)).toEqual([]);
      expect(c.completed).toBe(false);
      expect(dataOf(a)).toHaveLength(aBefore);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('ends a bearer-token subscriber when the token is revoked; another token keeps receiving', async () => {
    const session = await t.cookieFor('alice');
    const mint = async (name: string) => {
      const r = await t.gql('mutation($n: String!) { createApiToken(name: $n) { token apiToken { id } } }', { n: name }, session);
      expect(r.errors).toBeUndefined();
      return r.data.createApiToken as { token: string; apiToken: { id: number } };
    };
    const revokedToken = await mint('ws-revoked');
    const keptToken = await mint('ws-kept');
    const a = wsSubscriber({ authorization: `Bearer ${revokedToken.token}` });
    const b = wsSubscriber({ authorization: `Bearer ${keptToken.token}` });
    try {
      await untilSubscribed(a, b);
      const aBefore = dataOf(a).length;
      const r = await t.gql('mutation($id: Int!) { revokeApiToken(id: $id) { id } }', { id: revokedToken.apiToken.id }, session);
      expect(r.errors).toBeUndefined();
      await expectEndedWithCredential(a, aBefore, 'the revoked token’s subscriber');

      const cpu = await changeRate();
      await until('the other token to receive the change made after the revocation', () => dataOf(b).some((d) => d.cpuPerHour === cpu));
      expect(b.completed).toBe(false);
      expect(errorCodesOf(b)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses a subscription opened with a session that has already logged out', async () => {
    const gone = await t.cookieFor('alice');
    await logout(gone);
    const s = wsSubscriber({ cookie: gone });
    try {
      await until('the refusal', () => s.completed || s.failures.length > 0 || s.payloads.length > 0);
      expect(errorCodesOf(s)).toEqual(['UNAUTHENTICATED']);
      expect(dataOf(s)).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('7. subscriptions over SSE end with their credential', () => {
  it('ends a cookie subscriber’s stream at logout with an UNAUTHENTICATED error; another session keeps receiving', async () => {
    const first = await t.cookieFor('alice');
    const second = await t.cookieFor('alice');
    const a = sseSubscriber({ cookie: first });
    const b = sseSubscriber({ cookie: second });
    try {
      expect(await a.status).toBe(200);
      expect(await a.contentType).toMatch(/text\/event-stream/);
      await untilSubscribed(a, b);
      const aBefore = dataOf(a).length;
      await logout(first);
      await until('the logged-out stream to end', () => (a as any).ended);
      expect(a.failures).toEqual([]);
      expect(errorCodesOf(a)).toEqual(['UNAUTHENTICATED']);
      const last = a.payloads[a.payloads.length - 1];
      expect(last.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expectNoInternals(last.errors);
      expect(dataOf(a)).toHaveLength(aBefore);

      const cpu = await changeRate();
      await until('the other stream to receive the change made after the logout', () => dataOf(b).some((d) => d.cpuPerHour === cpu));
      expect(errorCodesOf(b)).toEqual([]);
      expect((b as any).ended).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('ends a bearer-token subscriber’s stream when the token is revoked', async () => {
    const session = await t.cookieFor('alice');
    const r = await t.gql('mutation { createApiToken(name: "sse") { token apiToken { id } } }', {}, session);
    expect(r.errors).toBeUndefined();
    const { token, apiToken } = r.data.createApiToken;
    const a = sseSubscriber({ authorization: `Bearer ${token}` });
    try {
      expect(await a.status).toBe(200);
      await untilSubscribed(a);
      const aBefore = dataOf(a).length;
      const revoked = await t.gql('mutation($id: Int!) { revokeApiToken(id: $id) { id } }', { id: apiToken.id }, session);
      expect(revoked.errors).toBeUndefined();
      await until('the revoked token’s stream to end', () => (a as any).ended);
      expect(a.failures).toEqual([]);
      expect(errorCodesOf(a)).toEqual(['UNAUTHENTICATED']);
      expect(dataOf(a)).toHaveLength(aBefore);
    } finally {
      await a.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 8. A job larger than the ledger can price is left out of the ledger and named in the sync's report.
// ---------------------------------------------------------------------------------------------

describe('8. a Slurm job larger than the ledger can price', () => {
  let app: TestApp;
  let dir: string;
  let staff: string;
  const HUGE_CPUS = 2 ** 33;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-oversized-'));
    const csv = path.join(dir, 'jobs.csv');
    const huge = `test,999,carol,physics,cpu,glitch,COMPLETED,2026-10-03T00:00:00,2026-10-03T00:00:00,2026-10-03T01:00:00,01:00:00,01:00:00,"cpu=${HUGE_CPUS},mem=4G,node=1","cpu=${HUGE_CPUS},mem=4G,node=1"`;
    writeFileSync(csv, `${readFileSync(FIXTURE, 'utf8').trimEnd()}\n${huge}\n`);
    app = await startTestApp({ JOBS_CSV: csv });
    await app.app.syncNow('startup');
    staff = await app.cookieFor('admin', 'admin');
    await app.cookieFor('carol', 'user');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not stored, while the other jobs are', async () => {
    expect(await app.app.db.jobRecord.findUnique({ where: { key: 'test:999' } })).toBeNull();
    const keys = (await app.app.db.jobRecord.findMany({ select: { key: true } })).map((j) => j.key).sort();
    expect(keys).toEqual(['test:100', 'test:101', 'test:102', 'test:103', 'test:200']);
  });

  it('is named, with its key and "cpus", in the sync run dataSource reports', async () => {
    const r = await app.gql('{ dataSource { status source jobCount error } }', {}, staff);
    expect(r.errors).toBeUndefined();
    expect(r.data.dataSource).toMatchObject({ status: 'ok', source: 'csv', jobCount: 5 });
    expect(r.data.dataSource.error).toContain('test:999');
    expect(r.data.dataSource.error).toMatch(/cpus/);
    expect(r.data.dataSource.error).toContain(String(HUGE_CPUS));
    const run = await app.app.db.syncRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(run.error).toContain('test:999');
    const audit = await app.app.db.auditEntry.findFirstOrThrow({ where: { action: 'jobs.sync' }, orderBy: { id: 'desc' } });
    expect(JSON.parse(audit.extra).oversized).toEqual([expect.stringContaining('test:999')]);
  });

  it('leaves totals, usage and the owner’s view working', async () => {
    const all = await app.gql('{ jobs(first: 100) { totals { jobs cost } edges { node { key cost { cost } } } } }', {}, staff);
    expect(all.errors).toBeUndefined();
    expect(all.data.jobs.edges.map((e: any) => e.node.key)).not.toContain('test:999');
    expect(all.data.jobs.totals.jobs).toBe(all.data.jobs.edges.length);
    const sum = all.data.jobs.edges.reduce((s: bigint, e: any) => s + satang(e.node.cost.cost), 0n);
    expect(satang(all.data.jobs.totals.cost)).toBe(sum);
    const usage = await app.gql('{ usage(groupBy: [user]) { user totals { jobs cost } } }', {}, staff);
    expect(usage.errors).toBeUndefined();
    expect(usage.data.usage.map((b: any) => b.user).sort()).toEqual(['alice', 'bob']);
    const carol = await app.gql('{ jobs(filter: { user: "carol" }) { totals { jobs cost } } }', {}, await app.cookieFor('carol'));
    expect(carol.errors).toBeUndefined();
    expect(carol.data.jobs.totals).toEqual({ jobs: 0, cost: '0.00' });
  });
});

// ---------------------------------------------------------------------------------------------
// 8 (the bound itself). Jobs as large as the ledger holds are stored and priced exactly, at the
// highest rates, alone and together: the bound exists so that totals never overflow.
// ---------------------------------------------------------------------------------------------

describe('8. jobs at the largest size the ledger holds, at the highest rates', () => {
  let app: TestApp;
  let dir: string;
  let staff: string;
  const MANY = 30;
  const secs = LARGEST_JOB.elapsedSeconds;
  // "cpu=…,mem=…G,gres/gpu=…" at exactly LARGEST_JOB, for exactly LARGEST_JOB.elapsedSeconds
  const tres = `"cpu=${LARGEST_JOB.cpus},mem=${LARGEST_JOB.memMiB / 1024}G,node=1,gres/gpu=${LARGEST_JOB.gpus}"`;
  const days = secs / 86_400;
  const row = (id: number, user: string) =>
    `test,${id},${user},physics,gpu,largest,COMPLETED,2023-10-01T00:00:00,2023-10-01T00:00:00,2026-09-30T00:00:00,${days}-00:00:00,00:10:00,${tres},${tres}`;
  /** Satang of one such job at MAX_RATE_THB_PER_HOUR for everything, exactly, rounded half up. */
  const expectedSatang = (() => {
    const rate = BigInt(MAX_RATE_THB_PER_HOUR) * 1_000_000n; // µTHB per hour
    const u = BigInt(LARGEST_JOB.cpus) * 1024n * rate + BigInt(LARGEST_JOB.gpus) * 1024n * rate + BigInt(LARGEST_JOB.memMiB) * rate;
    const d = 3600n * 1024n * 10_000n;
    return (2n * u * BigInt(secs) + d) / (2n * d);
  })();
  const JOBS = 'query($f: JobFilter) { jobs(filter: $f, first: 1000) { totals { jobs cost } edges { node { key cpus gpus elapsedSeconds cost { cost } } } } }';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-largest-'));
    const csv = path.join(dir, 'jobs.csv');
    const rows = [row(1, 'one'), ...Array.from({ length: MANY }, (_, i) => row(100 + i, 'many'))];
    writeFileSync(csv, `${CSV_HEADER}\n${rows.join('\n')}\n`);
    app = await startTestApp({ JOBS_CSV: csv });
    await app.app.syncNow('startup');
    staff = await app.cookieFor('admin', 'admin');
    await app.cookieFor('one', 'user', 'mu');
    await app.cookieFor('many', 'user', 'mu');
    const max = String(MAX_RATE_THB_PER_HOUR);
    const r = await app.gql(UPDATE, { input: { tier: 'mu', cpuPerHour: max, gpuPerHour: max, memGBPerHour: max } }, staff);
    expect(r.errors).toBeUndefined();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores every one of them (none is over the bound)', async () => {
    const run = await app.app.db.syncRun.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(run).toMatchObject({ status: 'ok', jobCount: MANY + 1, error: null });
  });

  it('prices one exactly, and its total equals its cost', async () => {
    const r = await app.gql(JOBS, { f: { user: 'one' } }, staff);
    expect(r.errors).toBeUndefined();
    const [edge] = r.data.jobs.edges;
    expect(edge.node).toMatchObject({ cpus: LARGEST_JOB.cpus, gpus: LARGEST_JOB.gpus, elapsedSeconds: secs });
    expect(satang(edge.node.cost.cost)).toBe(expectedSatang);
    expect(r.data.jobs.totals).toEqual({ jobs: 1, cost: edge.node.cost.cost });
    const db = await app.app.db.jobRecord.findUniqueOrThrow({ where: { key: 'test:1' } });
    expect(db.memMiB).toBe(LARGEST_JOB.memMiB);
  });

  it('shows its size through the API: memMiB up to LARGEST_JOB.memMiB (2^32, past a 32-bit Int)', async () => {
    const r = await app.gql('{ jobs(filter: { user: "one" }) { edges { node { key memMiB } } } myJobs { key memMiB } }', {}, await app.cookieFor('one'));
    expect(codes(r)).toEqual([]);
    expect(Number(r.data.jobs.edges[0].node.memMiB)).toBe(LARGEST_JOB.memMiB);
    expect(Number(r.data.myJobs[0].memMiB)).toBe(LARGEST_JOB.memMiB);
  });

  it(`keeps totals and usage working over ${MANY} of them, equal to the sum of their costs`, async () => {
    for (const filter of [{ user: 'many' }, null]) {
      const r = await app.gql(JOBS, { f: filter }, staff);
      expect(codes(r)).toEqual([]);
      const sum = r.data.jobs.edges.reduce((s: bigint, e: any) => s + satang(e.node.cost.cost), 0n);
      expect(satang(r.data.jobs.totals.cost)).toBe(sum);
    }
    const usage = await app.gql('{ usage(groupBy: [user]) { user totals { jobs cost cpuHours memGBHours } } }', {}, staff);
    expect(codes(usage)).toEqual([]);
    expect(usage.data.usage.find((b: any) => b.user === 'many').totals.jobs).toBe(MANY);
  });
});
