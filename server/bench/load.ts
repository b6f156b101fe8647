// `pnpm load [-- --jobs 100000] [--ledger <file>] [--url <base>] [--duration 10] [--connections 10]`: requests per
// second and latency of what the web and Grafana ask most, under concurrent load. Without --url the app is started in
// a child process (so the load generator never shares its event loop) on a fresh SQLite ledger of synthetic jobs, or
// on --ledger (a file an earlier `pnpm bench -- --keep` or `pnpm load -- --keep` left). With --url it loads a running
// server (PostgreSQL, or replicas behind a balancer) and logs in as --user with --password.
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/app.ts';
import { ensureRates } from '../src/billing/rates.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { upsertJobs } from '../src/jobs/ledger.ts';
import { parseSacctChunks } from '../src/slurm/sacct.ts';
import { writeSacctFile } from './sacct-file.ts';

const CLUSTER = 'bench';
/** The synthetic ledger's present, as in bench/run.ts. */
const NOW = new Date('2026-11-26T00:00:00Z');
const ADMIN_PASSWORD = 'bench-admin-password';

const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    jobs: { type: 'string', default: '100000' },
    ledger: { type: 'string' },
    keep: { type: 'boolean', default: false },
    url: { type: 'string' },
    user: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    db: { type: 'string', description: 'the database label printed for --url' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string', description: 'comma-separated beginnings of request names' },
    // The child process that serves the ledger; run alone (with --port), a server to profile or to point --url at.
    serve: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});

/** A fresh ledger of `jobs` synthetic jobs, filled as a sync stores them (rollups included). */
async function buildLedger(dir: string, jobs: number): Promise<string> {
  const capture = path.join(dir, 'sacct.psv');
  writeSacctFile(capture, { jobs, now: NOW, cluster: CLUSTER });
  const file = path.join(dir, 'ledger.db');
  const db = openDatabase(file);
  try {
    await ensureRates(db);
    async function* all() {
      for await (const batch of parseSacctChunks(createReadStream(capture), { cluster: CLUSTER })) yield* batch;
    }
    await upsertJobs(db, all(), 'sacct');
  } finally {
    await db.$disconnect();
  }
  rmSync(capture);
  return file;
}

/** The app as `pnpm start` runs it (its logging included), on the ledger; tells the parent its port. */
async function serve(ledger: string) {
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: `file:${ledger}`,
    INSTANCE_DIR: path.dirname(ledger),
    ADMIN_PASSWORD,
    WEB_HANDLER: '',
    SYNC_INTERVAL_SEC: '0',
    PAM_ENABLED: '0',
    PORT: values.port,
    HOST: '127.0.0.1',
  });
  const app = await buildApp(config);
  const { port } = await app.start();
  if (!process.send) {
    console.error(`serving ${ledger} on http://127.0.0.1:${port} (admin / ${ADMIN_PASSWORD})`);
    process.on('SIGINT', () => void app.stop().then(() => process.exit(0)));
    return;
  }
  process.send({ port });
  process.on('disconnect', () => void app.stop().then(() => process.exit(0)));
}

function startServer(ledger: string): Promise<{ base: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    // The server's JSON log lines go to its files; on the terminal they would drown the table.
    const child = fork(import.meta.filename, ['--serve', ledger], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve({ base: `http://127.0.0.1:${(m as { port: number }).port}`, stop: () => child.disconnect() }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** Logs in as the web's login form does (JSON flavour): the CSRF cookie and header, then the session cookie. */
async function login(base: string, username: string, password: string): Promise<string> {
  const first = await fetch(`${base}/login`);
  const csrf = /csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
  if (!csrf) throw new Error(`${base}/login set no csrf cookie`);
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: base, cookie: `csrf=${csrf}`, 'x-csrf-token': csrf },
    body: JSON.stringify({ username, password }),
  });
  const session = /session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 200 || !session) throw new Error(`login as ${username} answered ${res.status}: ${await res.text()}`);
  return `session=${session}`;
}

// The web's jobs table (web/src/lib/graphql/usage.ts, JobsPageQuery), first page as PagedJobs asks it.
const JOBS_PAGE = `query JobsPage($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {
  jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges { node { key receiptId jobId user name account partition state end elapsedSeconds cost { cpuHours gpuHours memGBHours cost } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

// grafana/dashboards/cluster-usage-wild.json, "CPU-hours per account", with the variables Wild GraphQL injects.
const SERIES = `query CpuHoursPerAccount($from: DateTime!, $to: DateTime!, $interval_ms: Float) {
  usageSeries(from: $from, to: $to, intervalMs: $interval_ms, groupBy: [account], fillZeros: true, noneLabel: "(none)") {
    time
    account
    cpuHours
  }
}
`;

const VIEWER = 'query Viewer { viewer { id username role tier } }';

interface LoadRequest {
  name: string;
  body: { query: string; variables?: Record<string, unknown>; operationName: string };
  /** Variables of the n-th request, when each must be a new one (the response cache never answers it). */
  vary?: (n: number) => Record<string, unknown>;
}

function requestsAt(now: Date): LoadRequest[] {
  const to = now.getTime();
  const from = to - 30 * 86400_000;
  return [
    { name: '50-job page with costs', body: { query: JOBS_PAGE, variables: { filter: {}, first: 50, after: null, orderBy: null }, operationName: 'JobsPage' } },
    {
      name: 'dashboard usageSeries (30 d by account)',
      body: {
        query: SERIES,
        // Grafana's $__interval for 30 days on a ~1,000-point panel is 1 h.
        variables: { from, to, interval_ms: 3_600_000, maxDataPoints: 1000, refId: 'A' },
        operationName: 'CpuHoursPerAccount',
      },
    },
    { name: 'viewer', body: { query: VIEWER, operationName: 'Viewer' } },
    {
      name: '50-job page with costs uncached',
      body: { query: JOBS_PAGE, operationName: 'JobsPage' },
      // A cut-off a second earlier each time: the same page for a ledger of finished jobs, but a new cache key.
      vary: (n) => ({ filter: { endedBefore: new Date(to - n * 1000).toISOString() }, first: 50, after: null, orderBy: null }),
    },
  ];
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/** One autocannon run; a non-2xx answer, a socket error or a body with GraphQL `errors` counts as an error. */
async function load(base: string, cookie: string, r: LoadRequest, seconds: number, connections: number): Promise<Row> {
  let graphqlErrors = 0;
  let sample = '';
  let sent = 0;
  const result = await autocannon({
    url: `${base}/graphql`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
        body: JSON.stringify(r.body),
        ...(r.vary && { setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ ...r.body, variables: r.vary!(sent++) }) }) }),
        onResponse: (status: number, body: string) => {
          if (status === 200 && body.includes('"errors"')) {
            graphqlErrors++;
            sample ||= body.slice(0, 300);
          }
        },
      },
    ],
  });
  if (sample) console.error(`  ${r.name}: ${sample}`);
  return {
    name: r.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
  };
}

async function main() {
  const seconds = Number(values.duration);
  const warmup = Number(values.warmup);
  const connections = Number(values.connections);
  let dir: string | null = null;
  let server: { base: string; stop: () => void } | null = null;
  let dbLabel = values.db ?? 'sqlite';
  try {
    let base: string;
    let cookie: string;
    if (values.url) {
      base = values.url.replace(/\/$/, '');
      const password = values.password ?? process.env.BENCH_PASSWORD;
      if (!password) throw new Error('--url needs --password (or BENCH_PASSWORD) for --user');
      cookie = await login(base, values.user, password);
      dbLabel = values.db ?? '?';
    } else {
      let ledger = values.ledger ? path.resolve(values.ledger) : null;
      if (!ledger) {
        dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-load-'));
        const started = performance.now();
        ledger = await buildLedger(dir, Number(values.jobs));
        console.error(`ledger of ${Number(values.jobs).toLocaleString('en-US')} jobs built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      server = await startServer(ledger);
      base = server.base;
      cookie = await login(base, 'admin', ADMIN_PASSWORD);
    }
    console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.loadavg()[0].toFixed(1)} load; ${base}; ${connections} connections, ${seconds} s each after ${warmup} s warm-up\n`);
    const only = values.only?.split(',').map((s) => s.trim());
    const picked = requestsAt(values.url ? new Date() : NOW).filter((r) => !only || only.some((o) => r.name.startsWith(o)));
    const rows: Row[] = [];
    for (const r of picked) {
      if (warmup > 0) await load(base, cookie, r, warmup, connections);
      rows.push(await load(base, cookie, r, seconds, connections));
    }
    printTable(
      ['request', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'database'],
      rows.map((r) => [r.name, r.rps.toFixed(0), String(r.p50), String(r.p99), String(r.requests), String(r.errors), dbLabel]),
    );
    const failed = rows.filter((r) => r.errors > 0);
    if (failed.length > 0) {
      console.error(`\nerrors in: ${failed.map((r) => r.name).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    server?.stop();
    if (dir) {
      if (values.keep) console.log(`\nkept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
}

function printTable(head: string[], body: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of body) console.log(fmt(r));
}

if (values.serve) await serve(values.serve);
else await main();
