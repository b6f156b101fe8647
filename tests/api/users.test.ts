import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { hashPassword } from '../../server/src/auth/passwords.ts';
import { createApiToken } from '../../server/src/auth/tokens.ts';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { DomainError } from '../../server/src/errors.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * The staff's user list and tier changes. Every job is 1 CPU and 1 GiB for one hour, so a job costs
 * mu 0.55, gov 0.83, private 1.65 THB at the seeded rates.
 */
let t: TestApp;
let admin: string;
let oper: string;
let alice: string;
let adminToken: string;

function job(id: number, user: string, account: string, end: string): NormalizedJob {
  const stop = new Date(end);
  return {
    cluster: 'test',
    jobId: String(id),
    user,
    account,
    partition: 'cpu',
    name: `job ${id}`,
    state: 'COMPLETED',
    submit: new Date(stop.getTime() - 3_600_000),
    start: new Date(stop.getTime() - 3_600_000),
    end: stop,
    elapsedSeconds: 3600,
    totalCpuSeconds: 3600,
    reqTres: {},
    allocTres: { cpu: 1, mem: 1024 },
  };
}

const LIST = /* GraphQL */ `
  query Users($filter: UserFilter, $first: Int, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      nodes { username tier tierIsDefault role roleSource lastLoginAt finishedJobs unbilled { jobs cost } }
      pageInfo { hasNextPage endCursor }
      viewerCanSetTier
    }
  }
`;
const IMPACT = 'tier account userCount usersChanged users { username fromTier toTier changed } unbilledBefore { jobs cost } unbilledAfter { jobs cost }';
const PREVIEW = `query Preview($input: TierChangeInput!) { tierChangePreview(input: $input) { ${IMPACT} } }`;
const SET_USER = `mutation SetUser($input: SetUserTierInput!) { setUserTier(input: $input) { ${IMPACT} } }`;
const SET_ACCOUNT = `mutation SetAccount($input: SetAccountTierInput!) { setAccountTier(input: $input) { ${IMPACT} } }`;
const TOTALS = 'query($f: JobFilter) { jobs(filter: $f, first: 10) { totals { jobs cost } edges { node { jobId receiptId cost { cost } } } } }';
const SERIES = 'query($u: String) { usageSeries(from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z", bucket: YEAR, filter: { user: $u }) { jobs cost } }';

async function bearer(query: string, variables: Record<string, unknown>) {
  const res = await t.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

const tierOf = async (username: string) => (await t.app.db.user.findUnique({ where: { username } }))?.tier ?? null;
const tierAudits = () => t.app.db.auditEntry.findMany({ where: { action: 'user.tier.update' }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  t = await startTestApp({ ADMIN_USERS: 'carol' });
  admin = await t.cookieFor('admin', 'admin');
  oper = await t.cookieFor('oper', 'operator');
  alice = await t.cookieFor('alice', 'user', 'mu');
  await t.cookieFor('bob', 'user', 'gov');
  await upsertJobs(
    t.app.db,
    [
      job(1, 'alice', 'physics', '2026-10-01T01:00:00Z'),
      job(2, 'alice', 'physics', '2026-10-02T01:00:00Z'),
      job(3, 'bob', 'chemistry', '2026-10-01T02:00:00Z'),
      job(4, 'dave', 'physics', '2026-10-03T01:00:00Z'),
      job(5, 'dave', 'chemistry', '2026-10-03T02:00:00Z'),
      job(6, 'eve', 'physics', '2026-10-04T01:00:00Z'),
      { ...job(7, 'eve', 'physics', '2026-10-05T01:00:00Z'), end: null, state: 'RUNNING' },
    ],
    'csv',
  );
  // alice's first job is billed at mu: it must keep that cost whatever her tier becomes.
  await createReceipt(t.app.db, 'alice', new Date('2026-10-01T12:00:00Z'), systemMeta('alice'));
  const row = (await t.app.db.user.findUnique({ where: { username: 'admin' } }))!;
  adminToken = (await createApiToken(t.app.db, { id: row.id, username: 'admin', role: 'admin', tier: 'mu' }, 'analyst', null, systemMeta('admin'))).token;
});
afterAll(() => t.close());

describe('the user list', () => {
  it('lists everyone the logins or the ledger know, by username, with tier, role, jobs and the unbilled total', async () => {
    const r = await t.gql(LIST, {}, oper);
    expect(r.errors).toBeUndefined();
    const byName = Object.fromEntries(r.data.users.nodes.map((u: any) => [u.username, u]));
    expect(Object.keys(byName)).toEqual(['admin', 'alice', 'bob', 'dave', 'eve', 'oper']);
    expect(byName.alice).toMatchObject({ tier: 'mu', tierIsDefault: false, role: 'user', finishedJobs: 2, unbilled: { jobs: 1, cost: '0.55' } });
    expect(byName.bob).toMatchObject({ tier: 'gov', finishedJobs: 1, unbilled: { jobs: 1, cost: '0.83' } });
    expect(byName.dave).toMatchObject({ tier: 'mu', tierIsDefault: true, role: 'user', roleSource: 'default', lastLoginAt: null, finishedJobs: 2, unbilled: { cost: '1.10' } });
    // A running job is not usage yet.
    expect(byName.eve).toMatchObject({ finishedJobs: 1, unbilled: { jobs: 1, cost: '0.55' } });
    // The seeded admin account keeps the role it was created with.
    expect(byName.admin).toMatchObject({ role: 'admin', roleSource: 'local', finishedJobs: 0, unbilled: { jobs: 0, cost: '0.00' } });
    expect(byName.oper).toMatchObject({ role: 'operator', roleSource: null });
    expect(r.data.users.pageInfo).toEqual({ hasNextPage: false, endCursor: 'oper' });
    expect(r.data.users.viewerCanSetTier).toBe(false);
    expect((await t.gql(LIST, {}, admin)).data.users.viewerCanSetTier).toBe(true);
    expect((await bearer(LIST, {})).data.users.viewerCanSetTier).toBe(false);
  });

  it('pages by username and filters by part of the name or by Slurm account', async () => {
    const first = await t.gql(LIST, { first: 2 }, oper);
    expect(first.data.users.nodes.map((u: any) => u.username)).toEqual(['admin', 'alice']);
    expect(first.data.users.pageInfo).toEqual({ hasNextPage: true, endCursor: 'alice' });
    const next = await t.gql(LIST, { first: 2, after: 'alice' }, oper);
    expect(next.data.users.nodes.map((u: any) => u.username)).toEqual(['bob', 'dave']);
    const names = async (filter: object) => (await t.gql(LIST, { filter }, oper)).data.users.nodes.map((u: any) => u.username);
    expect(await names({ search: 'A' })).toEqual(['admin', 'alice', 'dave']);
    expect(await names({ account: 'chemistry' })).toEqual(['bob', 'dave']);
    expect(await names({ account: 'physics', search: 'e' })).toEqual(['alice', 'dave', 'eve']);
    // A wildcard typed into the search is a letter.
    expect(await names({ search: '%' })).toEqual([]);
    expect(codes(await t.gql(LIST, { first: 501 }, oper))).toEqual(['BAD_INPUT']);
  });

  it('is for staff only', async () => {
    expect(codes(await t.gql(LIST, {}, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(LIST, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('changing a tier', () => {
  it('previews the impact without changing anything', async () => {
    const seriesBefore = await t.gql(SERIES, { u: 'alice' }, admin);
    const r = await t.gql(PREVIEW, { input: { username: 'alice', tier: 'private' } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.tierChangePreview).toEqual({
      tier: 'private',
      account: null,
      userCount: 1,
      usersChanged: 1,
      users: [{ username: 'alice', fromTier: 'mu', toTier: 'private', changed: true }],
      unbilledBefore: { jobs: 1, cost: '0.55' },
      unbilledAfter: { jobs: 1, cost: '1.65' },
    });
    expect(await tierOf('alice')).toBe('mu');
    expect(await tierAudits()).toEqual([]);
    expect((await t.gql(TOTALS, { f: { user: 'alice', billed: false } }, admin)).data.jobs.totals).toEqual({ jobs: 1, cost: '0.55' });
    expect(await t.gql(SERIES, { u: 'alice' }, admin)).toEqual(seriesBefore);
  });

  it('refuses users, operators and read-only tokens, changing nothing', async () => {
    const input = { username: 'alice', tier: 'private' };
    expect(codes(await t.gql(SET_USER, { input }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(SET_USER, { input }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PREVIEW, { input }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(SET_ACCOUNT, { input: { account: 'physics', tier: 'private' } }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await bearer(SET_USER, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await bearer(SET_ACCOUNT, { input: { account: 'physics', tier: 'private' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(SET_USER, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(await tierOf('alice')).toBe('mu');
    expect(await tierAudits()).toEqual([]);
  });

  it("sets a user's tier in one audited transaction: unbilled costs follow at once, billed ones keep their receipt's", async () => {
    const r = await t.gql(SET_USER, { input: { username: 'alice', tier: 'private' } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.setUserTier).toMatchObject({ usersChanged: 1, unbilledBefore: { cost: '0.55' }, unbilledAfter: { cost: '1.65' } });
    expect(await tierOf('alice')).toBe('private');

    const [entry, ...more] = await tierAudits();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: 'admin', target: 'alice', status: 'ok', method: 'POST', path: '/graphql' });
    expect(JSON.parse(entry.extra)).toEqual({ old: 'mu', new: 'private', unbilledJobs: 1, unbilledSatangBefore: '55', unbilledSatangAfter: '165' });

    const all = (await t.gql(TOTALS, { f: { user: 'alice' } }, alice)).data.jobs;
    expect(all.totals).toEqual({ jobs: 2, cost: '2.20' });
    const costs = Object.fromEntries(all.edges.map((e: any) => [e.node.jobId, e.node]));
    expect(costs['1']).toMatchObject({ cost: { cost: '0.55' } });
    expect(costs['1'].receiptId).not.toBeNull();
    expect(costs['2']).toMatchObject({ receiptId: null, cost: { cost: '1.65' } });
    expect((await t.gql(TOTALS, { f: { user: 'alice', billed: false } }, alice)).data.jobs.totals).toEqual({ jobs: 1, cost: '1.65' });
    expect((await t.gql(TOTALS, { f: { user: 'alice', billed: true } }, alice)).data.jobs.totals).toEqual({ jobs: 1, cost: '0.55' });
    expect((await t.gql(SERIES, { u: 'alice' }, alice)).data.usageSeries).toEqual([{ jobs: 2, cost: '2.20' }]);
    const list = await t.gql(LIST, { filter: { search: 'alice' } }, admin);
    expect(list.data.users.nodes[0]).toMatchObject({ tier: 'private', unbilled: { cost: '1.65' } });
    expect((await t.gql('{ verifyAuditChain { ok } }', {}, admin)).data.verifyAuditChain.ok).toBe(true);
  });

  it('does nothing, and audits nothing, when the user already has the tier', async () => {
    const r = await t.gql(SET_USER, { input: { username: 'alice', tier: 'private' } }, admin);
    expect(r.data.setUserTier).toMatchObject({ usersChanged: 0, users: [{ changed: false }], unbilledBefore: { jobs: 0, cost: '0.00' } });
    expect(await tierAudits()).toHaveLength(1);
  });

  it('sets the tier of everyone with jobs in a Slurm account, one audit entry per user changed', async () => {
    const preview = await t.gql(PREVIEW, { input: { account: 'physics', tier: 'gov' } }, admin);
    const r = await t.gql(SET_ACCOUNT, { input: { account: 'physics', tier: 'gov' } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.setAccountTier).toEqual(preview.data.tierChangePreview);
    // Each user's unbilled jobs in every account: a tier is the user's, not the account's.
    expect(r.data.setAccountTier).toEqual({
      tier: 'gov',
      account: 'physics',
      userCount: 3,
      usersChanged: 3,
      users: [
        { username: 'alice', fromTier: 'private', toTier: 'gov', changed: true },
        { username: 'dave', fromTier: 'mu', toTier: 'gov', changed: true },
        { username: 'eve', fromTier: 'mu', toTier: 'gov', changed: true },
      ],
      unbilledBefore: { jobs: 4, cost: '3.30' },
      unbilledAfter: { jobs: 4, cost: '3.32' },
    });
    const entries = (await tierAudits()).slice(1);
    expect(entries.map((e) => [e.target, JSON.parse(e.extra).account, JSON.parse(e.extra).new])).toEqual([
      ['alice', 'physics', 'gov'],
      ['dave', 'physics', 'gov'],
      ['eve', 'physics', 'gov'],
    ]);
    // eve was known only to the ledger: she now has a row, with the tier and no role decided yet.
    expect(await t.app.db.user.findUnique({ where: { username: 'eve' } })).toMatchObject({ tier: 'gov', role: 'user', roleSource: 'default', origin: 'pam', passwordHash: null });
    expect((await t.gql(TOTALS, { f: { user: 'dave' } }, admin)).data.jobs.totals).toEqual({ jobs: 2, cost: '1.66' });
    expect((await t.gql(SERIES, { u: 'dave' }, admin)).data.usageSeries).toEqual([{ jobs: 2, cost: '1.66' }]);
    // Staff totals by tier read the day rollups, which moved with the users.
    const byTier = await t.gql('{ usage(filter: { billed: false }, groupBy: [tier]) { tier totals { jobs cost } } }', {}, admin);
    expect(byTier.data.usage).toEqual([{ tier: 'gov', totals: { jobs: 5, cost: '4.15' } }]);

    const again = await t.gql(SET_ACCOUNT, { input: { account: 'physics', tier: 'gov' } }, admin);
    expect(again.data.setAccountTier.usersChanged).toBe(0);
    expect(await tierAudits()).toHaveLength(4);
  });

  it('refuses bad input with a message that says what is wrong, and writes nothing', async () => {
    const before = await t.app.db.auditEntry.count();
    const unknownUser = await t.gql(SET_USER, { input: { username: 'mallory', tier: 'gov' } }, admin);
    expect(codes(unknownUser)).toEqual(['NOT_FOUND']);
    expect(unknownUser.errors![0].message).toMatch(/no user named "mallory"/);
    const unknownAccount = await t.gql(SET_ACCOUNT, { input: { account: 'astronomy', tier: 'gov' } }, admin);
    expect(codes(unknownAccount)).toEqual(['NOT_FOUND']);
    expect(unknownAccount.errors![0].message).toMatch(/Slurm account "astronomy"/);
    const empty = await t.gql(SET_USER, { input: { username: '  ', tier: 'gov' } }, admin);
    expect(codes(empty)).toEqual(['BAD_INPUT']);
    expect(empty.errors![0].message).toMatch(/username must not be empty/);
    const both = await t.gql(PREVIEW, { input: { username: 'alice', account: 'physics', tier: 'mu' } }, admin);
    expect(codes(both)).toEqual(['BAD_INPUT']);
    expect(both.errors![0].message).toMatch(/either username or account/);
    const neither = await t.gql(PREVIEW, { input: { tier: 'mu' } }, admin);
    expect(codes(neither)).toEqual(['BAD_INPUT']);
    const gold = await t.gql(SET_USER, { input: { username: 'alice', tier: 'gold' } }, admin);
    expect(gold.errors?.[0].message).toMatch(/gold/);
    // Below GraphQL, the service checks the tier itself.
    const refused = await t.app.deps.services.users.setUserTier('alice', 'gold', systemMeta('admin')).catch((e) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'BAD_INPUT', message: 'unknown tier "gold" (known: mu, gov, private)' });
    expect(await t.app.db.auditEntry.count()).toBe(before);
    expect(await tierOf('alice')).toBe('gov');
  });
});

describe('where a role comes from', () => {
  it('records the source of the role at each login', async () => {
    await t.app.db.user.create({ data: { username: 'carol', passwordHash: await hashPassword('carol-pass') } });
    const { port } = await t.app.start();
    const base = `http://127.0.0.1:${port}`;
    const csrf = /csrf=([^;]+)/.exec((await fetch(`${base}/login`)).headers.get('set-cookie') ?? '')![1];
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', origin: base, cookie: `csrf=${csrf}`, 'x-csrf-token': csrf },
      body: JSON.stringify({ username: 'carol', password: 'carol-pass' }),
    });
    expect(res.status).toBe(200);
    const list = await t.gql(LIST, { filter: { search: 'carol' } }, admin);
    expect(list.data.users.nodes).toEqual([expect.objectContaining({ username: 'carol', role: 'admin', roleSource: 'static' })]);
    expect(list.data.users.nodes[0].lastLoginAt).not.toBeNull();
  });
});
