import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import type { AssociationSnapshot } from '../../server/src/accounts/membership.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * Slurm accounts in the ledger: members and coordinators from Slurm, PIs named by an admin, what each of them sees,
 * receipts of a whole account, and an account's own pricing tier. Every job is 1 CPU and 1 GiB for one hour: mu 0.55,
 * gov 0.83, private 1.65 THB at the seeded rates.
 */
let t: TestApp;
let admin: string;
let oper: string;
let alice: string;
let bob: string;
let dave: string;
let eve: string;

function job(id: number, user: string, account: string, end: string): NormalizedJob {
  const stop = new Date(end);
  return {
    cluster: 'test', jobId: String(id), user, account, partition: 'cpu', name: `job ${id}`, state: 'COMPLETED',
    submit: new Date(stop.getTime() - 3_600_000), start: new Date(stop.getTime() - 3_600_000), end: stop,
    elapsedSeconds: 3600, totalCpuSeconds: 3600, reqTres: {}, allocTres: { cpu: 1, mem: 1024 },
  };
}

const assoc = (account: string, user: string | null, parentAccount: string | null = 'root') => ({ cluster: 'test', account, user, parentAccount, partition: null });

const SNAPSHOT: AssociationSnapshot = {
  accounts: [
    { name: 'science', description: 'Faculty of Science', organization: 'mu', parent: 'root', coordinators: [] },
    { name: 'physics', description: 'Physics lab', organization: 'mu', parent: 'science', coordinators: ['alice'] },
    { name: 'chemistry', description: 'Chemistry lab', organization: 'mu', parent: 'science', coordinators: [] },
  ],
  associations: [
    assoc('science', null), assoc('physics', null, 'science'), assoc('chemistry', null, 'science'),
    assoc('physics', 'alice'), assoc('physics', 'dave'), assoc('chemistry', 'bob'), assoc('chemistry', 'dave'),
  ],
};

const ACCOUNT = `query($n: String!) { account(name: $n) { name description parent tier viewerCanBill viewerCanManage
  members { username role source until } unbilled { jobs cost } receipts { id account user total itemCount } } }`;
const JOBS = 'query($f: JobFilter) { jobs(filter: $f, first: 50) { totals { jobs cost } edges { node { jobId user cost { cost } } } } }';
const BILL = 'mutation($a: String!, $c: DateTime!) { createAccountReceipt(input: { account: $a, cutoff: $c }) { id account user tier total itemCount items { billingKey cost } } }';

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  oper = await t.cookieFor('oper', 'operator');
  alice = await t.cookieFor('alice', 'user', 'mu');
  bob = await t.cookieFor('bob', 'user', 'gov');
  dave = await t.cookieFor('dave', 'user', 'mu');
  eve = await t.cookieFor('eve', 'user', 'mu');
  await upsertJobs(
    t.app.db,
    [
      job(1, 'alice', 'physics', '2026-10-01T01:00:00Z'),
      job(2, 'dave', 'physics', '2026-10-02T01:00:00Z'),
      job(3, 'bob', 'chemistry', '2026-10-01T02:00:00Z'),
      job(4, 'dave', 'chemistry', '2026-10-03T02:00:00Z'),
      job(5, 'dave', 'physics', '2026-10-20T01:00:00Z'),
    ],
    'csv',
  );
  await applyAssociations(t.app.db, SNAPSHOT, systemMeta('test'), new Date('2026-09-01T00:00:00Z'));
});
afterAll(() => t.close());

describe('accounts from Slurm', () => {
  it('keeps accounts, the tree, members and coordinators, and audits the sync', async () => {
    const r = await t.gql(ACCOUNT, { n: 'physics' }, oper);
    expect(r.errors).toBeUndefined();
    expect(r.data.account).toMatchObject({ name: 'physics', description: 'Physics lab', parent: 'science', tier: null });
    expect(r.data.account.members).toEqual([
      { username: 'alice', role: 'coordinator', source: 'slurm', until: null },
      { username: 'alice', role: 'member', source: 'slurm', until: null },
      { username: 'dave', role: 'member', source: 'slurm', until: null },
    ]);
    expect(r.data.account.unbilled).toEqual({ jobs: 3, cost: '1.65' });
    const audit = await t.app.db.auditEntry.findFirst({ where: { action: 'accounts.sync' } });
    expect(JSON.parse(audit!.extra)).toEqual({ accounts: 3, added: 3, removed: 0, membersOpened: 5, membersClosed: 0 });
  });

  it('keeps history: a membership Slurm stops listing is closed, not deleted, and an account that goes is marked', async () => {
    const later = new Date('2026-11-01T00:00:00Z');
    const without = {
      accounts: SNAPSHOT.accounts.filter((a) => a.name !== 'chemistry'),
      associations: SNAPSHOT.associations.filter((a) => a.account !== 'chemistry' && !(a.account === 'physics' && a.user === 'dave')),
    };
    const summary = await applyAssociations(t.app.db, without, systemMeta('test'), later);
    expect(summary).toEqual({ accounts: 2, added: 0, removed: 1, membersOpened: 0, membersClosed: 3 });
    const r = await t.gql('query { account(name: "physics") { members(history: true) { username role until } } }', {}, oper);
    expect(r.data.account.members).toContainEqual({ username: 'dave', role: 'member', until: later.toISOString() });
    const gone = await t.gql('query { account(name: "chemistry") { removedAt members { username } } }', {}, oper);
    expect(gone.data.account).toEqual({ removedAt: later.toISOString(), members: [] });
    // Back as it was: the same rows are opened again, the closed ones stay as history.
    expect(await applyAssociations(t.app.db, SNAPSHOT, systemMeta('test'), new Date('2026-11-02T00:00:00Z'))).toMatchObject({ added: 0, membersOpened: 3 });
    const back = await t.gql('query { account(name: "chemistry") { removedAt members { username role } } }', {}, oper);
    expect(back.data.account.removedAt).toBeNull();
    expect(back.data.account.members.map((m: any) => m.username)).toEqual(['bob', 'dave']);
  });

  it('refuses a snapshot with a name Slurm could not give, writing nothing', async () => {
    const before = await t.app.db.accountMember.count();
    const bad = { accounts: [{ name: 'a b', description: null, organization: null, parent: null, coordinators: [] }], associations: [] };
    await expect(applyAssociations(t.app.db, bad, systemMeta('test'))).rejects.toThrow(/an account named "a b"/);
    expect(await t.app.db.accountMember.count()).toBe(before);
  });
});

describe('what a coordinator sees', () => {
  it('lists the accounts they coordinate, and every account they belong to', async () => {
    expect((await t.gql('query { accounts { name } }', {}, alice)).data.accounts).toEqual([{ name: 'physics' }]);
    expect((await t.gql('query { accounts { name } }', {}, dave)).data.accounts).toEqual([]);
    expect((await t.gql('query { myAccounts { name } }', {}, dave)).data.myAccounts.map((a: any) => a.name)).toEqual(['chemistry', 'physics']);
    expect((await t.gql('query { accounts { name } }', {}, oper)).data.accounts.map((a: any) => a.name)).toEqual(['chemistry', 'physics', 'science']);
  });

  it('sees their account’s jobs and usage, everyone’s in it, and nothing of another account', async () => {
    const r = await t.gql(JOBS, { f: { account: 'physics' } }, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.jobs.totals).toEqual({ jobs: 3, cost: '1.65' });
    expect(r.data.jobs.edges.map((e: any) => e.node.user).sort()).toEqual(['alice', 'dave', 'dave']);
    // A member's jobs in the account, but not the same member's jobs elsewhere.
    expect((await t.gql(JOBS, { f: { account: 'physics', user: 'dave' } }, alice)).data.jobs.totals.jobs).toBe(2);
    expect(codes(await t.gql(JOBS, { f: { user: 'dave' } }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(JOBS, { f: { account: 'chemistry' } }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(ACCOUNT, { n: 'chemistry' }, alice))).toEqual(['FORBIDDEN']);
    const series = await t.gql(
      'query($f: SeriesFilter) { usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, filter: $f) { jobs cost } }',
      { f: { account: 'physics' } },
      alice,
    );
    expect(series.data.usageSeries).toEqual([{ jobs: 3, cost: '1.65' }]);
  });

  it('is refused to a plain member, who still sees their own jobs', async () => {
    expect(codes(await t.gql(ACCOUNT, { n: 'physics' }, dave))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(JOBS, { f: { account: 'physics' } }, dave))).toEqual(['FORBIDDEN']);
    expect((await t.gql(JOBS, { f: { user: 'dave', account: 'physics' } }, dave)).data.jobs.totals.jobs).toBe(2);
    const series = await t.gql(
      'query { usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, filter: { account: "physics" }) { jobs } }',
      {},
      dave,
    );
    // A member asking for the account gets their own part of it.
    expect(series.data.usageSeries).toEqual([{ jobs: 2 }]);
  });
});

describe('a PI named by an admin', () => {
  it('sees and bills the account as a coordinator does; only admins name one, and it is audited', async () => {
    expect(codes(await t.gql('mutation { setAccountPi(input: { account: "chemistry", username: "eve", pi: true }) { name } }', {}, oper))).toEqual(['FORBIDDEN']);
    const r = await t.gql('mutation { setAccountPi(input: { account: "chemistry", username: "eve", pi: true }) { name members { username role source } } }', {}, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.setAccountPi.members).toContainEqual({ username: 'eve', role: 'pi', source: 'admin' });
    expect((await t.gql(ACCOUNT, { n: 'chemistry' }, eve)).data.account.viewerCanBill).toBe(true);
    // The accounts sync leaves an admin's PI alone.
    await applyAssociations(t.app.db, SNAPSHOT, systemMeta('test'));
    expect((await t.gql('query { accounts { name } }', {}, eve)).data.accounts).toEqual([{ name: 'chemistry' }]);
    expect(await t.app.db.auditEntry.count({ where: { action: 'account.pi.add', target: 'chemistry' } })).toBe(1);
    expect(codes(await t.gql('mutation { setAccountPi(input: { account: "nope", username: "eve", pi: true }) { name } }', {}, admin))).toEqual(['NOT_FOUND']);
    await t.gql('mutation { setAccountPi(input: { account: "chemistry", username: "eve", pi: false }) { name } }', {}, admin);
    expect(codes(await t.gql(ACCOUNT, { n: 'chemistry' }, eve))).toEqual(['FORBIDDEN']);
  });
});

describe('receipts of an account', () => {
  it('bills every member’s unbilled jobs in the account up to the cut-off, once, whichever way they are billed', async () => {
    expect(codes(await t.gql(BILL, { a: 'physics', c: '2026-10-10T00:00:00Z' }, dave))).toEqual(['FORBIDDEN']);
    const r = await t.gql(BILL, { a: 'physics', c: '2026-10-10T00:00:00Z' }, alice);
    expect(r.errors).toBeUndefined();
    expect(r.data.createAccountReceipt).toMatchObject({ account: 'physics', user: null, total: '1.10', itemCount: 2 });
    expect(r.data.createAccountReceipt.items.map((i: any) => i.billingKey)).toEqual(['test:1', 'test:2']);
    // dave's own receipt finds his physics job billed already; his chemistry job is still his to bill.
    const own = await t.gql('mutation { createReceipt(input: { cutoff: "2026-10-10T00:00:00Z" }) { itemCount items { billingKey } } }', {}, dave);
    expect(own.data.createReceipt.items).toEqual([{ billingKey: 'test:4' }]);
    expect(codes(await t.gql(BILL, { a: 'physics', c: '2026-10-10T00:00:00Z' }, alice))).toEqual(['NOTHING_TO_BILL']);
    const id = r.data.createAccountReceipt.id;
    expect((await t.gql(ACCOUNT, { n: 'physics' }, alice)).data.account.receipts).toEqual([{ id, account: 'physics', user: null, total: '1.10', itemCount: 2 }]);
    expect((await t.gql('query($id: Int!) { receipt(id: $id) { id } }', { id }, alice)).data.receipt.id).toBe(id);
    expect(codes(await t.gql('query($id: Int!) { receipt(id: $id) { id } }', { id }, bob))).toEqual(['FORBIDDEN']);
    const audit = await t.app.db.auditEntry.findFirst({ where: { action: 'receipt.create', target: String(id) } });
    expect(JSON.parse(audit!.extra)).toMatchObject({ account: 'physics', items: 2, totalSatang: '110' });
    const { port } = await t.app.start();
    const get = (path: string, cookie: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } });
    const csv = await get(`/export/receipts/${id}.csv`, alice);
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('test:2');
    expect((await get(`/export/receipts/${id}.csv`, bob)).status).toBe(403);
    // A coordinator exports their account's usage, and no other.
    expect((await get('/export/usage.csv?account=physics', alice)).status).toBe(200);
    expect((await get('/export/usage.csv?account=chemistry', alice)).status).toBe(403);
  });
});

describe('an account’s pricing tier', () => {
  it('prices its unbilled jobs at the account’s tier over the members’, everywhere at once; billed jobs keep their cost', async () => {
    const SET = 'mutation($t: Tier) { setAccountPricingTier(input: { account: "physics", tier: $t }) { name tier } }';
    expect(codes(await t.gql(SET, { t: 'private' }, alice))).toEqual(['FORBIDDEN']);
    const r = await t.gql(SET, { t: 'private' }, admin);
    expect(r.data.setAccountPricingTier).toEqual({ name: 'physics', tier: 'private' });
    // Job 5 (dave, unbilled) now costs private's 1.65; jobs 1 and 2 keep the receipt's 0.55 each.
    const jobs = await t.gql(JOBS, { f: { account: 'physics' } }, oper);
    expect(jobs.data.jobs.totals).toEqual({ jobs: 3, cost: '2.75' });
    expect(jobs.data.jobs.edges.find((e: any) => e.node.jobId === '5').node.cost.cost).toBe('1.65');
    const series = await t.gql(
      'query { usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, filter: { account: "physics" }) { cost } }',
      {},
      oper,
    );
    expect(series.data.usageSeries).toEqual([{ cost: '2.75' }]);
    // A member's own tier change leaves the account's price in place, and the preview says so as the change does.
    const daveTier = (await t.app.db.user.findUniqueOrThrow({ where: { username: 'dave' } })).tier;
    const PREVIEW = 'query($i: TierChangeInput!) { tierChangePreview(input: $i) { unbilledBefore { jobs cost } unbilledAfter { jobs cost } } }';
    const SET_USER = 'mutation($i: SetUserTierInput!) { setUserTier(input: $i) { unbilledBefore { jobs cost } unbilledAfter { jobs cost } } }';
    const preview = (await t.gql(PREVIEW, { i: { username: 'dave', tier: 'gov' } }, admin)).data.tierChangePreview;
    const moved = (await t.gql(SET_USER, { i: { username: 'dave', tier: 'gov' } }, admin)).data.setUserTier;
    expect(moved).toEqual(preview);
    const physicsJobs = await t.gql(JOBS, { f: { account: 'physics' } }, oper);
    expect(physicsJobs.data.jobs.edges.find((e: any) => e.node.jobId === '5').node.cost.cost).toBe('1.65');
    await t.gql(SET_USER, { i: { username: 'dave', tier: daveTier } }, admin);
    const bill = await t.gql(BILL, { a: 'physics', c: '2026-11-01T00:00:00Z' }, alice);
    expect(bill.data.createAccountReceipt).toMatchObject({ tier: 'private', total: '1.65' });
    expect(JSON.parse((await t.app.db.auditEntry.findFirst({ where: { action: 'account.tier.update' } }))!.extra)).toEqual({ old: null, new: 'private' });
    await t.gql(SET, { t: null }, admin);
    expect((await t.gql(ACCOUNT, { n: 'physics' }, oper)).data.account.tier).toBeNull();
  });
});

describe('syncing the accounts from sacctmgr', () => {
  it('reads accounts, the tree and coordinators from sacctmgr (recorded from Slurm 22.05) and keeps them', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'sacctmgr-'));
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/slurm/real-22.05-accounts');
    // A stand-in sacctmgr that answers as the real one did: `show assoc` or `show account`.
    const script = path.join(dir, 'sacctmgr');
    writeFileSync(
      script,
      `#!/bin/sh\ncase "$*" in *"show assoc"*) cat '${fixtures}/sacctmgr-assoc-22.05.txt';; *"show account"*) cat '${fixtures}/sacctmgr-accounts-22.05.txt';; *) echo "unexpected: $*" >&2; exit 1;; esac\n`,
    );
    chmodSync(script, 0o755);
    const s = await startTestApp({ ACCOUNTS_SOURCE: 'sacctmgr', SACCTMGR_PATH: script, CLUSTER_NAME: 'sandbox' });
    try {
      const adminCookie = await s.cookieFor('admin', 'admin');
      const r = await s.gql('mutation { syncAccounts { accounts added membersOpened } }', {}, adminCookie);
      expect(r.errors).toBeUndefined();
      expect(r.data.syncAccounts.accounts).toBeGreaterThanOrEqual(6);
      const astro = await s.gql('query { account(name: "astro") { parent description members { username role } } }', {}, adminCookie);
      expect(astro.data.account).toMatchObject({ parent: 'science', description: 'astronomy-group' });
      expect(astro.data.account.members).toEqual(expect.arrayContaining([{ username: 'oper', role: 'coordinator' }, { username: 'alice', role: 'coordinator' }]));
      const aliceCookie = await s.cookieFor('alice');
      expect((await s.gql('query { accounts { name } }', {}, aliceCookie)).data.accounts.map((a: any) => a.name)).toEqual(['astro', 'science']);
      // A sacctmgr that fails changes nothing and says why.
      writeFileSync(script, '#!/bin/sh\necho "sacctmgr: error: Problem talking to the database: Connection refused" >&2\nexit 1\n');
      const failed = await s.gql('mutation { syncAccounts { accounts } }', {}, adminCookie);
      expect(failed.errors?.[0]).toMatchObject({ extensions: { code: 'SLURM_UNAVAILABLE' }, message: expect.stringContaining('Connection refused') });
      expect((await s.gql('query { account(name: "astro") { members { username } } }', {}, adminCookie)).data.account.members).toHaveLength(astro.data.account.members.length);
    } finally {
      await s.close();
    }
  });
});
