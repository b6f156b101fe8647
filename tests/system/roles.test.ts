/**
 * Roles from Slurm's AdminLevel against the real Slurm 22.05 brought up by `tests/system/slurm/up.sh`
 * (users alice: None, oper: Operator, admin1: Administrator). Run through `bash tests/system/run.sh`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAdminLevel, resolveRole, type SacctmgrOptions } from '../../server/src/auth/roles.ts';
import { findSandbox, type SandboxEnv } from './slurm/sandbox.ts';

const sandbox = findSandbox();

if (!sandbox.ok && process.env.HPC_SLURM_REQUIRED === '1') {
  describe('real Slurm', () => {
    it('is up (tests/system/run.sh brought it up)', () => {
      throw new Error(sandbox.reason);
    });
  });
}

describe.skipIf(!sandbox.ok)('roles from sacctmgr against a real Slurm', () => {
  const env = (sandbox as { env: SandboxEnv }).env;
  const sacctmgr: SacctmgrOptions = { path: 'sacctmgr', env: { SLURM_CONF: env?.slurmConf }, timeoutMs: 30_000 };
  const noLists = { staticAdmins: [], staticOperators: [] };

  it.each([
    ['alice', 'user'],
    ['oper', 'operator'],
    ['admin1', 'admin'],
  ] as const)('%s → %s', async (user, role) => {
    expect(await resolveRole(user, { ...noLists, sacctmgr })).toEqual({ role, source: 'slurm' });
  });

  it('gives a user Slurm does not know the default role, and the case-folded name nothing', async () => {
    expect(await resolveRole('hpcacct_nobody', { ...noLists, sacctmgr })).toEqual({ role: 'user', source: 'default' });
    // sacctmgr answers user=ADMIN1 with admin1's row: a different Linux account must not inherit it.
    expect(await resolveRole('ADMIN1', { ...noLists, sacctmgr })).toEqual({ role: 'user', source: 'default' });
  });

  it('takes the higher of the static lists and Slurm', async () => {
    expect(await resolveRole('alice', { staticAdmins: ['alice'], staticOperators: [], sacctmgr })).toEqual({ role: 'admin', source: 'static' });
    expect(await resolveRole('admin1', { staticAdmins: [], staticOperators: ['admin1'], sacctmgr })).toEqual({ role: 'admin', source: 'slurm' });
  });

  it('reads every row sacctmgr prints for all users', () => {
    const r = spawnSync('sacctmgr', ['--readonly', '--parsable2', '--noheader', 'show', 'user', 'format=User,AdminLevel'], {
      env: { ...process.env, SLURM_CONF: env.slurmConf },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const roles = Object.fromEntries(['alice', 'bob', 'oper', 'admin1'].map((u) => [u, parseAdminLevel(r.stdout, u)]));
    expect(roles).toEqual({ alice: 'user', bob: 'user', oper: 'operator', admin1: 'admin' });
  });

  it('falls back to the static role with a warning when sacctmgr cannot run or hangs', async () => {
    const missing = await resolveRole('oper', { staticAdmins: [], staticOperators: ['oper'], sacctmgr: { ...sacctmgr, path: '/nonexistent/sacctmgr' } });
    expect(missing).toMatchObject({ role: 'operator', source: 'static', warning: expect.stringMatching(/ENOENT/) });
    // With an unreadable config sacctmgr retries for 60 s: the timeout has to end it.
    const started = Date.now();
    const stuck = await resolveRole('admin1', { ...noLists, sacctmgr: { path: 'sacctmgr', env: { SLURM_CONF: '/nonexistent/slurm.conf' }, timeoutMs: 2000 } });
    expect(stuck).toMatchObject({ role: 'user', source: 'default', warning: expect.stringMatching(/timed out after 2000 ms|exited/) });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
