/**
 * The ledger filled from the real Slurm through each source: every finished seed job appears once,
 * a second sync updates instead of duplicating, and restd and sacct fill identical rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { type Db, openDatabase } from '../../server/src/db/client.ts';
import { syncJobs } from '../../server/src/jobs/sync.ts';
import { createRestdSource } from '../../server/src/slurm/restd-client.ts';
import { createSacctSource } from '../../server/src/slurm/sacct.ts';
import { findSandbox, rootExec, type SandboxEnv, token } from './slurm/sandbox.ts';

const sandbox = findSandbox();
if (!sandbox.ok && process.env.HPC_SLURM_REQUIRED === '1') {
  describe('real Slurm', () => {
    it('is up', () => {
      throw new Error(sandbox.reason);
    });
  });
}

describe.skipIf(!sandbox.ok)('ledger sync from a real Slurm', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  let dir: string;
  let viaRestd: Db;
  let viaSacct: Db;
  const window = () => ({ from: new Date((env.seedStart - 60) * 1000), to: new Date((env.seedEnd + 60) * 1000) });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-ledger-'));
    viaRestd = openDatabase(path.join(dir, 'restd.db'));
    viaSacct = openDatabase(path.join(dir, 'sacct.db'));
  });
  afterAll(async () => {
    await viaRestd?.$disconnect();
    await viaSacct?.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const restd = () => [createRestdSource({ baseUrl: env.restdUrl, token: token('slurm'), userName: 'slurm', timeoutMs: 60_000, cluster: env.cluster })];
  const sacct = () => [createSacctSource({ exec: rootExec(env), cluster: env.cluster, timeoutMs: 60_000, allUsers: true })];
  const rows = (db: Db) =>
    db.jobRecord.findMany({
      orderBy: { key: 'asc' },
      select: { key: true, user: true, account: true, partition: true, state: true, start: true, end: true, elapsedSeconds: true, cpus: true, gpus: true, memMiB: true },
    });

  it('fills the ledger through slurmrestd with every finished seed job once, and reports the source', async () => {
    const run = await syncJobs(viaRestd, restd(), { ...window(), trigger: 'cli' }, systemMeta());
    expect(run).toMatchObject({ status: 'ok', source: 'restd' });
    const finished = (await rows(viaRestd)).filter((r) => r.end);
    expect(finished.length).toBeGreaterThanOrEqual(env.seedExpectedRecords);
    expect(new Set(finished.map((r) => r.key)).size).toBe(finished.length);
  });

  it('fills identical rows through sacct', async () => {
    const run = await syncJobs(viaSacct, sacct(), { ...window(), trigger: 'cli' }, systemMeta());
    expect(run).toMatchObject({ status: 'ok', source: 'sacct' });
    expect(await rows(viaSacct)).toEqual(await rows(viaRestd));
  });

  it('updates instead of duplicating on a second sync', async () => {
    const before = await viaSacct.jobRecord.count();
    await syncJobs(viaSacct, sacct(), { ...window(), trigger: 'cli' }, systemMeta());
    await syncJobs(viaSacct, restd(), { ...window(), trigger: 'cli' }, systemMeta());
    expect(await viaSacct.jobRecord.count()).toBe(before);
    expect(await viaSacct.syncRun.count({ where: { status: 'ok' } })).toBe(3);
  });
});
