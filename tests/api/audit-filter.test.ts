import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAudit, systemMeta } from '../../server/src/audit/recorder.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: string;
let base: string;

// Three entries on fixed days of 2001, long before anything the app writes by itself.
const AT = ['2001-01-10T12:00:00.000Z', '2001-01-20T12:00:00.000Z', '2001-02-01T00:00:00.000Z'];

beforeAll(async () => {
  t = await startTestApp();
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  admin = await t.cookieFor('admin', 'admin');
  // Only Date is faked: the database's timers keep running.
  vi.useFakeTimers({ toFake: ['Date'] });
  try {
    for (const [i, at] of AT.entries()) {
      vi.setSystemTime(new Date(at));
      await recordAudit(t.app.db, { action: 'jobs.sync', target: `window-${i}`, extra: { i } }, systemMeta());
    }
  } finally {
    vi.useRealTimers();
  }
});
afterAll(() => t.close());

const QUERY = 'query ($filter: AuditFilter) { auditEntries(filter: $filter) { target ts } }';
const targets = async (filter: Record<string, unknown>) => {
  const r = await t.gql(QUERY, { filter }, admin);
  expect(r.errors).toBeUndefined();
  return (r.data.auditEntries as Array<{ target: string }>).map((e) => e.target).filter((x) => x.startsWith('window-'));
};

describe('auditEntries filtered by time', () => {
  it('keeps entries at or after `from` and before `to`', async () => {
    expect(await targets({ from: '2001-01-15T00:00:00Z', to: '2001-02-01T00:00:00Z' })).toEqual(['window-1']);
    expect(await targets({ from: '2001-01-20T12:00:00Z' })).toEqual(['window-2', 'window-1']);
    expect(await targets({ to: '2001-01-20T12:00:00Z' })).toEqual(['window-0']);
    // a local day as the web sends it: its start and the next day's start, here in UTC+7
    expect(await targets({ from: '2001-01-20T00:00:00+07:00', to: '2001-01-21T00:00:00+07:00' })).toEqual(['window-1']);
  });

  it('takes the API’s other instant form, epoch milliseconds', async () => {
    const from = String(Date.parse('2001-01-15T00:00:00Z'));
    expect(await targets({ from, to: Date.parse('2001-01-25T00:00:00Z') })).toEqual(['window-1']);
  });

  it('refuses a time that is not an instant, naming what was sent', async () => {
    for (const from of ['2001-13-01T00:00:00Z', 'yesterday', '2001-01-15', '1e12', -5]) {
      const r = await t.gql(QUERY, { filter: { from } }, admin);
      expect(codes(r), String(from)).toEqual(['BAD_INPUT']);
      expect(r.errors![0].message).toContain(String(from));
    }
  });

  it('refuses an empty window instead of answering nothing', async () => {
    for (const to of ['2001-01-15T00:00:00Z', '2001-01-01T00:00:00Z']) {
      const r = await t.gql(QUERY, { filter: { from: '2001-01-15T00:00:00Z', to } }, admin);
      expect(codes(r)).toEqual(['BAD_INPUT']);
      expect(r.errors![0].message).toMatch(/empty: from 2001-01-15T00:00:00.000Z is not before to/);
    }
  });

  it('is for staff only', async () => {
    const alice = await t.cookieFor('alice');
    expect(codes(await t.gql(QUERY, { filter: { from: '2001-01-15T00:00:00Z' } }, alice))).toEqual(['FORBIDDEN']);
  });
});

describe('audit.csv filtered by time', () => {
  it('exports the same window the page shows', async () => {
    const res = await fetch(`${base}/export/audit.csv?from=2001-01-15T00:00:00Z&to=2001-02-01T00:00:00Z`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('window-1');
    expect(text).not.toContain('window-0');
    expect(text).not.toContain('window-2');
  });

  it('answers 400 with the reason for a bad time or an empty window', async () => {
    for (const query of ['from=soon', 'from=2001-02-01T00:00:00Z&to=2001-01-01T00:00:00Z']) {
      const res = await fetch(`${base}/export/audit.csv?${query}`, { headers: { cookie: admin } });
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'BAD_INPUT' });
    }
  });
});
