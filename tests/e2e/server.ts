import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';

export const ADMIN_PASSWORD = 'e2e-admin-password';

/** The real server with the built web app, on a fresh SQLite file and the demo jobs. */
export async function startServer(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-e2e-'));
  const config = loadConfig({
    INSTANCE_DIR: dir,
    ADMIN_PASSWORD,
    SEED_DEMO_USERS: '1',
    DEMO: '1',
    SLURM_SOURCES: 'csv',
    SYNC_INTERVAL_SEC: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const app = await buildApp(config, { logger: pino({ level: 'silent' }) });
  await app.syncNow('startup');
  const { port } = await app.start();
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
