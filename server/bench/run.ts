// `pnpm bench [-- --jobs 100000] [--runs 3] [--keep] [--ledger <kept dir>/ledger.db]`: how long a year of a large cluster takes to parse, sync, re-sync and
// query. Everything runs on fresh files under the OS temp directory, removed afterwards unless --keep.
// `--only parse` stops after the parse phase; `--capture <kept dir>/sacct.psv` parses a kept capture instead of
// writing a new one (a million jobs take longer to write than to parse).
import { fork } from 'node:child_process';
import { appendFileSync, copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { systemMeta } from '../src/audit/recorder.ts';
import { ensureRates } from '../src/billing/rates.ts';
import { listJobs, usageBuckets } from '../src/billing/usage.ts';
import { type Db, openDatabase } from '../src/db/client.ts';
import { upsertJobs } from '../src/jobs/ledger.ts';
import { syncJobs } from '../src/jobs/sync.ts';
import type { Exec } from '../src/lib/exec.ts';
import { createSacctSource, parseSacctChunks, SACCT_DELIMITER, SACCT_FIELDS } from '../src/slurm/sacct.ts';
import { writeSacctFile } from './sacct-file.ts';

const CLUSTER = 'bench';
const NOW = new Date('2026-11-26T00:00:00Z');

// `pnpm bench -- --jobs N` hands the script its `--` too.
const argv = process.argv.slice(2);
const { values } = parseArgs({
  args: argv[0] === '--' ? argv.slice(1) : argv,
  options: {
    jobs: { type: 'string', default: '100000' },
    keep: { type: 'boolean', default: false },
    // The requests alone, on a ledger an earlier `--keep` run left (its directory is printed).
    ledger: { type: 'string' },
    only: { type: 'string' },
    capture: { type: 'string' },
    // Internal: the child process that writes the capture, so its memory never counts toward the parse phase.
    generate: { type: 'string' },
    // Internal: a child process that syncs the ledger from per-day capture files, so its peak memory is its own.
    'sync-child': { type: 'string' },
    days: { type: 'string' },
    'sync-since': { type: 'string' },
    'sync-until': { type: 'string' },
    // How many times the syncs are run, each time on a fresh ledger: the table shows their medians.
    runs: { type: 'string', default: '1' },
  },
});
const jobCount = Number(values.jobs);
if (!Number.isInteger(jobCount) || jobCount <= 0) throw new Error(`--jobs must be a positive integer, got "${values.jobs}"`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs <= 0) throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
if (values.only !== undefined && values.only !== 'parse') throw new Error(`--only takes "parse", got "${values.only}"`);


type Written = ReturnType<typeof writeSacctFile>;

/** The capture's figures are kept beside it, so a later `--capture` run can check the parse against them. */
const writtenFile = (capture: string) => `${capture}.json`;

function generate(file: string): Promise<Written> {
  return new Promise((resolve, reject) => {
    const child = fork(import.meta.filename, ['--generate', file, '--jobs', String(jobCount)], { stdio: 'inherit' });
    let result: Written | undefined;
    child.on('message', (m) => (result = m as Written));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`generator exited with ${code}`))));
  });
}

interface Synced {
  ms: number;
  jobCount: number;
  /** The child's own peak resident set (getrusage), in bytes. */
  peakRss: number;
  /**
   * The sync's CPU time (user + system, all threads), in ms: what it costs whatever else the machine runs. On a shared
   * 2-core machine the wall time of one unchanged sync drifted 20 % between runs minutes apart; its CPU time less.
   */
  cpuMs: number;
}

/** Runs a whole sync of the 400-day window in a child process: the figures are of the sync alone. */
function syncInChild(ledgerFile: string, days: string, window: { since?: string; until?: string } = {}): Promise<Synced> {
  return new Promise((resolve, reject) => {
    const args = [
      '--sync-child',
      ledgerFile,
      '--days',
      days,
      '--jobs',
      String(jobCount),
      ...(window.since ? ['--sync-since', window.since] : []),
      ...(window.until ? ['--sync-until', window.until] : []),
    ];
    // Started as `pnpm cli` starts a sync: with --expose-gc (lib/heap.ts) and one malloc arena.
    const child = fork(import.meta.filename, args, {
      stdio: 'inherit',
      execArgv: [...process.execArgv, '--expose-gc'],
      env: { ...process.env, MALLOC_ARENA_MAX: '1' },
    });
    let result: Synced | undefined;
    child.on('message', (m) => (result = m as Synced));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`sync child exited with ${code}`))));
  });
}

/** The 400 days before NOW, or from the start of the UTC day `since` and up to the start of `until`, synced as the CLI syncs. */
async function syncChild(ledgerFile: string, days: string, since?: string, until?: string): Promise<Synced> {
  const db = await openLedger(ledgerFile);
  try {
    const sources = [createSacctSource({ cluster: CLUSTER, timeoutMs: 600_000, exec: dayFilesExec(days) })];
    const from = since ? new Date(`${since}T00:00:00Z`) : new Date(NOW.getTime() - 400 * 86400_000);
    const to = until ? new Date(`${until}T00:00:00Z`) : NOW;
    const window = { from, to, trigger: 'cli' as const, chunkHours: 24 };
    const started = performance.now();
    const cpu = process.cpuUsage();
    const run = await syncJobs(db, sources, window, systemMeta('bench'), 600_000);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, jobCount: run.jobCount, peakRss: process.resourceUsage().maxRSS * 1024, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    await db.$disconnect();
  }
}

const fileLines = (file: string) => createInterface({ input: createReadStream(file), crlfDelay: Infinity });

async function* jobsOf<T>(batches: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const batch of batches) yield* batch;
}

/**
 * The capture cut into one file per UTC day of each job's end (running and pending jobs in the last day), so the
 * sacct source can be asked chunk by chunk as the sync asks it, like sacct -S/-E would answer.
 */
async function splitByDay(capture: string, dir: string): Promise<string> {
  const out = path.join(dir, 'days');
  mkdirSync(out);
  const endAt = SACCT_FIELDS.indexOf('End');
  const lastDay = new Date(NOW.getTime() - 86400_000).toISOString().slice(0, 10);
  let header = '';
  let day = '';
  const pending = new Map<string, string[]>();
  const flush = () => {
    for (const [d, lines] of pending) appendFileSync(path.join(out, d), `${lines.join('\n')}\n`);
    pending.clear();
  };
  let n = 0;
  for await (const line of fileLines(capture)) {
    if (!header) {
      header = line;
      continue;
    }
    const fields = line.split(SACCT_DELIMITER);
    // Step lines follow their job's line into the same file.
    if (!fields[1].includes('.')) day = fields[endAt] === 'Unknown' ? lastDay : fields[endAt].slice(0, 10);
    let lines = pending.get(day);
    if (!lines) pending.set(day, (lines = []));
    lines.push(line);
    if (++n % 50_000 === 0) flush();
  }
  flush();
  writeFileSync(path.join(out, 'header'), `${header}\n`);
  return out;
}

/** The sacct source reading the day files of its -S/-E window instead of running sacct: the production streaming path. */
const dayFilesExec =
  (days: string): Exec =>
  (_cmd, args) => {
    const from = new Date(`${args[args.indexOf('-S') + 1]}Z`).getTime();
    const to = new Date(`${args[args.indexOf('-E') + 1]}Z`).getTime();
    async function* stdout() {
      yield* createReadStream(path.join(days, 'header'));
      for (let t = from; t < to; t += 86400_000) {
        const file = path.join(days, new Date(t).toISOString().slice(0, 10));
        if (existsSync(file)) yield* createReadStream(file);
      }
    }
    return { lines: (async function* () {})(), stdout: stdout(), done: Promise.resolve({ code: 0, stderr: '' }) };
  };

interface Measured<T> {
  value: T;
  ms: number;
  peakRss: number;
}

/** Wall time and the highest resident set seen while `fn` runs (sampled; the event loop turns between batches). */
async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - started, peakRss: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

/** First call, then the best of a few more (warm page cache and statement cache). */
async function queryTimes<T>(fn: () => Promise<T>, repeat = 5) {
  const first = await measure(fn);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) best = Math.min(best, (await measure(fn)).ms);
  return { first: first.ms, best, value: first.value };
}

/** The run of median time (the lower of the two middle ones for an even count). */
const median = <T extends { ms: number }>(list: T[]): T => [...list].sort((a, b) => a.ms - b.ms)[(list.length - 1) >> 1];

/** The run of median time, with the highest peak RSS of all the runs and the median CPU time. */
const medianRun = (list: Synced[]): Synced => ({
  ...median(list),
  peakRss: Math.max(...list.map((r) => r.peakRss)),
  cpuMs: median(list.map((r) => ({ ms: r.cpuMs }))).ms,
});

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSec = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} jobs/s`;
const dbSize = (file: string) =>
  ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(file + suffix).size;
    } catch {
      return sum;
    }
  }, 0);

async function openLedger(file: string): Promise<Db> {
  const db = openDatabase(file);
  await ensureRates(db);
  return db;
}

/** What one GraphQL request costs on the full ledger: an abusive one refused, the heaviest ones the limits accept. */
async function benchRequests(ledgerFile: string, dir: string, row: (...cells: string[]) => void, rateChange = true) {
  // Imported here: a sync child never loads the web app, as `pnpm cli sync` never does.
  const [{ pino }, { buildApp }, { createSession }, { loadConfig }] = await Promise.all([
    import('pino'),
    import('../src/app.ts'),
    import('../src/auth/sessions.ts'),
    import('../src/config.ts'),
  ]);
  const config = loadConfig({
    DATABASE_URL: `file:${ledgerFile}`,
    INSTANCE_DIR: dir,
    ADMIN_PASSWORD: 'bench-admin-password',
    WEB_HANDLER: '',
    SYNC_INTERVAL_SEC: '0',
    PAM_ENABLED: '0',
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp(config, { logger: pino({ level: 'silent' }) });
  try {
    const admin = await app.db.user.findUniqueOrThrow({ where: { username: 'admin' } });
    const { token } = await createSession(app.db, admin.id, 1);
    const post = async (query: string, as = token) => {
      const res = await app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie: `session=${as}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ extensions?: { code?: string } }> };
    };
    const cpuOf = async (query: string, as = token) => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const body = await post(query, as);
      const used = process.cpuUsage(cpu);
      const first = body.data ? Object.values(body.data)[0] : undefined;
      return {
        ms: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        code: body.errors?.[0]?.extensions?.code ?? 'ok',
        rows: Array.isArray(first) ? first.length : undefined,
      };
    };
    const [rolled, days, months] = await Promise.all([app.db.usageRollup.count(), app.db.usageRollupDay.count(), app.db.usageRollupMonth.count()]);
    row('', `rollup rows: ${rolled.toLocaleString('en-US')} quarter-hour, ${days.toLocaleString('en-US')} day, ${months.toLocaleString('en-US')} month`, '', '', '');
    // A user of the capture (alice0 is its busiest), as their own browser asks.
    const someone = await app.db.user.upsert({ where: { username: 'alice0' }, create: { username: 'alice0', role: 'user', tier: 'mu' }, update: {} });
    const own = await createSession(app.db, someone.id, 1);
    /** p50 and best of `runs` requests, after one to warm the statement cache. */
    const p50 = async (id: string, label: string, query: string, as = token, runs = 7) => {
      const first = await cpuOf(query, as);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await cpuOf(query, as)).ms);
      times.sort((a, b) => a - b);
      row(id, `${label} (${first.code}${first.rows === undefined ? '' : `; ${first.rows.toLocaleString('en-US')} rows`})`, `p50 ${times[runs >> 1].toFixed(1)} ms`, `best ${times[0].toFixed(1)} ms`, '');
    };
    const year = `from: "${new Date(NOW.getTime() - 365 * 86400_000).toISOString()}", to: "${NOW.toISOString()}"`;
    const series = (groupBy: string, bucket = 'DAY') =>
      `{ usageSeries(${year}, bucket: ${bucket}, groupBy: ${groupBy}, timeZone: "UTC") { time account user jobs cpuHours gpuHours cost costValue } }`;
    await p50('f1', 'usageSeries, a year by day, everyone', series('[]'));
    await p50('f2', 'usageSeries, a year by day, by account', series('[account]'));
    await p50('f3', 'usageSeries, a year by day, one user’s own', series('[]'), own.token);
    await p50('f4', 'usageSeries, a year by month, by user', series('[user]', 'MONTH'));
    await p50('f5', 'usageSeries, a year by day, by account, in another zone', series('[account]').replace('"UTC"', '"Asia/Bangkok"'));
    await p50('g1', 'usage by user × month', '{ usage(groupBy: [user, month]) { user month totals { jobs cpuHours cost } } }');
    await p50('g2', 'usage, top 10 users by GPU-hours this quarter', `{ usage(groupBy: [user], orderBy: { by: gpuHours }, limit: 10, filter: { endedAfter: "${new Date(NOW.getTime() - 91 * 86400_000).toISOString().slice(0, 10)}T00:00:00Z" }) { user totals { gpuHours } } }`);
    await p50('g3', 'first page of jobs with totals', '{ jobs(first: 50) { edges { node { key user state end cost { cost } } } totals { jobs cpuHours cost } } }');
    await p50('g4', 'a user’s first page of their jobs with totals', '{ jobs(first: 50, filter: { user: "alice0" }) { edges { node { key state end cost { cost } } } totals { jobs cost } } }', own.token);
    // Last: the 1,000-job page leaves garbage that would otherwise be collected during the requests above.
    const flood = `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: jobs(first: 1000) { edges { node { key cost { cost } } } totals { cost } }`).join(' ')} }`;
    await cpuOf(flood);
    const refused = await cpuOf(flood);
    row('e1', `1,000 aliases of a 1,000-job page (${refused.code})`, `${refused.ms.toFixed(1)} ms`, `${refused.cpuMs.toFixed(1)} ms CPU`, '');
    const page = await cpuOf('{ jobs(first: 1000) { edges { node { key jobId user name state end cpus gpus memMiB receiptId cost { cpuHours gpuHours memGBHours cost } } } totals { jobs cost } } }');
    row('e2', `one 1,000-job page with costs and totals (${page.code})`, `${page.ms.toFixed(0)} ms`, `${page.cpuMs.toFixed(0)} ms CPU`, '');
    if (!rateChange) return;
    const rebuild = await measure(() =>
      app.deps.services.rates.update({ tier: 'mu', cpuPerHour: '0.55', gpuPerHour: '12', memGBPerHour: '0.05' }, systemMeta('bench')),
    );
    row('h', 'rate change: rollups of the tier rebuilt in its transaction', secs(rebuild.ms), '', mib(rebuild.peakRss));
  } finally {
    await app.stop();
  }
}

async function main() {
  const rows: string[][] = [];
  // The targets, as measured: [what, ms, at most ms, peak RSS].
  const targets: Array<[string, number, number, string]> = [];
  const row = (...cells: string[]) => {
    rows.push(cells);
    if (cells[0]) console.error(`  ${cells[0]}: ${cells[1]}: ${cells[2]}`);
  };
  if (values.ledger) {
    const file = path.resolve(values.ledger);
    console.log(`node ${process.version}, ${os.cpus().length} cores; requests on ${file}\n`);
    // The ledger is left as it was: no rate change.
    await benchRequests(file, path.dirname(file), row, false);
    printTable(['', 'step', 'time', 'rate', 'peak RSS'], rows);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-bench-'));
  try {
    const capture = values.capture ? path.resolve(values.capture) : path.join(dir, 'sacct.psv');
    let written: Written;
    if (values.capture) {
      written = JSON.parse(readFileSync(writtenFile(capture), 'utf8')) as Written;
      console.log(`node ${process.version}, ${os.cpus().length} cores; capture ${capture}: ${written.jobs.toLocaleString('en-US')} jobs, ` + `${written.lines.toLocaleString('en-US')} lines, ${mib(written.bytes)}\n`);
    } else {
      const gen = await measure(() => generate(capture));
      written = gen.value;
      writeFileSync(writtenFile(capture), JSON.stringify(written));
      console.log(
        `node ${process.version}, ${os.cpus().length} cores; capture: ${written.jobs.toLocaleString('en-US')} jobs, ` +
          `${written.lines.toLocaleString('en-US')} lines, ${mib(written.bytes)} (written in ${secs(gen.ms)})\n`,
      );
    }
    const { jobs } = written;

    const parses: Array<Measured<number> & { cpu: NodeJS.CpuUsage }> = [];
    for (let i = 0; i < runs; i++) {
      const cpu = process.cpuUsage();
      const one = await measure(async () => {
        let n = 0;
        for await (const batch of parseSacctChunks(createReadStream(capture), { cluster: CLUSTER })) n += batch.length;
        return n;
      });
      parses.push({ ...one, cpu: process.cpuUsage(cpu) });
      if (one.value !== jobs) throw new Error(`parsed ${one.value} jobs from a capture of ${jobs}`);
    }
    const parse = median(parses);
    const parseCpu = parse.cpu;
    row('a', `parse (file Buffers → parseSacctChunks)${runs > 1 ? ` (median of ${runs})` : ''}`, secs(parse.ms), perSec(parse.value, parse.ms), mib(Math.max(...parses.map((p) => p.peakRss))));
    // On a shared machine the wall time waits for other work; the CPU time is the parse's own.
    row('', `parse CPU time (user ${secs(parseCpu.user / 1000)}, system ${secs(parseCpu.system / 1000)})`, secs((parseCpu.user + parseCpu.system) / 1000), '', '');
    if (values.only === 'parse') {
      printTable(['', 'step', 'time', 'rate', 'peak RSS'], rows);
      console.log(`\ntarget: parse only at most 3 s: ${secs(parse.ms)}, ${parse.ms <= 3000 ? 'met' : 'not met'}`);
      return;
    }

    const streamFile = path.join(dir, 'stream.db');
    const streamDb = await openLedger(streamFile);
    try {
      const stream = await measure(() => upsertJobs(streamDb, jobsOf(parseSacctChunks(createReadStream(capture), { cluster: CLUSTER })), 'sacct'));
      row('a2', 'streaming parse → upsertJobs, fresh ledger', secs(stream.ms), perSec(stream.value, stream.ms), mib(stream.peakRss));
    } catch (error) {
      row('a2', 'streaming parse → upsertJobs, fresh ledger', 'failed', String((error as Error).message).slice(0, 40), '');
    } finally {
      await streamDb.$disconnect();
    }

    const ledgerFile = path.join(dir, 'ledger.db');
    const open = await measure(() => openLedger(ledgerFile));
    const db = open.value;
    try {
      row('', 'open + migrate a fresh ledger', `${open.ms.toFixed(0)} ms`, '', '');
      const days = await splitByDay(capture, dir);
      // The busiest day of the capture is the one an interval sync finds new: the first sync covers every other day.
      const busiest = readdirSync(days).filter((f) => /^\d{4}-\d{2}-\d{2}$/.test(f)).sort((x, y) => statSync(path.join(days, y)).size - statSync(path.join(days, x)).size)[0];
      const afterBusiest = new Date(Date.parse(`${busiest}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
      const firsts: Synced[] = [];
      const dayRuns: Synced[] = [];
      const agains: Synced[] = [];
      // The ledger an interval sync finds the busiest day new in: every other day synced (the days before it, then
      // the days after it), made once and copied for each run.
      const dayBase = path.join(dir, 'day-base.db');
      const before = await syncInChild(dayBase, days, { until: busiest });
      const after = await syncInChild(dayBase, days, { since: afterBusiest });
      // Each run on fresh ledgers, each sync in a process of its own, as `pnpm cli sync` runs: its peak memory is
      // the sync's. The last run's ledger is the one the requests below are timed on.
      for (let i = 0; i < runs; i++) {
        const file = i === runs - 1 ? ledgerFile : path.join(dir, `ledger-${i}.db`);
        // The whole window into an empty ledger, as a new installation's first sync, then the same window again
        // (every job already stored as Slurm reports it); and the busiest day as the next interval sync finds it.
        firsts.push(await syncInChild(file, days));
        agains.push(await syncInChild(file, days));
        const dayFile = path.join(dir, 'day.db');
        for (const suffix of ['', '-wal']) if (existsSync(dayBase + suffix)) copyFileSync(dayBase + suffix, dayFile + suffix);
        dayRuns.push(await syncInChild(dayFile, days, { since: busiest, until: afterBusiest }));
        for (const f of [dayFile, ...(file !== ledgerFile ? [file] : [])]) for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });
        if (firsts[i].jobCount !== jobs || agains[i].jobCount !== jobs || before.jobCount + after.jobCount + dayRuns[i].jobCount !== jobs) {
          throw new Error(`synced ${firsts[i].jobCount} jobs, then ${agains[i].jobCount}, and ${before.jobCount} + ${after.jobCount} + ${dayRuns[i].jobCount}, from a capture of ${jobs}`);
        }
        const cpu = (r: Synced) => `${secs(r.ms)} (CPU ${secs(r.cpuMs)})`;
        console.error(`  run ${i + 1}/${runs}: first sync ${cpu(firsts[i])}, one day ${cpu(dayRuns[i])}, re-sync ${cpu(agains[i])}`);
      }
      for (const suffix of ['', '-wal', '-shm']) rmSync(dayBase + suffix, { force: true });
      const first = medianRun(firsts);
      const day = medianRun(dayRuns);
      const again = medianRun(agains);
      const of = runs > 1 ? ` (median of ${runs}; peak RSS the highest)` : '';
      const cpuRow = (r: Synced) => row('', `its CPU time, user + system${runs > 1 ? ' (median)' : ''}`, secs(r.cpuMs), '', '');
      row('b', `first sync into an empty ledger: the whole window in day chunks, streamed parse + upsert${of}`, secs(first.ms), perSec(first.jobCount, first.ms), mib(first.peakRss));
      cpuRow(first);
      row('c2', `incremental sync of one more day (${busiest}: ${day.jobCount.toLocaleString('en-US')} new jobs)${of}`, secs(day.ms), perSec(day.jobCount, day.ms), mib(day.peakRss));
      cpuRow(day);
      row('c', `re-sync of the whole window, every job unchanged${of}`, secs(again.ms), perSec(again.jobCount, again.ms), mib(again.peakRss));
      cpuRow(again);
      const stored = await db.jobRecord.count();
      if (stored !== jobs) throw new Error(`ledger holds ${stored} jobs after syncing a capture of ${jobs}`);
      targets.push(
        ['parse only', parse.ms, 3000, ''],
        ['first sync into an empty ledger', first.ms, 15000, mib(first.peakRss)],
        ['re-sync of the same window', again.ms, 15000, mib(again.peakRss)],
        ['incremental sync of one day', day.ms, 1000, mib(day.peakRss)],
      );

      const usage = await queryTimes(() => usageBuckets(db, {}, ['user', 'month']), 2);
      row('d1', `usageBuckets by user × month, summing the jobs themselves (${usage.value.length} buckets)`, `${usage.first.toFixed(0)} ms`, `best ${usage.best.toFixed(0)} ms`, '');
      const page = await queryTimes(() => listJobs(db, {}, 50));
      row('d2', 'listJobs, first page of 50', `${page.first.toFixed(1)} ms`, `best ${page.best.toFixed(1)} ms`, '');
      row('', `ledger file size (db + wal), ${stored.toLocaleString('en-US')} jobs`, mib(dbSize(ledgerFile)), '', '');
    } finally {
      await db.$disconnect();
    }
    await benchRequests(ledgerFile, dir, row);
    row('', 'process peak RSS (getrusage maxrss)', mib(process.resourceUsage().maxRSS * 1024), '', '');
    printTable(['', 'step', 'time', 'rate', 'peak RSS'], rows);
    console.log(`\ntargets for ${jobs.toLocaleString('en-US')} jobs (a sync's peak RSS: at most 250 MB = ${mib(250e6)})`);
    printTable(
      ['target', 'measured', 'at most', 'met', 'peak RSS'],
      targets.map(([what, ms, limit, rss]) => [what, secs(ms), secs(limit), ms <= limit ? 'yes' : 'no', rss]),
    );
  } finally {
    if (values.keep) console.log(`\nkept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(head: string[], body: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (i >= 2 ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join('  ');
  console.log(fmt(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of body) console.log(fmt(r));
}

if (values.generate) process.send!(writeSacctFile(values.generate, { jobs: jobCount, now: NOW, cluster: CLUSTER }));
else if (values['sync-child']) {
  const synced = await syncChild(values['sync-child'], values.days!, values['sync-since'], values['sync-until']);
  // Run by hand (no parent to tell), it prints what it measured.
  if (process.send) process.send(synced);
  else console.log(JSON.stringify(synced));
}
else await main();
