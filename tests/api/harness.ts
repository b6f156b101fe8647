import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { type App, buildApp } from '../../server/src/app.ts';
import { createSession, SESSION_COOKIE } from '../../server/src/auth/sessions.ts';
import { loadConfig } from '../../server/src/config.ts';
import { repriceUsers } from '../../server/src/rollups/store.ts';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestApp {
  app: App;
  dir: string;
  /** A session cookie for a user (created with the given role and tier when missing). */
  cookieFor(username: string, role?: 'user' | 'operator' | 'admin', tier?: 'mu' | 'gov' | 'private'): Promise<string>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, cookie?: string): Promise<{ data?: T; errors?: any[] }>;
  close(keep?: boolean): Promise<void>;
}

/** The server of TEST_DATABASE_URL (postgres://…), where each test app gets a database of its own; unset: SQLite. */
const testServer = process.env.TEST_DATABASE_URL || null;
export const onPostgres = testServer !== null;

/** Runs one statement on the test server's maintenance database. */
async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: testServer! });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The database of an app's directory, so an app started again on the same directory finds its data. */
export async function postgresFor(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hpc_test_${path.basename(dir).replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  await onServer(`CREATE DATABASE "${name}"`).catch((error) => {
    if (error.code !== '42P04') throw error; // duplicate_database: reused directory
  });
  const url = new URL(testServer!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** A whole app on a fresh SQLite file, or a fresh PostgreSQL database under TEST_DATABASE_URL, for one test file. */
export async function startTestApp(env: Record<string, string> = {}, reuseDir?: string): Promise<TestApp> {
  const dir = reuseDir ?? mkdtempSync(path.join(tmpdir(), 'hpc-acct-test-'));
  const database = testServer ? await postgresFor(dir) : null;
  const config = loadConfig({
    DATABASE_URL: database ? database.url : `file:${path.join(dir, 'test.db')}`,
    INSTANCE_DIR: dir,
    ADMIN_PASSWORD,
    WEB_HANDLER: '',
    SYNC_INTERVAL_SEC: '0',
    SLURM_SOURCES: 'csv',
    CLUSTER_NAME: 'test',
    PAM_ENABLED: '0',
    // fixtures have fixed dates: load them whatever today is
    SYNC_INITIAL_DAYS: '36500',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const app = await buildApp(config, { logger: pino({ level: process.env.TEST_LOG_LEVEL || 'silent' }) });
  return {
    app,
    dir,
    async cookieFor(username, role = 'user', tier = 'mu') {
      const existed = await app.db.user.findUnique({ where: { username } });
      const user = await app.db.user.upsert({ where: { username }, create: { username, role, tier }, update: {} });
      // A user made with a tier after their jobs were synced, as an admin setting it would: rollups follow.
      if (!existed) await repriceUsers(app.db, config.auth.defaultTier, [username]);
      const { token } = await createSession(app.db, user.id, 30);
      return `${SESSION_COOKIE}=${token}`;
    },
    async gql(query, variables, cookie) {
      const res = await app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-graphql-yoga-csrf': '1',
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return res.json();
    },
    async close(keep = false) {
      await app.stop();
      if (!keep) {
        rmSync(dir, { recursive: true, force: true });
        await database?.drop();
      }
    },
  };
}

export const codes = (r: { errors?: any[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
