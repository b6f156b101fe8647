import { describe, expect, it } from 'vitest';
import type { Exec } from '../lib/exec.ts';
import { parseList as parseUserList } from '../lib/lists.ts';
import { createRoleCache, createRoleResolver, parseAdminLevel, resolveRole, sacctmgrRole, staticRole } from './roles.ts';

describe('parseAdminLevel', () => {
  it.each([
    ['alice|None\n', 'user'],
    ['oper|Operator\n', 'operator'],
    ['admin1|Administrator\n', 'admin'],
    ['admin1|Administrator', 'admin'],
    ['  root|Administrator  \n\n', 'admin'],
    ['weird|SomethingNew\n', 'user'],
    ['alice|\n', 'user'],
  ] as const)('%j → %s', (output, role) => {
    expect(parseAdminLevel(output)).toBe(role);
  });

  it('is null when Slurm does not know the user', () => {
    expect(parseAdminLevel('')).toBeNull();
    expect(parseAdminLevel('\n \n')).toBeNull();
  });

  it('reads the named user’s own row', () => {
    const out = 'alice|None\nalicia|Administrator\n';
    expect(parseAdminLevel(out, 'alice')).toBe('user');
    expect(parseAdminLevel(out, 'alicia')).toBe('admin');
    expect(parseAdminLevel(out, 'bob')).toBeNull();
    // sacctmgr answers `user=Alice` with alice's row; Linux names are case-sensitive, so that is someone else.
    expect(parseAdminLevel('alice|Operator\n', 'Alice')).toBeNull();
  });
});

describe('static lists', () => {
  it('parses comma lists and lets admin win', () => {
    expect(parseUserList(' alice, bob ,,carol ')).toEqual(['alice', 'bob', 'carol']);
    expect(parseUserList(undefined)).toEqual([]);
    expect(staticRole('bob', ['bob'], ['bob'])).toBe('admin');
    expect(staticRole('carol', ['bob'], ['carol'])).toBe('operator');
    expect(staticRole('dave', ['bob'], ['carol'])).toBeNull();
  });
});

/** A fake sacctmgr: answers from a table, records every call. */
function fakeSacctmgr(levels: Record<string, string>, opts: { code?: number | null; stderr?: string; error?: Error } = {}) {
  const calls: Array<{ cmd: string; args: readonly string[]; env: Record<string, string>; timeoutMs: number }> = [];
  const exec: Exec = (cmd, args, { env, timeoutMs }) => {
    calls.push({ cmd, args, env, timeoutMs });
    const name = args.find((a) => a.startsWith('user='))?.slice('user='.length) ?? '';
    const out = opts.code === undefined && name in levels ? [`${name}|${levels[name]}`] : [];
    return {
      lines: (async function* () {
        yield* out;
      })(),
      done: Promise.resolve({ code: opts.code === undefined ? 0 : opts.code, stderr: opts.stderr ?? '', error: opts.error }),
    };
  };
  return { exec, calls };
}

const sacctmgr = { path: '/usr/bin/sacctmgr', env: { SLURM_CONF: '/etc/slurm/test.conf' }, timeoutMs: 5000 };

describe('sacctmgrRole', () => {
  it('runs sacctmgr read-only, without a shell, with the name as user=NAME and the given env', async () => {
    const { exec, calls } = fakeSacctmgr({ oper: 'Operator' });
    expect(await sacctmgrRole('oper', sacctmgr, exec)).toBe('operator');
    expect(calls).toEqual([
      {
        cmd: '/usr/bin/sacctmgr',
        args: ['--readonly', '--parsable2', '--noheader', 'show', 'user', 'user=oper', 'format=User,AdminLevel'],
        env: { SLURM_CONF: '/etc/slurm/test.conf' },
        timeoutMs: 5000,
      },
    ]);
  });

  it('refuses names that are not login names without running anything', async () => {
    const { exec, calls } = fakeSacctmgr({});
    for (const name of ['a b', '-x', 'format=User', 'x;rm', '']) await expect(sacctmgrRole(name, sacctmgr, exec)).rejects.toThrow(/not a valid/);
    expect(calls).toHaveLength(0);
  });

  it('says why it failed', async () => {
    await expect(sacctmgrRole('a', sacctmgr, fakeSacctmgr({}, { code: 1, stderr: 'sacctmgr: error: Problem talking to the database: Connection refused\n' }).exec)).rejects.toThrow(
      'exited 1: sacctmgr: error: Problem talking to the database',
    );
    await expect(sacctmgrRole('a', sacctmgr, fakeSacctmgr({}, { code: null }).exec)).rejects.toThrow('timed out after 5000 ms');
    await expect(sacctmgrRole('a', sacctmgr, fakeSacctmgr({}, { code: null, error: new Error('spawn sacctmgr ENOENT') }).exec)).rejects.toThrow('ENOENT');
  });
});

describe('resolveRole', () => {
  const lists = { staticAdmins: ['root', 'boss'], staticOperators: ['watcher', 'boss'] };

  it('uses the static lists alone when Slurm is off', async () => {
    expect(await resolveRole('boss', lists)).toEqual({ role: 'admin', source: 'static' });
    expect(await resolveRole('watcher', { ...lists, sacctmgr: null })).toEqual({ role: 'operator', source: 'static' });
    expect(await resolveRole('alice', lists)).toEqual({ role: 'user', source: 'default' });
  });

  it('takes the higher of the static role and Slurm’s AdminLevel', async () => {
    const { exec } = fakeSacctmgr({ alice: 'None', oper: 'Operator', admin1: 'Administrator', watcher: 'Administrator', root: 'Operator' });
    const opts = { ...lists, sacctmgr, exec };
    expect(await resolveRole('alice', opts)).toEqual({ role: 'user', source: 'slurm' });
    expect(await resolveRole('oper', opts)).toEqual({ role: 'operator', source: 'slurm' });
    expect(await resolveRole('admin1', opts)).toEqual({ role: 'admin', source: 'slurm' });
    expect(await resolveRole('watcher', opts)).toEqual({ role: 'admin', source: 'slurm' });
    expect(await resolveRole('root', opts)).toEqual({ role: 'admin', source: 'static' });
    expect(await resolveRole('nobody', opts)).toEqual({ role: 'user', source: 'default' });
  });

  it('falls back to the static role with a warning when sacctmgr fails', async () => {
    const { exec } = fakeSacctmgr({}, { code: 1, stderr: 'sacctmgr: error: slurmdbd: Connection refused' });
    expect(await resolveRole('watcher', { ...lists, sacctmgr, exec })).toEqual({
      role: 'operator',
      source: 'static',
      warning: 'Slurm role lookup failed: /usr/bin/sacctmgr exited 1: sacctmgr: error: slurmdbd: Connection refused',
    });
    expect(await resolveRole('alice', { ...lists, sacctmgr, exec })).toMatchObject({ role: 'user', source: 'default', warning: expect.stringMatching(/failed/) });
  });

  it('does not ask Slurm about invalid names', async () => {
    const { exec, calls } = fakeSacctmgr({});
    expect(await resolveRole('bad name', { ...lists, sacctmgr, exec })).toMatchObject({ role: 'user', warning: expect.stringMatching(/not a valid/) });
    expect(calls).toHaveLength(0);
  });
});

describe('cache', () => {
  it('asks sacctmgr once per name within the TTL, once for concurrent lookups, and again after it', async () => {
    let clock = 0;
    const cache = createRoleCache(60_000, () => clock);
    const { exec, calls } = fakeSacctmgr({ oper: 'Operator', alice: 'None' });
    const opts = { staticAdmins: [], staticOperators: [], sacctmgr, exec, cache };
    await Promise.all([resolveRole('oper', opts), resolveRole('oper', opts)]);
    await resolveRole('alice', opts);
    clock = 59_999;
    expect(await resolveRole('oper', opts)).toEqual({ role: 'operator', source: 'slurm' });
    expect(calls).toHaveLength(2);
    clock = 60_000;
    await resolveRole('oper', opts);
    expect(calls).toHaveLength(3);
  });

  it('does not remember failures', async () => {
    const cache = createRoleCache();
    let fail = true;
    const ok = fakeSacctmgr({ oper: 'Operator' });
    const bad = fakeSacctmgr({}, { code: 1 });
    const exec: Exec = (...a) => (fail ? bad.exec(...a) : ok.exec(...a));
    const opts = { staticAdmins: [], staticOperators: [], sacctmgr, exec, cache };
    expect(await resolveRole('oper', opts)).toMatchObject({ role: 'user', warning: expect.any(String) });
    fail = false;
    expect(await resolveRole('oper', opts)).toEqual({ role: 'operator', source: 'slurm' });
  });

  it('createRoleResolver binds options and a cache', async () => {
    const { exec, calls } = fakeSacctmgr({ admin1: 'Administrator' });
    const resolve = createRoleResolver({ staticAdmins: [], staticOperators: [], sacctmgr, exec });
    expect(await resolve('admin1')).toEqual({ role: 'admin', source: 'slurm' });
    expect(await resolve('admin1')).toEqual({ role: 'admin', source: 'slurm' });
    expect(calls).toHaveLength(1);
  });
});
