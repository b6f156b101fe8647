import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';

const TOKEN = 'prometheus-scrape-token-0123456789';
let t: TestApp;
let base: string;
let admin: string;
let oper: string;
let alice: string;

beforeAll(async () => {
  t = await startTestApp({ METRICS_TOKEN: TOKEN, JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  admin = await t.cookieFor('admin', 'admin');
  oper = await t.cookieFor('oper', 'operator');
  alice = await t.cookieFor('alice');
});
afterAll(() => t.close());

const post = (cookie: string, query: string, operationName?: string) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
    body: JSON.stringify({ query, operationName }),
  }).then((r) => r.json());

/** The value of one sample of the Prometheus text, by metric name and exact labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inside = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const got = inside ? inside.split(/,(?=[a-z_]+=)/) : [];
    if (want.every((w) => got.includes(w)) && got.length === want.length) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics', () => {
  it('counts operations by name and outcome, sync runs, receipts and requests, in Prometheus text', async () => {
    expect((await post(alice, 'query Mine { viewer { username } }', 'Mine')).data.viewer.username).toBe('alice');
    expect((await post(alice, 'query Everyone { jobs(first: 1) { totals { jobs } } }', 'Everyone')).errors[0].extensions.code).toBe('FORBIDDEN');
    const synced = await post(admin, 'mutation Fill { syncJobs(from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { status jobCount } }', 'Fill');
    expect(synced.data.syncJobs).toEqual([{ status: 'ok', jobCount: 5 }]);
    expect((await post(alice, 'mutation Bill { createReceipt(input: { cutoff: "2026-11-25T00:00:00Z" }) { id } }', 'Bill')).data.createReceipt.id).toBeGreaterThan(0);

    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP hpc_accounting_graphql_operations_total /m);
    expect(sample(text, 'hpc_accounting_graphql_operations_total', { operation: 'Mine', type: 'query', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'hpc_accounting_graphql_operations_total', { operation: 'Everyone', type: 'query', outcome: 'FORBIDDEN' })).toBe(1);
    expect(sample(text, 'hpc_accounting_graphql_operation_duration_seconds_count', { operation: 'Fill', type: 'mutation' })).toBe(1);
    expect(sample(text, 'hpc_accounting_sync_runs_total', { cluster: 'test', source: 'csv', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'hpc_accounting_sync_jobs_total', { cluster: 'test', source: 'csv' })).toBe(5);
    expect(sample(text, 'hpc_accounting_sync_run_duration_seconds_count', { cluster: 'test', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'hpc_accounting_receipts_total', { event: 'created' })).toBe(1);
    expect(sample(text, 'hpc_accounting_http_requests_total', { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(4);
    // Node's own figures, the event loop's lag among them.
    expect(sample(text, 'hpc_accounting_nodejs_eventloop_lag_seconds', {})).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^hpc_accounting_db_transaction_retries_total|# TYPE hpc_accounting_db_transaction_retries_total counter/m);
  });

  it('is for staff sessions and the scrape token only', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { cookie: alice } })).status).toBe(403);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-000' } })).status).toBe(401);
    const byOperator = await fetch(`${base}/metrics`, { headers: { cookie: oper } });
    expect(byOperator.status).toBe(200);
    expect(await byOperator.text()).toMatch(/hpc_accounting_http_requests_total/);
  });
});

describe('/readyz', () => {
  it('answers 200 with each check while the database answers', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'not configured' } });
  });
});
