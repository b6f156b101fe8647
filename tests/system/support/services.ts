import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRedis } from '../../api/support/redis.ts';

/** A PostgreSQL cluster and a Redis of their own, on loopback, through the project's own scripts. */
export interface Services {
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../../..');
const script = path.join(root, 'scripts/postgres.sh');

export async function startServices(): Promise<Services> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-pg-'));
  // As root the cluster runs as the postgres user, who must reach its data directory inside this one.
  chmodSync(dataDir, 0o755);
  const env = { ...process.env, PGDATA_DIR: path.join(dataDir, 'data'), PGPORT: String(55000 + Math.floor(Math.random() * 4000)) };
  const serverUrl = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8' }).trim().split('\n').pop()!;
  const redis = await startRedis();
  return {
    databaseUrl: serverUrl,
    redisUrl: redis.url,
    async stop() {
      await redis.stop();
      execFileSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
