import { isThaiTaxId } from './invoices/document.ts';
import { parseNumberPattern } from './invoices/numbering.ts';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseList } from './lib/lists.ts';
import type { SourceName } from './slurm/types.ts';

/** Every environment variable the server reads, parsed and validated once. */
export interface Config {
  port: number;
  host: string;
  production: boolean;
  demo: boolean;
  instanceDir: string;
  databaseUrl: string;
  /** The SQLite file; null on PostgreSQL. */
  databaseFile: string | null;
  adminUsername: string;
  adminPassword: string | null;
  adminPasswordGenerated: boolean;
  seedDemoUsers: boolean;
  sessionDays: number;
  cookieSecure: boolean;
  /** Behind a reverse proxy: client address from X-Forwarded-For, HTTPS from X-Forwarded-Proto. */
  trustProxy: boolean;
  graphiql: boolean;
  logLevel: string;
  /** The clusters ingested, each with its own sources (at least one; the first is the default). */
  clusters: ClusterConfig[];
  sync: {
    intervalSec: number;
    lookbackSec: number;
    initialDays: number | null;
    chunkHours: number;
    /** How long a replica's hold on the sync lasts without renewal: a replica that dies frees it after this. */
    lockTtlSec: number;
  };
  /** Shared by every replica: live events cross between them and only one runs a sync at a time. Null: one process. */
  redis: { url: string; prefix: string } | null;
  auth: {
    pamService: string;
    pamEnabled: boolean;
    defaultTier: 'mu' | 'gov' | 'private';
    /** Every failed or refused login takes at least this long (AUTH_FAIL_MIN_MS), so timing tells no user names apart. */
    failMinMs: number;
    throttle: { maxFails: number; windowSec: number; lockSec: number; ipMaxFails: number };
    adminUsers: string[];
    operatorUsers: string[];
    rolesFromSlurm: { path: string; timeoutMs: number } | null;
  };
  webHandlerPath: string | null;
  /** Bearer credential Prometheus scrapes /metrics with (staff sessions need none). */
  metricsToken: string | null;
  /** Where Slurm's accounts, associations and coordinators are read (ACCOUNTS_SOURCE); null: not synced. */
  accounts: { source: 'sacctmgr'; path: string; timeoutMs: number } | { source: 'restd' } | null;
  /** Slurm's own usage report, which the reconciliation compares the ledger with (SREPORT_PATH). */
  sreport: { path: string; timeoutMs: number };
  budgets: {
    /** 1..12: the month budget years and quarters start in (BUDGET_FISCAL_YEAR_START, 1 for the calendar year) */
    fiscalYearStartMonth: number;
  };
  /** Where budget alerts go: a signed JSON webhook, e-mail through SMTP, or both; the language of their text. */
  alerts: {
    webhook: { url: string; secret: string } | null;
    mail: { smtpUrl: string; from: string } | null;
    locale: 'en' | 'th';
  };
  /** What a printed invoice says about the center, how invoices are numbered, and the VAT added. */
  invoice: {
    center: { name: string; address: string; taxId: string; phone: string | null; email: string | null };
    numberPattern: string;
    /** A percent as decimal text, e.g. "7"; null: no VAT line */
    vatPercent: string | null;
    locale: 'en' | 'th';
  };
  /** The center's IANA time zone: calendar days and months of usage series unless a query names another. */
  timeZone: string;
  /** Most rows one usage series answers. */
  seriesMaxRows: number;
  /** Limits of one GraphQL request, on every transport; defaults no dashboard or page meets. */
  graphql: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxDirectives: number;
    maxCost: number;
    /** Largest HTTP body and WebSocket message, in bytes. */
    maxBodyBytes: number;
    /** Wall-clock budget of one query or mutation; past it the operation is stopped with TIMEOUT. */
    timeBudgetMs: number;
    /** Introspection and "Did you mean" suggestions (off in production unless enabled). */
    introspection: boolean;
  };
}

/** One cluster: its name, the first part of its jobs' billing keys `cluster:jobId`, and where its jobs come from. */
export interface ClusterConfig {
  name: string;
  sources: {
    order: SourceName[];
    csvPath: string | null;
    sacct: { path: string; allUsers: boolean } | null;
    restd: {
      baseUrl: string;
      token: string | null;
      tokenFile: string | null;
      userName: string;
      verifyTls: boolean;
      caFile: string | null;
      version: string | null;
    } | null;
    timeoutMs: number;
  };
}

export class ConfigError extends Error {}

function metricsTokenOf(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  // A scrape credential guessable in a few tries would expose the server's figures to anyone.
  if (value.trim().length < 16) throw new ConfigError(`METRICS_TOKEN must be at least 16 characters (got ${value.trim().length}); e.g. openssl rand -hex 24`);
  return value.trim();
}

/** A database URL: a SQLite file (`file:`, relative to `cwd`) or a PostgreSQL server (`postgres://`, `postgresql://`). */
export function parseDatabaseUrl(databaseUrl: string, cwd: string, name = 'DATABASE_URL'): { databaseUrl: string; databaseFile: string | null } {
  const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
  if (!postgres && !databaseUrl.startsWith('file:')) {
    throw new ConfigError(`${name} must be a SQLite URL starting with "file:" or a PostgreSQL URL starting with "postgres://" or "postgresql://", got "${databaseUrl}"`);
  }
  return { databaseUrl, databaseFile: postgres ? null : path.resolve(cwd, databaseUrl.slice('file:'.length)) };
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new ConfigError(`${name} must be a whole number >= ${min}, got "${raw}"`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0 (true/false), got "${raw}"`);
}

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${raw}"`);
  }
  return raw;
}

function tier(env: Env, name: string): 'mu' | 'gov' | 'private' {
  const raw = env[name] || 'mu';
  if (raw !== 'mu' && raw !== 'gov' && raw !== 'private') {
    throw new ConfigError(`${name} must be one of mu, gov, private, got "${raw}"`);
  }
  return raw;
}

function timeZone(env: Env, demo: boolean): string {
  // The demo's users and prices are Thai, so is its calendar.
  const raw = env.TIME_ZONE || (demo ? 'Asia/Bangkok' : 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(`TIME_ZONE must be an IANA time zone such as Asia/Bangkok or UTC, got "${raw}"`);
  }
  return raw;
}

/** A password in a URL is masked before the URL goes into an error message (and so into a log). */
function redacted(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//***@');
  }
}

function redis(env: Env): Config['redis'] {
  const raw = env.REDIS_URL;
  if (!raw) return null;
  const hint = `REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379/0 (redis:// or rediss://, optionally with user:password@), got "${redacted(raw)}"`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(hint);
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname || !/^(\/\d*)?$/.test(url.pathname)) {
    throw new ConfigError(hint);
  }
  // Pub/sub channels are one namespace for the whole Redis server, whatever its database number: two installations
  // sharing a server keep apart by this prefix only.
  const prefix = env.REDIS_PREFIX ?? 'hpc-accounting:';
  if (!/^[A-Za-z0-9:._-]*$/.test(prefix)) {
    throw new ConfigError(`REDIS_PREFIX may hold letters, digits, ":", ".", "_" and "-" only, got "${prefix}"`);
  }
  return { url: raw, prefix };
}

const repoRoot = path.resolve(import.meta.dirname, '../..');

function localeOf(env: Env, name: string): 'en' | 'th' {
  const raw = env[name] || 'th';
  if (raw !== 'en' && raw !== 'th') throw new ConfigError(`${name} must be th or en, got "${raw}"`);
  return raw;
}

function numberPatternOf(raw: string): string {
  try {
    parseNumberPattern(raw);
  } catch (error) {
    throw new ConfigError(`INVOICE_NUMBER: ${(error as Error).message}`);
  }
  return raw;
}

function monthOf(env: Env, name: string): number {
  const month = int(env, name, 1, 1);
  if (month > 12) throw new ConfigError(`${name} must be a month from 1 to 12 (10: budget years from 1 October), got ${month}`);
  return month;
}

function taxIdOf(raw: string): string {
  if (raw && !isThaiTaxId(raw)) throw new ConfigError(`CENTER_TAX_ID must be the 13 digits of a Thai tax ID with a valid check digit, got "${raw}"`);
  return raw;
}

function vatOf(raw: string | undefined): string | null {
  if (!raw || raw === '0') return null;
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(raw)) throw new ConfigError(`VAT_PERCENT must be a percent such as 7 or 7.5 (0 or unset: no VAT), got "${raw}"`);
  return raw;
}

function accountsSource(env: Env): Config['accounts'] {
  const raw = env.ACCOUNTS_SOURCE || 'none';
  if (raw === 'none') return null;
  if (raw === 'sacctmgr') return { source: 'sacctmgr', path: env.SACCTMGR_PATH || 'sacctmgr', timeoutMs: int(env, 'SACCTMGR_TIMEOUT_MS', 10_000, 100) };
  if (raw === 'restd') return { source: 'restd' };
  throw new ConfigError(`ACCOUNTS_SOURCE must be sacctmgr, restd or none, got "${raw}"`);
}

function alerts(env: Env): Config['alerts'] {
  const url = env.ALERT_WEBHOOK_URL || null;
  if (url && !/^https?:\/\//.test(url)) throw new ConfigError(`ALERT_WEBHOOK_URL must start with http:// or https://, got "${url}"`);
  const secret = env.ALERT_WEBHOOK_SECRET || '';
  if (url && secret.length < 16) throw new ConfigError('ALERT_WEBHOOK_SECRET must be set, at least 16 characters, when ALERT_WEBHOOK_URL is: receivers check the signature with it');
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${redacted(smtpUrl)}"`);
  const from = env.MAIL_FROM || '';
  if (smtpUrl && !/^[^\s@]+@[^\s@]+$|<[^\s@]+@[^\s@]+>$/.test(from)) throw new ConfigError(`MAIL_FROM must be the sender's address when SMTP_URL is set, got "${from}"`);
  return { webhook: url ? { url, secret } : null, mail: smtpUrl ? { smtpUrl, from } : null, locale: localeOf(env, 'ALERT_LOCALE') };
}

/** The variables that set up the one cluster of an installation without CLUSTERS. */
const CLUSTER_VARS = [
  'CLUSTER_NAME',
  'SLURM_SOURCES',
  'SLURMRESTD_URL',
  'SLURMRESTD_TOKEN',
  'SLURMRESTD_TOKEN_FILE',
  'SLURMRESTD_USER',
  'SLURMRESTD_VERSION',
  'SLURMRESTD_VERIFY_TLS',
  'SLURMRESTD_CA_FILE',
  'SACCT_PATH',
  'SACCT_ENABLED',
  'SACCT_ALL_USERS',
  'JOBS_CSV',
];

/** Where a cluster listed in CLUSTERS reads its settings: `CLUSTER_<NAME>_`, upper-cased, anything else than letters and digits as `_`. */
export const clusterPrefix = (name: string) => `CLUSTER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;

/** One cluster's sources from the variables with this prefix ('' for the single cluster). */
function clusterSources(env: Env, prefix: string, cwd: string, defaultCsv: string | null, defaultTimeoutMs: number): ClusterConfig['sources'] {
  const v = (name: string) => `${prefix}${name}`;
  const order = parseList(env[v('SLURM_SOURCES')] ?? 'restd,sacct,csv');
  for (const s of order) {
    if (!['restd', 'sacct', 'csv'].includes(s)) {
      throw new ConfigError(`${v('SLURM_SOURCES')} lists unknown source "${s}" (known: restd, sacct, csv)`);
    }
  }
  const restdUrl = env[v('SLURMRESTD_URL')] || null;
  if (restdUrl && !/^https?:\/\//.test(restdUrl)) {
    throw new ConfigError(`${v('SLURMRESTD_URL')} must start with http:// or https://, got "${restdUrl}"`);
  }
  const csv = env[v('JOBS_CSV')];
  const sacctPath = env[v('SACCT_PATH')];
  return {
    order: order as SourceName[],
    csvPath: csv ? path.resolve(cwd, csv) : defaultCsv,
    sacct: sacctPath || bool(env, v('SACCT_ENABLED'), false)
      ? { path: sacctPath || 'sacct', allUsers: bool(env, v('SACCT_ALL_USERS'), true) }
      : null,
    restd: restdUrl
      ? {
          baseUrl: restdUrl,
          token: env[v('SLURMRESTD_TOKEN')] || null,
          tokenFile: env[v('SLURMRESTD_TOKEN_FILE')] || null,
          userName: env[v('SLURMRESTD_USER')] ?? 'slurm',
          verifyTls: bool(env, v('SLURMRESTD_VERIFY_TLS'), true),
          caFile: env[v('SLURMRESTD_CA_FILE')] || null,
          version: env[v('SLURMRESTD_VERSION')] || null,
        }
      : null,
    timeoutMs: int(env, v('SLURM_TIMEOUT_MS'), defaultTimeoutMs, 100),
  };
}

/**
 * The clusters: without CLUSTERS one, from CLUSTER_NAME, SLURM_SOURCES, SLURMRESTD_*, SACCT_* and JOBS_CSV; with
 * CLUSTERS=a,b each listed cluster from the same variables prefixed CLUSTER_A_, CLUSTER_B_, and the plain ones refused
 * (a setting that names no cluster would be ignored or, worse, taken for one's credentials).
 */
function clusters(env: Env, cwd: string, demo: boolean): ClusterConfig[] {
  const timeoutMs = int(env, 'SLURM_TIMEOUT_MS', 30_000, 100);
  if (!env.CLUSTERS) {
    const defaultCsv = demo ? path.join(repoRoot, 'server/demo/jobs.csv') : null;
    return [{ name: env.CLUSTER_NAME ?? (demo ? 'demo' : 'cluster'), sources: clusterSources(env, '', cwd, defaultCsv, timeoutMs) }];
  }
  const names = parseList(env.CLUSTERS);
  if (names.length === 0) throw new ConfigError('CLUSTERS must name at least one cluster (e.g. CLUSTERS=alpha,beta), or be unset for one cluster');
  const single = CLUSTER_VARS.find((name) => env[name] !== undefined && env[name] !== '');
  if (single) {
    throw new ConfigError(
      single === 'CLUSTER_NAME'
        ? 'CLUSTER_NAME names the single cluster, but CLUSTERS is set: the clusters are the names it lists'
        : `${single} sets up the single cluster, but CLUSTERS is set: give each cluster its own, e.g. ${clusterPrefix(names[0])}${single}`,
    );
  }
  const byPrefix = new Map<string, string>();
  return names.map((name) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new ConfigError(`CLUSTERS lists "${name}", which is not a cluster name (letters, digits, ".", "_" and "-", starting with a letter or digit)`);
    }
    const prefix = clusterPrefix(name);
    const seen = byPrefix.get(prefix);
    if (seen !== undefined) {
      throw new ConfigError(
        seen === name ? `CLUSTERS lists "${name}" twice` : `CLUSTERS lists "${seen}" and "${name}", which would both read the ${prefix}* variables: rename one`,
      );
    }
    byPrefix.set(prefix, name);
    const sources = clusterSources(env, prefix, cwd, null, timeoutMs);
    const configured = { csv: sources.csvPath, sacct: sources.sacct, restd: sources.restd };
    if (!sources.order.some((s) => configured[s])) {
      throw new ConfigError(
        `cluster "${name}" has no source among ${prefix}SLURM_SOURCES (${sources.order.join(',') || 'none'}): set ${prefix}SLURMRESTD_URL, ${prefix}SACCT_PATH (or ${prefix}SACCT_ENABLED=1) or ${prefix}JOBS_CSV`,
      );
    }
    return { name, sources };
  });
}

export function loadConfig(env: Env = process.env): Config {
  // pnpm runs package scripts inside the package; relative paths mean what the user typed them against.
  const cwd = env.INIT_CWD ?? process.cwd();
  const production = env.NODE_ENV === 'production';
  const demo = bool(env, 'DEMO', false);
  const instanceDir = path.resolve(cwd, env.INSTANCE_DIR ?? path.join(repoRoot, 'instance'));
  const { databaseUrl, databaseFile } = parseDatabaseUrl(env.DATABASE_URL ?? `file:${path.join(instanceDir, 'hpc-accounting.db')}`, cwd);

  let adminPassword = env.ADMIN_PASSWORD || null;
  let adminPasswordGenerated = false;
  if (!adminPassword && production && !demo) {
    throw new ConfigError('ADMIN_PASSWORD is required in production: it sets the password of the seeded admin account');
  }
  if (!adminPassword) {
    adminPassword = randomBytes(12).toString('base64url');
    adminPasswordGenerated = true;
  }

  return {
    port: int(env, 'PORT', 3000, 0),
    host: env.HOST ?? '0.0.0.0',
    production,
    demo,
    instanceDir,
    databaseUrl,
    databaseFile,
    adminUsername: env.ADMIN_USERNAME ?? 'admin',
    adminPassword,
    adminPasswordGenerated,
    seedDemoUsers: bool(env, 'SEED_DEMO_USERS', false),
    sessionDays: int(env, 'SESSION_DAYS', 30, 1),
    cookieSecure: bool(env, 'COOKIE_SECURE', production),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    graphiql: bool(env, 'GRAPHIQL', !production),
    logLevel: logLevel(env),
    clusters: clusters(env, cwd, demo),
    sync: {
      intervalSec: int(env, 'SYNC_INTERVAL_SEC', 300),
      lookbackSec: int(env, 'SYNC_LOOKBACK_SEC', 2 * 86400),
      // The first sync of a new installation reaches this far back; the demo's fixed data set is loaded whole.
      initialDays: demo && !env.SYNC_INITIAL_DAYS ? null : int(env, 'SYNC_INITIAL_DAYS', 365, 1),
      // Each chunk of a sync's window is one sacct call or REST request, and is recorded as done on its own.
      chunkHours: int(env, 'SYNC_CHUNK_HOURS', 24, 1),
      lockTtlSec: int(env, 'SYNC_LOCK_TTL_SEC', 60, 3),
    },
    redis: redis(env),
    auth: {
      pamService: env.PAM_SERVICE || 'login',
      pamEnabled: bool(env, 'PAM_ENABLED', true),
      defaultTier: tier(env, 'DEFAULT_TIER'),
      failMinMs: int(env, 'AUTH_FAIL_MIN_MS', 2000),
      throttle: {
        maxFails: int(env, 'AUTH_THROTTLE_MAX_FAILS', 5, 1),
        windowSec: int(env, 'AUTH_THROTTLE_WINDOW_SEC', 900, 1),
        lockSec: int(env, 'AUTH_THROTTLE_LOCK_SEC', 900, 1),
        ipMaxFails: int(env, 'AUTH_THROTTLE_IP_MAX_FAILS', 4 * int(env, 'AUTH_THROTTLE_MAX_FAILS', 5, 1), 1),
      },
      adminUsers: parseList(env.ADMIN_USERS),
      operatorUsers: parseList(env.OPERATOR_USERS),
      rolesFromSlurm: bool(env, 'ROLES_FROM_SLURM', false)
        ? { path: env.SACCTMGR_PATH || 'sacctmgr', timeoutMs: int(env, 'SACCTMGR_TIMEOUT_MS', 10_000, 100) }
        : null,
    },
    timeZone: timeZone(env, demo),
    seriesMaxRows: int(env, 'SERIES_MAX_ROWS', 10_000, 1),
    graphql: {
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 1),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 30, 0),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 5000, 10),
      maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 50, 0),
      maxCost: int(env, 'GRAPHQL_MAX_COST', 500_000, 1),
      maxBodyBytes: int(env, 'GRAPHQL_MAX_BODY_BYTES', 2 * 1024 * 1024, 1024),
      timeBudgetMs: int(env, 'GRAPHQL_TIME_BUDGET_MS', 10_000, 100),
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
    },
    webHandlerPath: env.WEB_HANDLER === '' ? null : path.resolve(cwd, env.WEB_HANDLER ?? path.join(repoRoot, 'web/build/handler.js')),
    metricsToken: metricsTokenOf(env.METRICS_TOKEN),
    accounts: accountsSource(env),
    sreport: { path: env.SREPORT_PATH || 'sreport', timeoutMs: int(env, 'SREPORT_TIMEOUT_MS', 60_000, 100) },
    budgets: { fiscalYearStartMonth: monthOf(env, 'BUDGET_FISCAL_YEAR_START') },
    alerts: alerts(env),
    invoice: {
      // The demo prints invoices of a made-up center; an installation names its own.
      center: {
        name: env.CENTER_NAME || (demo ? 'ศูนย์คอมพิวเตอร์สมรรถนะสูง (Demo HPC Center)' : 'HPC Center'),
        address: (env.CENTER_ADDRESS ?? (demo ? '999 ถนนพุทธมณฑลสาย 4\\nศาลายา นครปฐม 73170' : '')).replace(/\\n/g, '\n'),
        taxId: taxIdOf(env.CENTER_TAX_ID || (demo ? '0994000158378' : '')),
        phone: env.CENTER_PHONE || null,
        email: env.CENTER_EMAIL || null,
      },
      numberPattern: numberPatternOf(env.INVOICE_NUMBER || 'INV-{YYYY}-{SEQ:6}'),
      vatPercent: vatOf(env.VAT_PERCENT ?? (demo ? '7' : undefined)),
      locale: localeOf(env, 'INVOICE_LOCALE'),
    },
  };
}
