import { describe, expect, it } from 'vitest';
import { slurmFixtureJson, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import type { Exec } from '../lib/exec.ts';
import {
  type AccountTree,
  buildAccountTree,
  fetchAssociations,
  fetchRestdAssociations,
  parseRestdAccounts,
  parseRestdAssociations,
  parseSacctmgrAccounts,
  parseSacctmgrAssoc,
  restdAccountsParams,
  sacctmgrAccountArgs,
  sacctmgrAssocArgs,
} from './assoc.ts';
import type { FetchLike } from './restd-client.ts';
import { SlurmSourceError } from './types.ts';

const REAL = 'real-22.05-accounts';
const SPEC = 'accounts-spec-built';

const acct = (name: string, description: string, organization: string, parent: string | null, coordinators: string[] = []) => ({
  name,
  description,
  organization,
  parent,
  coordinators,
});
const assoc = (account: string, user: string | null, parentAccount: string | null = null, partition: string | null = null) => ({
  cluster: 'sandbox',
  account,
  user,
  parentAccount,
  partition,
});

/** The sandbox's accounts (tests/system/slurm/up.sh), as every source must give them. */
const SANDBOX: AccountTree = {
  accounts: [
    acct('astro', 'astronomy-group', 'science', 'science', ['alice', 'oper']),
    acct('chemistry', 'chemistry-dept', 'science', 'root'),
    acct('ops', 'operations', 'it', 'root'),
    acct('physics', 'physics-dept', 'science', 'root'),
    acct('root', 'default root account', 'root', null),
    acct('science', 'science-faculty', 'science', 'root', ['alice']),
  ],
  associations: [
    assoc('astro', null, 'science'),
    assoc('astro', 'alice'),
    assoc('astro', 'bob', null, 'gpu'),
    assoc('chemistry', null, 'root'),
    assoc('chemistry', 'alice'),
    assoc('chemistry', 'bob'),
    assoc('ops', null, 'root'),
    assoc('ops', 'admin1'),
    assoc('ops', 'oper'),
    assoc('physics', null, 'root'),
    assoc('physics', 'alice'),
    assoc('root', null),
    assoc('root', 'root'),
    assoc('science', null, 'root'),
  ],
};

describe('sacctmgr arguments', () => {
  it('reads without changing anything, one parsable line per association, no header', () => {
    expect(sacctmgrAssocArgs('sandbox')).toEqual([
      '--readonly',
      '--parsable2',
      '--noheader',
      'show',
      'assoc',
      'cluster=sandbox',
      'format=Cluster,Account,User,ParentName,Partition',
    ]);
    expect(sacctmgrAssocArgs()).not.toContainEqual(expect.stringMatching(/^cluster=/));
    expect(sacctmgrAccountArgs()).toEqual([
      '--readonly',
      '--parsable2',
      '--noheader',
      'show',
      'account',
      'withcoord',
      'format=Account,Coordinators,Org,Descr',
    ]);
  });

  it('refuses a cluster name sacctmgr would read as a list or another keyword', () => {
    for (const bad of ['a,b', 'x format=User', 'c=d', '-n']) expect(() => sacctmgrAssocArgs(bad), bad).toThrow(SlurmSourceError);
  });
});

describe('parsing sacctmgr (Slurm 22.05)', () => {
  it('gives the sandbox tree', () => {
    const tree = buildAccountTree(
      parseSacctmgrAccounts(slurmFixtureText(`${REAL}/sacctmgr-accounts-22.05.txt`)),
      parseSacctmgrAssoc(slurmFixtureText(`${REAL}/sacctmgr-assoc-22.05.txt`)),
      'sandbox',
    );
    expect(tree).toEqual(SANDBOX);
  });

  it('skips the header line when --noheader was left out', () => {
    expect(parseSacctmgrAccounts(slurmFixtureText(`${REAL}/sacctmgr-accounts-header-22.05.txt`))).toEqual(
      parseSacctmgrAccounts(slurmFixtureText(`${REAL}/sacctmgr-accounts-22.05.txt`)),
    );
  });

  it('splits the comma list of coordinators, sorted', () => {
    expect(parseSacctmgrAccounts('proj|zed,amy||d\n')[0]).toMatchObject({ coordinators: ['amy', 'zed'], organization: '', description: 'd' });
  });

  it('keeps a | inside the description (the last field)', () => {
    // sacctmgr stores a description as given: `add account tmpx 'Description=a|b, "c"'` prints `a|b, \`c\`` (22.05)
    expect(parseSacctmgrAccounts('tmpx||o|a|b, `c`\n')).toEqual([acct('tmpx', 'a|b, `c`', 'o', null)]);
  });

  it('names the line and the problem on bad input', () => {
    expect(() => parseSacctmgrAssoc('sandbox|physics|alice\n')).toThrow(/sacctmgr: sacctmgr show assoc line 1: 3 fields, expected 5/);
    expect(() => parseSacctmgrAssoc('sandbox|root||||\n')).toThrow(/6 fields, expected 5/);
    expect(() => parseSacctmgrAssoc('sandbox|root|||\n|physics|alice||\n')).toThrow(/line 2: no cluster/);
    expect(() => parseSacctmgrAssoc('sandbox||alice||\n')).toThrow(/no account/);
    expect(() => parseSacctmgrAccounts('physics|alice\n')).toThrow(/sacctmgr show account line 1: 2 fields, expected 4/);
    expect(() => parseSacctmgrAccounts('|alice|o|d\n')).toThrow(/no account name/);
  });

  it('reads nothing from empty output', () => {
    expect(parseSacctmgrAssoc('')).toEqual([]);
    expect(parseSacctmgrAccounts('\n')).toEqual([]);
  });
});

describe('parsing slurmrestd /slurmdb accounts and associations', () => {
  const tree = (assocFile: string, accountFile: string) =>
    buildAccountTree(parseRestdAccounts(slurmFixtureJson(accountFile)), parseRestdAssociations(slurmFixtureJson(assocFile)), 'sandbox');

  it.each(['v0.0.37', 'v0.0.38'])('real %s (Slurm 22.05) gives the sandbox tree', (v) => {
    expect(tree(`${REAL}/restd-${v}-associations.json`, `${REAL}/restd-${v}-accounts.json`)).toEqual(SANDBOX);
  });

  it.each(['v0.0.39', 'v0.0.40', 'v0.0.41'])('%s (built from the spec: "" for unset strings, DELETED entries) gives the same tree', (v) => {
    expect(tree(`${SPEC}/restd-${v}-associations.spec-built.json`, `${SPEC}/restd-${v}-accounts.spec-built.json`)).toEqual(SANDBOX);
  });

  it('takes coordinators as plain names too', () => {
    const accounts = parseRestdAccounts({ accounts: [{ name: 'p', description: 'd', organization: 'o', coordinators: ['zed', { name: 'amy', direct: true }] }] });
    expect(accounts[0].coordinators).toEqual(['amy', 'zed']);
  });

  it('names the problem on bad input', () => {
    expect(() => parseRestdAssociations([])).toThrow(/restd: \/slurmdb\/associations: the response is not a JSON object/);
    expect(() => parseRestdAssociations({ errors: [] }, { where: '/slurmdb/v0.0.38/associations' })).toThrow(
      /\/slurmdb\/v0.0.38\/associations: the response has no associations\[\] list/,
    );
    expect(() => parseRestdAssociations({ associations: [{ cluster: 'c', user: 'u' }] })).toThrow(/associations\[0\] has no account/);
    expect(() => parseRestdAssociations({ associations: [{ cluster: 'c', account: 'a', user: 7 }] })).toThrow(/user that is not a string/);
    expect(() => parseRestdAccounts({ accounts: [{ description: 'x' }] })).toThrow(/accounts\[0\] has no name/);
    expect(() => parseRestdAccounts({ accounts: [{ name: 'p', coordinators: 'alice' }] })).toThrow(/account p has coordinators that are not a list/);
    expect(() => parseRestdAccounts({ accounts: [{ name: 'p', coordinators: [{ direct: true }] }] })).toThrow(/coordinators\[0\] without a name/);
  });
});

describe('buildAccountTree', () => {
  const accounts = [acct('b', '', '', null), acct('a', '', '', null)];
  const associations = [
    { ...assoc('a', null, 'root'), cluster: 'two' },
    { ...assoc('a', null, 'b'), cluster: 'one' },
    { ...assoc('a', 'u'), cluster: 'two' },
  ];

  it('keeps one cluster, and takes parents from there', () => {
    const t = buildAccountTree(accounts, associations, 'two');
    expect(t.associations.map((a) => a.cluster)).toEqual(['two', 'two']);
    expect(t.accounts).toEqual([acct('a', '', '', 'root'), acct('b', '', '', null)]);
  });

  it('without a cluster: every association, parents from the first cluster by name', () => {
    const t = buildAccountTree(accounts, associations);
    expect(t.associations.map((a) => `${a.cluster}/${a.user}`)).toEqual(['one/null', 'two/null', 'two/u']);
    expect(t.accounts[0].parent).toBe('b');
  });
});

describe('fetchAssociations (sacctmgr)', () => {
  function fakeExec(outputs: Record<string, string>, end = { code: 0 as number | null, stderr: '' }) {
    const calls: Array<{ cmd: string; args: readonly string[]; env: Record<string, string>; timeoutMs: number }> = [];
    const exec: Exec = (cmd, args, opts) => {
      calls.push({ cmd, args, env: opts.env, timeoutMs: opts.timeoutMs });
      const text = outputs[args[4]] ?? '';
      return {
        lines: (async function* () {
          yield* text.split('\n');
        })(),
        done: Promise.resolve(end),
      };
    };
    return { exec, calls };
  }

  it('runs both sacctmgr commands and builds the tree', async () => {
    const fake = fakeExec({
      assoc: slurmFixtureText(`${REAL}/sacctmgr-assoc-22.05.txt`),
      account: slurmFixtureText(`${REAL}/sacctmgr-accounts-22.05.txt`),
    });
    const tree = await fetchAssociations({
      exec: fake.exec,
      sacctmgrPath: '/usr/bin/sacctmgr',
      env: { SLURM_CONF: '/etc/slurm/slurm.conf' },
      timeoutMs: 5000,
      cluster: 'sandbox',
    });
    expect(tree).toEqual(SANDBOX);
    expect(fake.calls.map((c) => c.args)).toEqual([sacctmgrAssocArgs('sandbox'), sacctmgrAccountArgs()]);
    expect(fake.calls[0]).toMatchObject({ cmd: '/usr/bin/sacctmgr', env: { SLURM_CONF: '/etc/slurm/slurm.conf' }, timeoutMs: 5000 });
  });

  it('says why when sacctmgr fails', async () => {
    const fake = fakeExec({}, { code: 1, stderr: 'sacctmgr: error: Problem talking to the database: Connection refused\n' });
    const err = await fetchAssociations({ exec: fake.exec, timeoutMs: 5000 }).catch((e) => e);
    expect(err).toBeInstanceOf(SlurmSourceError);
    expect(err.source).toBe('sacctmgr');
    expect(err.message).toBe('sacctmgr: sacctmgr exited with code 1: sacctmgr: error: Problem talking to the database: Connection refused');
    const killed = await fetchAssociations({ exec: fakeExec({}, { code: null, stderr: '' }).exec, timeoutMs: 100 }).catch((e) => e);
    expect(killed.message).toMatch(/sacctmgr was killed \(signal; timeout 100 ms\)/);
  });
});

describe('fetchRestdAssociations', () => {
  function fakeRestd(version: string, bodies: Record<string, unknown>) {
    const urls: string[] = [];
    const fetch: FetchLike = async (url) => {
      urls.push(url);
      const path = new URL(url).pathname;
      const body = path === '/openapi/v3' ? { paths: { [`/slurmdb/${version}/jobs`]: {}, [`/slurm/${version}/jobs`]: {} } } : bodies[path.split('/').pop()!];
      return {
        status: body ? 200 : 404,
        headers: { get: () => 'application/json' },
        text: async () => (body ? JSON.stringify(body) : 'not found'),
      };
    };
    return { fetch, urls };
  }

  it('v0.0.38: asks /slurmdb/v0.0.38 without parameters (22.05 refuses unknown ones)', async () => {
    const fake = fakeRestd('v0.0.38', {
      associations: slurmFixtureJson(`${REAL}/restd-v0.0.38-associations.json`),
      accounts: slurmFixtureJson(`${REAL}/restd-v0.0.38-accounts.json`),
    });
    const tree = await fetchRestdAssociations({ baseUrl: 'http://restd:6820/', token: 't', userName: 'root', timeoutMs: 5000, cluster: 'sandbox', fetch: fake.fetch });
    expect(tree).toEqual(SANDBOX);
    expect(fake.urls.slice(1).sort()).toEqual(['http://restd:6820/slurmdb/v0.0.38/accounts', 'http://restd:6820/slurmdb/v0.0.38/associations']);
  });

  it('v0.0.41: asks for coordinators with the WithCoordinators flag', async () => {
    const fake = fakeRestd('v0.0.41', {
      associations: slurmFixtureJson(`${SPEC}/restd-v0.0.41-associations.spec-built.json`),
      accounts: slurmFixtureJson(`${SPEC}/restd-v0.0.41-accounts.spec-built.json`),
    });
    expect(await fetchRestdAssociations({ baseUrl: 'http://restd:6820', timeoutMs: 5000, cluster: 'sandbox', fetch: fake.fetch })).toEqual(SANDBOX);
    expect(fake.urls).toContain('http://restd:6820/slurmdb/v0.0.41/accounts?WithCoordinators=true');
  });

  it('has the parameter each version wants for coordinators', () => {
    expect(restdAccountsParams('v0.0.38')).toBeNull();
    expect(restdAccountsParams('v0.0.39')).toBeNull();
    expect(String(restdAccountsParams('v0.0.40'))).toBe('with_coords=true');
    expect(String(restdAccountsParams('v0.0.44'))).toBe('WithCoordinators=true');
  });

  it('passes on the errors slurmdbd reports with HTTP 200', async () => {
    const fake = fakeRestd('v0.0.38', {
      associations: { errors: [{ error: 'Authentication failure', error_number: 1007 }], associations: [] },
      accounts: { accounts: [] },
    });
    await expect(fetchRestdAssociations({ baseUrl: 'http://restd', timeoutMs: 5000, fetch: fake.fetch })).rejects.toThrow(
      /restd: \/slurmdb\/v0.0.38\/associations reported: Authentication failure \(1007\)/,
    );
  });
});
