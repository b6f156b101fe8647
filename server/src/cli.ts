// hpc-accounting command line: `pnpm cli sync --from 2026-01-01 [--to 2026-02-01] [--cluster name]`, `pnpm cli audit verify`.
import { parseArgs } from 'node:util';
import { systemMeta, verifyAuditChain } from './audit/recorder.ts';
import { type Config, ConfigError, loadConfig, parseDatabaseUrl } from './config.ts';
import { connectDatabase, type Db } from './db/client.ts';
import { copyDatabase, resetPostgresSequence } from './db/copy.ts';
import { adoptUnnamedRuns, type SyncCluster, syncJobs } from './jobs/sync.ts';
import { progressWriter } from './jobs/sync-progress.ts';
import { newPubSub } from './pubsub.ts';
import { createServices } from './services.ts';

const usage = `usage:
  pnpm cli sync --from <date> [--to <date>] [--cluster <name>]
                                              fill the job ledger from Slurm for a window (every cluster, or the one named)
  pnpm cli audit verify                       check the audit log's hash chain
  pnpm cli copy --to <database url>           copy this installation (DATABASE_URL) into a new, empty database,
                                              e.g. from SQLite to postgres://user@host/accounting`;

function date(v: string | undefined, name: string, fallback?: Date): Date {
  if (!v) {
    if (fallback) return fallback;
    throw new Error(`--${name} is required (a date such as 2026-01-31 or 2026-01-31T12:00:00Z)`);
  }
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new Error(`--${name} must be a date, got "${v}"`);
  return d;
}

async function syncCluster(db: Db, config: Config, cluster: SyncCluster, from: Date, to: Date) {
  const started = performance.now();
  console.log(`${cluster.name}: syncing ${from.toISOString()} .. ${to.toISOString()} in chunks of ${config.sync.chunkHours} h`);
  // Progress goes to stderr: stdout stays the run's summary for scripts.
  const progress = progressWriter(process.stderr);
  let resumed = false;
  const run = await syncJobs(
    db,
    cluster.sources,
    { from, to, trigger: 'cli', chunkHours: config.sync.chunkHours, cluster: cluster.name },
    systemMeta(`cli:${process.env.USER ?? 'unknown'}`),
    cluster.timeoutMs,
    (p) => {
      if (p.resumedFrom && !resumed) {
        resumed = true;
        console.error(`  resuming after ${p.resumedFrom.toISOString()}: an earlier sync of ${cluster.name} from ${from.toISOString()} stopped there`);
      }
      progress.update(p);
    },
    config.auth.defaultTier,
  ).finally(() => progress.end());
  for (const a of JSON.parse(run.attempts) as Array<{ source: string; ok: boolean; reason?: string; ms: number; count?: number }>) {
    console.log(`  ${a.source}: ${a.ok ? 'ok' : `not always (${a.reason})`}, ${a.count ?? 0} jobs in ${a.ms} ms`);
  }
  console.log(`${cluster.name}: done: ${run.jobCount} jobs from ${run.source} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (run.partialReason) console.warn(`${cluster.name}: partial: ${run.partialReason}`);
}

async function copyTo(source: Db, to: string | undefined): Promise<number> {
  if (!to) throw new Error('--to is required: the URL of the new database (postgres://… or file:…)');
  const target = parseDatabaseUrl(to, process.env.INIT_CWD ?? process.cwd(), '--to');
  const db = await connectDatabase(target);
  try {
    const started = performance.now();
    let shown = '';
    const counts = await copyDatabase(source, db, {
      onProgress: (p) => {
        const line = `  ${p.model}: ${p.copied} of ${p.total}`;
        if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
        else if (p.copied === p.total) console.error(line);
        shown = line;
      },
      afterTable: target.databaseFile === null ? (model, auto) => resetPostgresSequence(db, model, auto) : undefined,
    });
    if (shown && process.stderr.isTTY) process.stderr.write('\n');
    const audit = await verifyAuditChain(db);
    if (!audit.ok) {
      console.error(`copied, but the audit chain does not verify in the new database at entry ${audit.firstBrokenId}: ${audit.reason}`);
      return 1;
    }
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`copied ${rows} rows (${counts.jobRecord} jobs, ${counts.receipt} receipts, ${counts.auditEntry} audit entries) in ${((performance.now() - started) / 1000).toFixed(1)} s; audit chain verified`);
    console.log(`point DATABASE_URL at the new database and start the server`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { from: { type: 'string' }, to: { type: 'string' }, cluster: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return 0;
  }
  const config = loadConfig();
  const db = await connectDatabase(config);
  try {
    if (command === 'sync') {
      const from = date(values.from, 'from');
      const to = date(values.to, 'to', new Date());
      const services = createServices({ db, config, pubsub: newPubSub() });
      await adoptUnnamedRuns(db, config.clusters[0].name);
      let failures = 0;
      // Each cluster its own run: one whose sources fail is reported, and the next still runs.
      for (const cluster of services.pickClusters(values.cluster)) {
        try {
          await syncCluster(db, config, cluster, from, to);
        } catch (error) {
          failures++;
          console.error(`${cluster.name}: failed: ${error instanceof Error ? error.message : error}`);
        }
      }
      return failures ? 1 : 0;
    }
    if (command === 'copy') {
      return await copyTo(db, values.to);
    }
    if (command === 'audit' && sub === 'verify') {
      const status = await verifyAuditChain(db);
      if (status.ok) {
        console.log(`audit chain intact: ${status.checked} entries verified`);
        return 0;
      }
      console.error(`audit chain BROKEN at entry ${status.firstBrokenId}: ${status.reason} (${status.checked} entries before it verified)`);
      return 1;
    }
    console.error(usage);
    return 2;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : `error: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
