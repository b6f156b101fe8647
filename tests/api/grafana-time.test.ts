/**
 * Time arguments as Grafana's GraphQL datasources send them (see server/src/time.ts): Infinity
 * interpolates `${__from}` into the query text as a bare number and `"${__timeFrom}"` as a string
 * of digits; Wild GraphQL sends `$from`/`$to` as JSON numbers, with `interval_ms`, `maxDataPoints`
 * and `refId` besides, declared or not. ISO 8601 keeps working.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let alice: string;
let staff: string;

// 2026-10-01T00:00:00Z and 2026-10-31T17:00:00Z: the first fixture jobs end in between.
const FROM = 1790812800000;
const TO = 1793466000000;

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  await t.app.syncNow('startup');
  alice = await t.cookieFor('alice');
  staff = await t.cookieFor('oper', 'operator');
});
afterAll(() => t.close());

const ok = (r: { data?: any; errors?: any[] }) => {
  expect(r.errors).toBeUndefined();
  return r.data;
};

describe('dataSource(from, to) as Grafana sends them', () => {
  it('answers bare number literals in the query text (Infinity: `${__from}`), past GraphQL’s 32-bit Int', async () => {
    expect(FROM).toBeGreaterThan(2 ** 31);
    const data = ok(await t.gql(`{ dataSource(from: ${FROM}, to: ${TO}) { id } }`, undefined, alice));
    expect(data).toHaveProperty('dataSource');
  });

  it('answers strings of digits in the query text (Infinity: `"${__timeFrom}"`)', async () => {
    const data = ok(await t.gql(`{ dataSource(from: "${FROM}", to: "${TO}") { id } }`, undefined, alice));
    expect(data).toHaveProperty('dataSource');
  });

  it('answers $from/$to as JSON numbers with Wild’s extra variables, undeclared', async () => {
    const r = await t.gql(
      'query($from: DateTime, $to: DateTime) { dataSource(from: $from, to: $to) { id } }',
      { from: FROM, to: TO, interval_ms: 30_000, maxDataPoints: 1000, refId: 'A' },
      alice,
    );
    expect(ok(r)).toHaveProperty('dataSource');
  });

  it('answers $from/$to as strings of digits, and ISO 8601 strings as before', async () => {
    for (const [from, to] of [
      [String(FROM), String(TO)],
      ['2026-10-01T00:00:00Z', '2026-10-31T17:00:00Z'],
      ['2026-10-01T07:00:00+07:00', '2026-10-31T17:00:00.000Z'],
    ]) {
      const r = await t.gql('query($from: DateTime, $to: DateTime) { dataSource(from: $from, to: $to) { id } }', { from, to }, alice);
      expect(ok(r)).toHaveProperty('dataSource');
      const literal = await t.gql(`{ dataSource(from: "${from}", to: "${to}") { id } }`, undefined, alice);
      expect(ok(literal)).toHaveProperty('dataSource');
    }
  });

  it('reports the same sync run for the same range in every form', async () => {
    const forms = [
      t.gql(`{ dataSource(from: ${FROM}, to: ${TO}) { id } }`, undefined, staff),
      t.gql(`{ dataSource(from: "${FROM}", to: "${TO}") { id } }`, undefined, staff),
      t.gql('query($from: DateTime, $to: DateTime) { dataSource(from: $from, to: $to) { id } }', { from: FROM, to: TO }, staff),
      t.gql('{ dataSource(from: "2026-10-01T00:00:00Z", to: "2026-10-31T17:00:00Z") { id } }', undefined, staff),
    ];
    const ids = (await Promise.all(forms)).map((r) => ok(r).dataSource?.id ?? null);
    expect(ids[0]).not.toBeNull();
    expect(new Set(ids).size).toBe(1);
  });
});

describe('the same instants elsewhere', () => {
  it('answers usageSeries, the field dashboards plot, with bare number literals and with $from/$to numbers alike', async () => {
    const literal = ok(await t.gql(`{ usageSeries(from: ${FROM}, to: ${TO}) { time jobs } }`, undefined, alice)).usageSeries;
    const variables = ok(
      await t.gql(
        'query($from: DateTime!, $to: DateTime!) { usageSeries(from: $from, to: $to) { time jobs } }',
        { from: FROM, to: TO, interval_ms: 86_400_000, maxDataPoints: 31, refId: 'A' },
        alice,
      ),
    ).usageSeries;
    const iso = ok(await t.gql('{ usageSeries(from: "2026-10-01T00:00:00Z", to: "2026-10-31T17:00:00Z") { time jobs } }', undefined, alice)).usageSeries;
    expect(literal).toEqual(iso);
    expect(variables).toEqual(iso);
    expect(iso.reduce((n: number, row: any) => n + row.jobs, 0)).toBeGreaterThan(0);
  });

  it('reads epoch milliseconds exactly: myJobs(completedBefore) splits the fixture at 2026-10-31T17:00:00Z', async () => {
    for (const query of [`{ myJobs(completedBefore: ${TO}) { key } }`, `{ myJobs(completedBefore: "${TO}") { key } }`]) {
      const keys = ok(await t.gql(query, undefined, alice)).myJobs.map((j: any) => j.key);
      expect(keys).toEqual(expect.arrayContaining(['test:100', 'test:101']));
      expect(keys).not.toContain('test:102');
    }
  });

  it('answers outputs in RFC 3339 UTC whatever form the input took', async () => {
    const r = ok(await t.gql(`{ dataSource(from: ${FROM}, to: ${TO}) { rangeFrom rangeTo startedAt } }`, undefined, staff));
    for (const v of Object.values(r.dataSource as Record<string, string>)) expect(v).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('refuses what is not an instant with BAD_INPUT naming the variable and the value', async () => {
    const r = await t.gql('query($from: DateTime) { dataSource(from: $from) { id } }', { from: '1e3', refId: 'A' }, alice);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    expect(r.errors![0].message).toContain('$from');
    expect(r.errors![0].message).toContain('"1e3"');
    const literal = await t.gql('{ dataSource(from: -1) { id } }', undefined, alice);
    expect(codes(literal)).toEqual(['BAD_INPUT']);
    expect(literal.errors![0].message).toContain('-1');
  });

  it('takes epoch milliseconds in the exports’ query parameters too', async () => {
    const { port } = await t.app.start();
    const res = await fetch(`http://127.0.0.1:${port}/export/my.csv?completedBefore=${TO}`, { headers: { cookie: alice } });
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toContain('test:100');
    expect(csv).not.toContain('test:102');
    const bad = await fetch(`http://127.0.0.1:${port}/export/my.csv?completedBefore=12.5`, { headers: { cookie: alice } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: 'BAD_INPUT', message: expect.stringMatching(/^completedBefore /) });
  });
});
