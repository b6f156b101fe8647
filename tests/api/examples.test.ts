/**
 * examples/ runs as written: query_api.py against a real port with the demo data and an API token, and
 * pandas_series.py syntax-checked (pandas is not installed on the CI machines) with the CSV columns it
 * reads checked against the export. Skipped only when python3 is missing, and then failed if
 * REQUIRE_PYTHON=1.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { createApiToken } from '../../server/src/auth/tokens.ts';
import { startTestApp, type TestApp } from './harness.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const HAVE_PYTHON = python.status === 0;
const REQUIRE_PYTHON = process.env.REQUIRE_PYTHON === '1';

/**
 * The demo jobs have fixed dates (server/demo/jobs.csv). "The last 400 days" holds them while today is within
 * ~9 months of the last one; later, the window ends a day after it (--to).
 */
const DEMO_LAST = Math.max(
  ...(readFileSync(path.join(ROOT, 'server/demo/jobs.csv'), 'utf8').match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/g) ?? []).map((s) => Date.parse(`${s}Z`)),
);
const WINDOW = Date.now() >= DEMO_LAST && Date.now() - DEMO_LAST < 270 * DAY ? [] : ['--to', new Date(DEMO_LAST + DAY).toISOString()];

let t: TestApp;
let base: string;
let token: string;
// py_compile's cache goes here, not into examples/__pycache__.
const cache = mkdtempSync(path.join(tmpdir(), 'hpc-acct-pycache-'));

/** Async: the server answering the script runs in this process, so a synchronous spawn would deadlock. */
function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'python3',
      args,
      { cwd: ROOT, timeout: 60_000, env: { PATH: process.env.PATH ?? '', PYTHONPYCACHEPREFIX: cache, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe.runIf(!HAVE_PYTHON && REQUIRE_PYTHON)('python3', () => {
  it('is installed (REQUIRE_PYTHON=1)', () => {
    expect.fail(`REQUIRE_PYTHON=1 but python3 did not run: ${python.error?.message ?? python.stderr}`);
  });
});

describe.skipIf(!HAVE_PYTHON)(`examples/ (skipped when python3 is missing: ${HAVE_PYTHON ? python.stdout.trim() : 'not found'})`, () => {
  beforeAll(async () => {
    t = await startTestApp({ DEMO: '1' });
    base = `http://127.0.0.1:${(await t.app.start()).port}`;
    await t.app.syncNow('startup');
    const admin = await t.app.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    token = (await createApiToken(t.app.db, { id: admin.id, username: 'admin', role: 'admin', tier: 'mu' }, 'examples', null, systemMeta('admin'))).token;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('query_api.py prints usage per account for the last 400 days', async () => {
    const r = await run(['examples/query_api.py', '400', ...WINDOW], { HPC_ACCOUNTING_URL: base, HPC_ACCOUNTING_TOKEN: token });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Usage per account and month from /);
    expect(lines[1]).toMatch(/^bucket start\s+account\s+jobs\s+CPU-hours\s+GPU-hours\s+cost \(THB\)$/);
    const rows = lines.slice(3, -1);
    expect(rows.length).toBeGreaterThan(3);
    for (const account of ['physics', 'chemistry', 'biology']) expect(rows.some((l) => l.includes(` ${account} `))).toBe(true);
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z\s+\S+\s+\d+\s+\d+\.\d\s+\d+\.\d\s+\d+\.\d{2}$/);
    const [, count, jobs] = /^(\d+) rows, (\d+) jobs, /.exec(lines.at(-1)!) ?? [];
    expect(Number(count)).toBe(rows.length);
    expect(Number(jobs)).toBeGreaterThan(100);
  });

  it('query_api.py takes --bucket and --tz and prints local days', async () => {
    const r = await run(['examples/query_api.py', '400', '--bucket', 'DAY', '--tz', 'America/New_York', ...WINDOW], { HPC_ACCOUNTING_URL: base, HPC_ACCOUNTING_TOKEN: token });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage per account and day /);
    const rows = r.stdout.trim().split('\n').slice(3, -1);
    expect(rows.length).toBeGreaterThan(30);
    // Days of that zone: each bucket starts at local midnight.
    for (const row of rows) expect(row).toMatch(/^\d{4}-\d{2}-\d{2} 00:00\s/);
  });

  it('query_api.py exits 2 for an unknown --tz without calling the server', async () => {
    const r = await run(['examples/query_api.py', '30', '--tz', 'Mars/Olympus'], { HPC_ACCOUNTING_URL: base, HPC_ACCOUNTING_TOKEN: token });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Mars/Olympus');
  });

  it('query_api.py exits 1 with the server’s message for a token that is not valid', async () => {
    const r = await run(['examples/query_api.py', '30'], { HPC_ACCOUNTING_URL: base, HPC_ACCOUNTING_TOKEN: `hpcat_${'x'.repeat(39)}` });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: HTTP 401: This API token is not valid.*\(UNAUTHENTICATED\)\n$/);
  });

  it('query_api.py exits 1 with the server’s message for a GraphQL error', async () => {
    // 10,000 hour buckets are more than a series may hold: TOO_COMPLEX, answered with 200 and `errors`.
    const r = await run(['examples/query_api.py', '1000', '--bucket', 'HOUR', ...WINDOW], { HPC_ACCOUNTING_URL: base, HPC_ACCOUNTING_TOKEN: token });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*\(TOO_COMPLEX\)\n$/);
  });

  it('query_api.py exits 2 without the environment, naming the variables', async () => {
    const r = await run(['examples/query_api.py', '30'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HPC_ACCOUNTING_URL');
    expect(r.stderr).toContain('HPC_ACCOUNTING_TOKEN');
  });

  it('pandas_series.py compiles', async () => {
    const r = await run(['-m', 'py_compile', 'examples/pandas_series.py'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('pandas_series.py reads columns the usage CSV export has, with its byte-order mark', async () => {
    const res = await fetch(`${base}/export/usage.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = new TextDecoder().decode(bytes.slice(3)).split('\r\n')[0].split(',');
    const script = readFileSync(path.join(ROOT, 'examples/pandas_series.py'), 'utf8');
    expect(script).toContain('encoding="utf-8-sig"');
    const named = [...script.matchAll(/^CSV_(?:TIMES|NUMBERS) = \[(.*)\]$/gm)].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]));
    expect(named.length).toBeGreaterThan(5);
    for (const column of [...named, 'user']) expect(header).toContain(column);
  });
});
