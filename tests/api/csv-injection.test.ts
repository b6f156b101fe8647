import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';

// csv-parse is the server's dependency, not the workspace root's: read the exports as the server would.
const { parse } = createRequire(new URL('../../server/package.json', import.meta.url))('csv-parse/sync') as {
  parse(input: string, options: { bom: boolean; record_delimiter: string }): string[][];
};

// What a cluster user can name a job, or type as a login name: a line break, then a DDE formula.
const EVIL = "\n=cmd|' /C calc'!A0";
// How the exports must show it: as text behind an apostrophe, the line break visible.
const SHOWN = "'\\u000A=cmd|' /C calc'!A0";

const TRES = '"billing=1,cpu=1,mem=2G,node=1"';
// A job list as sacct exports it; the name quoted as CSV, its line break kept raw.
const job = (id: number, user: string, name: string) =>
  `test,${id},${user},physics,cpu,"${name.replaceAll('"', '""')}",COMPLETED,2026-10-01T00:00:00,2026-10-01T00:00:00,2026-10-01T01:00:00,01:00:00,00:50:00,${TRES},${TRES}`;

let t: TestApp;
let jobsDir: string;
let base: string;
let csrf: string;
let alice: string;
let oper: string;
let admin: string;

beforeAll(async () => {
  jobsDir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-jobs-'));
  const jobsCsv = path.join(jobsDir, 'jobs.csv');
  writeFileSync(
    jobsCsv,
    [
      'Cluster,JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES',
      job(300, 'alice', EVIL),
      job(301, 'alice', 'train'),
      job(400, 'bob', 'orca'),
      '',
    ].join('\n'),
  );
  t = await startTestApp({ JOBS_CSV: jobsCsv });
  await t.app.syncNow('startup');
  const { port } = await t.app.start();
  base = `http://127.0.0.1:${port}`;
  csrf = /csrf=([^;]+)/.exec((await fetch(`${base}/login`)).headers.get('set-cookie') ?? '')![1];
  alice = await t.cookieFor('alice');
  oper = await t.cookieFor('oper', 'operator');
  admin = await t.cookieFor('admin', 'admin');
});
afterAll(async () => {
  await t.close();
  rmSync(jobsDir, { recursive: true, force: true });
});

/** An export as text, after checking that no line of it, however a reader splits lines, starts a formula. */
async function exportText(path: string, cookie: string) {
  const res = await fetch(base + path, { headers: { cookie } });
  expect(res.status).toBe(200);
  const text = await res.text();
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^[=+\-@]/);
  return text;
}

const rowsOf = (text: string): string[][] => parse(text, { bom: true, record_delimiter: '\r\n' });

function login(username: string, userAgent = 'vitest') {
  return fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      origin: base,
      cookie: `csrf=${csrf}`,
      'x-csrf-token': csrf,
      'user-agent': userAgent,
    },
    body: JSON.stringify({ username, password: 'wrong' }),
  });
}

describe('a job name carrying a line break and a formula', () => {
  it('was stored as the cluster reported it', async () => {
    expect((await t.app.db.jobRecord.findUniqueOrThrow({ where: { key: 'test:300' } })).name).toBe(EVIL);
  });

  it('stays in its own cell of my.csv', async () => {
    const rows = rowsOf(await exportText('/export/my.csv', alice));
    expect(rows).toHaveLength(3);
    const nameAt = rows[0].indexOf('job name');
    expect(rows.slice(1).map((r) => [r[1], r[nameAt]])).toEqual([
      ['300', SHOWN],
      ['301', 'train'],
    ]);
  });

  it('stays in its own cell of usage.csv for staff', async () => {
    const rows = rowsOf(await exportText('/export/usage.csv', oper));
    expect(rows).toHaveLength(4);
    const nameAt = rows[0].indexOf('job name');
    expect(rows.slice(1).map((r) => r[nameAt]).sort()).toEqual([SHOWN, 'orca', 'train'].sort());
  });

  it('stays in its own cell of the receipt CSV', async () => {
    const created = await t.gql('mutation { createReceipt(input: { cutoff: "2026-11-01T00:00:00Z" }) { id itemCount } }', {}, alice);
    expect(created.errors).toBeUndefined();
    const { id, itemCount } = created.data.createReceipt;
    expect(itemCount).toBe(2);
    const rows = rowsOf(await exportText(`/export/receipts/${id}.csv`, alice));
    // header, two jobs, TOTAL
    expect(rows).toHaveLength(4);
    const nameAt = rows[0].indexOf('job name');
    expect(rows.map((r) => r[nameAt])).toContain(SHOWN);
    expect(rows[3][3]).toBe('TOTAL');
  });
});

describe('a failed login whose username carries a line break and a formula', () => {
  it('adds exactly its own rows to audit.csv, with the name shown as text', async () => {
    expect((await login(EVIL)).status).toBe(401);
    // a break inside the name survives the login's trim
    expect((await login(`x${EVIL}`, '=HYPERLINK("http://evil.example","help")')).status).toBe(401);

    const rows = rowsOf(await exportText('/export/audit.csv', admin));
    expect(rows).toHaveLength((await t.app.db.auditEntry.count()) + 1);
    const [header, ...entries] = rows;
    const col = (name: string) => header.indexOf(name);
    const failures = entries.filter((r) => r[col('action')] === 'auth.login.failure');
    expect(failures.map((r) => [r[col('actor')], r[col('target')], r[col('user agent')]])).toEqual([
      ["'=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0", 'vitest'],
      ["x\\u000A=cmd|' /C calc'!A0", "x\\u000A=cmd|' /C calc'!A0", `'=HYPERLINK("http://evil.example","help")`],
    ]);
    for (const row of entries) expect(row).toHaveLength(header.length);
  });
});
