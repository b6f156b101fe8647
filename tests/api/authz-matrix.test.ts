/**
 * Every query, mutation, subscription and object field is tried as each kind of caller and the
 * outcome compared with the checked-in table authz-matrix.json. A field missing from the table,
 * or one whose outcome changed, fails. Regenerate after a deliberate change with
 * `UPDATE_AUTHZ_MATRIX=1 npx vitest run --project api tests/api/authz-matrix.test.ts` and review the diff.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type GraphQLField,
  type GraphQLObjectType,
  getNamedType,
  isLeafType,
  isObjectType,
  parse,
  subscribe,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/src/auth/tokens.ts';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { applyAssociations } from '../../server/src/accounts/store.ts';
import { createContext } from '../../server/src/context.ts';
import { schema } from '../../server/src/schema/index.ts';
import { startTestApp, type TestApp } from './harness.ts';

const CALLERS = ['anonymous', 'user_own', 'user_other', 'operator', 'admin', 'token'] as const;
type Caller = (typeof CALLERS)[number];
type Outcome = 'allow' | 'deny';
const tableFile = path.resolve(import.meta.dirname, 'authz-matrix.json');

interface Target {
  user: string;
  /** A Slurm account: the user coordinates their own one, not the other */
  account: string;
  receiptId: number;
  revokableTokenId: number;
}

let t: TestApp;
const auth: Record<Caller, Record<string, string>> = {} as never;
const targets: Record<'own' | 'other', Target> = {} as never;
const viewers: Record<Caller, { id: number; username: string; role: 'user' | 'operator' | 'admin'; tier: 'mu' } | null> = {} as never;

/** Which data a caller aims at: a user acts on their own and on someone else's; staff on someone else's. */
const aim = (c: Caller): Target => (c === 'user_own' || c === 'token' ? targets.own : targets.other);

const selection = (type: GraphQLObjectType, field: GraphQLField<unknown, unknown>) =>
  isLeafType(getNamedType(field.type)) ? field.name : `${field.name} { __typename }`;

type Op = (sel: string, x: Target) => { query: string; variables?: Record<string, unknown> };

/** How to reach each root field with valid arguments. */
const RATE_PREVIEW = (s: string) => `{ rateChangePreview(input: { tier: mu, cpuPerHour: "1", gpuPerHour: "1", memGBPerHour: "1" }) { ${s} } }`;

const ROOT: Record<string, Op> = {
  'Query.viewer': (s) => ({ query: `{ ${s} }` }),
  'Query.rates': (s) => ({ query: `{ ${s} }` }),
  'Query.rate': () => ({ query: '{ rate(tier: mu) { tier } }' }),
  'Query.estimateCost': () => ({ query: '{ estimateCost(input: { tier: mu, cpus: 1, gpus: 0, memGB: 1, hours: 1 }) { cost } }' }),
  'Query.myJobs': () => ({ query: '{ myJobs { key } }' }),
  'Query.jobs': (_s, x) => ({ query: 'query($u: String) { jobs(filter: { user: $u }, first: 1) { totals { jobs } } }', variables: { u: x.user } }),
  'Query.usage': (_s, x) => ({ query: 'query($u: String) { usage(filter: { user: $u }, groupBy: [month]) { month } }', variables: { u: x.user } }),
  'Query.usageSeries': (_s, x) => ({
    query: 'query($u: String) { usageSeries(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", bucket: MONTH, filter: { user: $u }) { jobs } }',
    variables: { u: x.user },
  }),
  'Query.dataSource': () => ({ query: '{ dataSource { id } }' }),
  'Query.syncRuns': () => ({ query: '{ syncRuns(first: 1) { pageInfo { hasNextPage } } }' }),
  'Query.syncStatus': () => ({ query: '{ syncStatus { cluster } }' }),
  'Query.clusters': () => ({ query: '{ clusters }' }),
  'Query.myReceipts': () => ({ query: '{ myReceipts { id } }' }),
  'Query.receipt': (_s, x) => ({ query: 'query($id: Int!) { receipt(id: $id) { id } }', variables: { id: x.receiptId } }),
  'Query.receipts': () => ({ query: '{ receipts { id } }' }),
  'Query.rateHistory': () => ({ query: '{ rateHistory { id } }' }),
  'Query.auditEntries': () => ({ query: '{ auditEntries(first: 1) { id } }' }),
  'Query.verifyAuditChain': () => ({ query: '{ verifyAuditChain { ok } }' }),
  'Query.myApiTokens': () => ({ query: '{ myApiTokens { id } }' }),
  'Query.users': () => ({ query: '{ users(first: 1) { nodes { username } } }' }),
  'Query.tierChangePreview': () => ({ query: '{ tierChangePreview(input: { username: "bob", tier: gov }) { usersChanged } }' }),
  // Mutations use arguments that change nothing for allowed callers where possible.
  'Mutation.updateRate': () => ({
    query: 'mutation { updateRate(input: { tier: private, cpuPerHour: "1.5", gpuPerHour: "35", memGBPerHour: "0.15" }) { tier } }',
  }),
  'Mutation.createReceipt': () => ({ query: 'mutation { createReceipt(input: { cutoff: "2000-01-01T00:00:00Z" }) { id } }' }),
  'Mutation.markReceiptPaid': () => ({ query: 'mutation { markReceiptPaid(id: 999999) { id } }' }),
  'Mutation.markReceiptsPaid': () => ({ query: 'mutation { markReceiptsPaid(ids: [999999]) { id } }' }),
  'Query.rateChangePreview': () => ({ query: RATE_PREVIEW('unbilledJobs') }),
  'Query.receiptTotals': () => ({ query: '{ receiptTotals { count } }' }),
  'Query.myReceiptTotals': () => ({ query: '{ myReceiptTotals { count } }' }),
  'Mutation.syncJobs': () => ({ query: 'mutation { syncJobs(from: "2000-01-01T00:00:00Z", to: "2000-01-02T00:00:00Z") { id } }' }),
  'Mutation.createApiToken': () => ({ query: 'mutation { createApiToken(name: "matrix") { apiToken { id } } }' }),
  'Mutation.setUserTier': () => ({ query: 'mutation { setUserTier(input: { username: "bob", tier: gov }) { usersChanged } }' }),
  'Mutation.setAccountTier': () => ({ query: 'mutation { setAccountTier(input: { account: "chemistry", tier: gov }) { usersChanged } }' }),
  'Query.quoteJob': () => ({ query: '{ quoteJob(input: { text: "sbatch -n 1 -t 10 job.sh" }) { total } }' }),
  'Query.reconciliation': () => ({ query: '{ reconciliation(month: "2026-10") { month } }' }),
  'Query.rateRules': () => ({ query: '{ rateRules { id } }' }),
  'Mutation.createRateRule': () => ({
    query: 'mutation { createRateRule(input: { tier: mu, gpuType: "matrix", cpuPerHour: "0.5", gpuPerHour: "12", memGBPerHour: "0.05", effectiveFrom: "2999-01-01T00:00:00Z" }) { id } }',
  }),
  'Mutation.deleteRateRule': () => ({ query: 'mutation { deleteRateRule(id: 999999) { id } }' }),
  'Query.budgets': () => ({ query: '{ budgets { id } }' }),
  'Mutation.setBudget': () => ({ query: 'mutation { setBudget(input: { account: "nope", period: month, limit: "1" }) { id } }' }),
  'Mutation.deleteBudget': () => ({ query: 'mutation { deleteBudget(id: 999999) { id } }' }),
  'Mutation.checkBudgets': () => ({ query: 'mutation { checkBudgets { threshold } }' }),
  'Query.accounts': () => ({ query: '{ accounts { name } }' }),
  'Query.myAccounts': () => ({ query: '{ myAccounts { name } }' }),
  'Query.account': (_s, x) => ({ query: 'query($a: String!) { account(name: $a) { name } }', variables: { a: x.account } }),
  'Mutation.syncAccounts': () => ({ query: 'mutation { syncAccounts { accounts } }' }),
  // A cut-off before every job: allowed callers get NOTHING_TO_BILL, which changes nothing.
  'Mutation.createAccountReceipt': (_s, x) => ({
    query: 'mutation($a: String!) { createAccountReceipt(input: { account: $a, cutoff: "2000-01-01T00:00:00Z" }) { id } }',
    variables: { a: x.account },
  }),
  'Mutation.setAccountPi': () => ({ query: 'mutation { setAccountPi(input: { account: "chemistry", username: "bob", pi: false }) { name } }' }),
  'Mutation.setAccountPricingTier': () => ({ query: 'mutation { setAccountPricingTier(input: { account: "chemistry", tier: null }) { name } }' }),
  'Mutation.revokeApiToken': (_s, x) => ({ query: 'mutation($id: Int!) { revokeApiToken(id: $id) { id } }', variables: { id: x.revokableTokenId } }),
};

/** How to reach an object of each type, with a selection on it. */
/** Types that only a subscription sends, by the subscription that sends a field of them. */
const SENT: Record<string, (field: string) => string> = {
  SyncProgress: (f) => `subscription { syncProgress { ${f} } }`,
};

const REACH: Record<string, Op> = {
  User: (s) => ({ query: `{ viewer { ${s} } }` }),
  Rate: (s) => ({ query: `{ rates { ${s} } }` }),
  Cost: (s) => ({ query: `{ estimateCost(input: { tier: mu, cpus: 1, gpus: 1, memGB: 1, hours: 1 }) { ${s} } }` }),
  JobConnection: (s, x) => ({ query: `query($u: String) { jobs(filter: { user: $u }, first: 1) { ${s} } }`, variables: { u: x.user } }),
  JobEdge: (s, x) => ({ query: `query($u: String) { jobs(filter: { user: $u }, first: 1) { edges { ${s} } } }`, variables: { u: x.user } }),
  Job: (s, x) => ({ query: `query($u: String) { jobs(filter: { user: $u }, first: 1) { edges { node { ${s} } } } }`, variables: { u: x.user } }),
  PageInfo: (s, x) => ({ query: `query($u: String) { jobs(filter: { user: $u }, first: 1) { pageInfo { ${s} } } }`, variables: { u: x.user } }),
  UsageTotals: (s, x) => ({ query: `query($u: String) { jobs(filter: { user: $u }, first: 1) { totals { ${s} } } }`, variables: { u: x.user } }),
  UsageBucket: (s, x) => ({ query: `query($u: String) { usage(filter: { user: $u }, groupBy: [month]) { ${s} } }`, variables: { u: x.user } }),
  UsageSeriesRow: (s, x) => ({
    query: `query($u: String) { usageSeries(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", bucket: MONTH, filter: { user: $u }, fillZeros: true) { ${s} } }`,
    variables: { u: x.user },
  }),
  SyncRun: (s) => ({ query: `{ dataSource { ${s} } }` }),
  SourceAttempt: (s) => ({ query: `{ dataSource { attempts { ${s} } } }` }),
  SyncRunConnection: (s) => ({ query: `{ syncRuns(first: 1) { ${s} } }` }),
  SyncRunEdge: (s) => ({ query: `{ syncRuns(first: 1) { edges { ${s} } } }` }),
  ClusterSyncStatus: (s) => ({ query: `{ syncStatus { ${s} } }` }),
  Receipt: (s, x) => ({ query: `query($id: Int!) { receipt(id: $id) { ${s} } }`, variables: { id: x.receiptId } }),
  ReceiptItem: (s, x) => ({ query: `query($id: Int!) { receipt(id: $id) { items { ${s} } } }`, variables: { id: x.receiptId } }),
  RateChange: (s) => ({ query: `{ rateHistory { ${s} } }` }),
  AuditEntry: (s) => ({ query: `{ auditEntries(first: 1) { ${s} } }` }),
  AuditChainStatus: (s) => ({ query: `{ verifyAuditChain { ${s} } }` }),
  ApiToken: (s) => ({ query: `{ myApiTokens { ${s} } }` }),
  UserConnection: (s) => ({ query: `{ users(first: 1) { ${s} } }` }),
  UserSummary: (s) => ({ query: `{ users(first: 1) { nodes { ${s} } } }` }),
  RateImpact: (s) => ({ query: RATE_PREVIEW(s) }),
  RateValues: (s) => ({ query: RATE_PREVIEW(`next { ${s} }`) }),
  ReceiptTotals: (s) => ({ query: `{ myReceiptTotals { ${s} } }` }),
  TierChange: (s) => ({ query: `{ tierChangePreview(input: { username: "bob", tier: gov }) { ${s} } }` }),
  TierMove: (s) => ({ query: `{ tierChangePreview(input: { username: "bob", tier: gov }) { users { ${s} } } }` }),
  Account: (s, x) => ({ query: `query($a: String!) { account(name: $a) { ${s} } }`, variables: { a: x.account } }),
  AccountMember: (s, x) => ({ query: `query($a: String!) { account(name: $a) { members { ${s} } } }`, variables: { a: x.account } }),
  Budget: (s, x) => ({ query: `query($a: String!) { account(name: $a) { budgets { ${s} } } }`, variables: { a: x.account } }),
  BudgetStatus: (s, x) => ({ query: `query($a: String!) { account(name: $a) { budgets { current { ${s} } } } }`, variables: { a: x.account } }),
  BudgetBurnDownPoint: (s, x) => ({ query: `query($a: String!) { account(name: $a) { budgets { current { burnDown { ${s} } } } } }`, variables: { a: x.account } }),
  BudgetAlert: (s, x) => ({ query: `query($a: String!) { account(name: $a) { budgets { alerts { ${s} } } } }`, variables: { a: x.account } }),
  AlertDelivery: (s, x) => ({ query: `query($a: String!) { account(name: $a) { budgets { alerts { deliveries { ${s} } } } } }`, variables: { a: x.account } }),
  SentBudgetAlert: (s) => ({ query: `mutation { checkBudgets { ${s} } }` }),
  InvoiceSummary: (s, x) => ({ query: `query($id: Int!) { receipt(id: $id) { invoice(lang: "th") { ${s} } } }`, variables: { id: x.receiptId } }),
  RateRule: (s) => ({ query: `{ rateRules { ${s} } }` }),
  JobQuote: (s) => ({ query: `{ quoteJob(input: { text: "sbatch -n 1 -t 10 job.sh" }) { ${s} } }` }),
  JobRequest: (s) => ({ query: `{ quoteJob(input: { text: "sbatch -n 1 -t 10 job.sh" }) { request { ${s} } } }` }),
  Reconciliation: (s) => ({ query: `{ reconciliation(month: "2026-10") { ${s} } }` }),
  ReconciliationRow: (s) => ({ query: `{ reconciliation(month: "2026-10") { rows { ${s} } } }` }),
  HourTotals: (s) => ({ query: `{ reconciliation(month: "2026-10") { rows { ledger { ${s} } } } }` }),
  AccountsSync: (s) => ({ query: `mutation { syncAccounts { ${s} } }` }),
  CreatedApiToken: (s) => ({ query: `mutation { createApiToken(name: "matrix-reach") { ${s} } }` }),
};

const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

async function run(caller: Caller, op: { query: string; variables?: Record<string, unknown> }): Promise<Outcome> {
  const res = await t.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth[caller] },
    body: JSON.stringify(op),
  });
  const body = await res.json();
  if (body.errors?.some((e: any) => !e.extensions?.code)) {
    throw new Error(`${op.query} as ${caller}: ${JSON.stringify(body.errors)}`);
  }
  return body.errors?.some((e: any) => DENIED.has(e.extensions?.code)) ? 'deny' : 'allow';
}

async function runSubscription(caller: Caller, document: string): Promise<Outcome> {
  const contextValue = createContext(t.app.deps, {
    viewer: viewers[caller],
    readOnly: caller === 'token',
    ip: null,
    userAgent: null,
    method: 'WS',
    path: '/graphql',
  });
  const result = await subscribe({ schema, document: parse(document), contextValue });
  if (Symbol.asyncIterator in result) {
    await result.return?.();
    return 'allow';
  }
  return result.errors?.some((e) => DENIED.has(String(e.extensions?.code))) ? 'deny' : 'allow';
}

beforeAll(async () => {
  // An sreport that answers one account, so that every field of a reconciliation can be reached.
  const sreport = path.join(mkdtempSync(path.join(tmpdir(), 'authz-sreport-')), 'sreport');
  writeFileSync(sreport, "#!/bin/sh\necho 'test|physics|alice||cpu|3600'\n");
  chmodSync(sreport, 0o755);
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), SREPORT_PATH: sreport });
  await t.app.syncNow('startup');
  const cookie = (c: string) => ({ cookie: c });
  const alice = await t.cookieFor('alice', 'user', 'mu');
  await t.cookieFor('bob', 'user', 'gov');
  auth.anonymous = {};
  auth.user_own = cookie(alice);
  auth.user_other = cookie(alice);
  auth.operator = cookie(await t.cookieFor('oper', 'operator'));
  auth.admin = cookie(await t.cookieFor('admin', 'admin'));
  const users = Object.fromEntries((await t.app.db.user.findMany()).map((u) => [u.username, u]));
  const v = (name: string) => ({ id: users[name].id, username: name, role: users[name].role as 'user', tier: 'mu' as const });
  const receiptOf = async (name: string) => (await createReceipt(t.app.db, name, new Date('2026-11-25T00:00:00Z'), systemMeta(name))).id;
  const tokenOf = async (name: string) => (await createApiToken(t.app.db, v(name), 'revokable', null, systemMeta(name))).apiToken.id;
  await applyAssociations(
    t.app.db,
    {
      accounts: [
        { name: 'physics', description: null, organization: null, parent: null, coordinators: ['alice'] },
        { name: 'chemistry', description: null, organization: null, parent: null, coordinators: [] },
      ],
      associations: [
        { cluster: 'test', account: 'physics', user: 'alice', parentAccount: null, partition: null },
        { cluster: 'test', account: 'chemistry', user: 'bob', parentAccount: null, partition: null },
      ],
    },
    systemMeta('test'),
  );
  await t.app.db.rateRule.create({ data: { tier: 'mu', gpuType: 'h100', cpuPerHour: '0.5', gpuPerHour: '40', memGBPerHour: '0.05', effectiveFrom: new Date('2999-01-01T00:00:00Z'), createdBy: 'admin' } });
  for (const account of ['physics', 'chemistry']) {
    const budget = await t.app.db.budget.create({ data: { account, period: 'year', limitSatang: 100_000n, createdBy: 'admin', notifyEmails: 'pi@example.org' } });
    await t.app.db.budgetAlert.create({ data: { budgetId: budget.id, periodStart: new Date('2026-01-01T00:00:00Z'), threshold: 50, spentSatang: 50_000n, deliveries: '[{"channel":"email","delivered":true}]' } });
  }
  targets.own = { user: 'alice', account: 'physics', receiptId: await receiptOf('alice'), revokableTokenId: await tokenOf('alice') };
  targets.other = { user: 'bob', account: 'chemistry', receiptId: await receiptOf('bob'), revokableTokenId: await tokenOf('bob') };
  auth.token = { authorization: `Bearer ${(await createApiToken(t.app.db, v('alice'), 'analyst', null, systemMeta('alice'))).token}` };
  Object.assign(viewers, { anonymous: null, user_own: v('alice'), user_other: v('alice'), operator: v('oper'), admin: v('admin'), token: v('alice') });
});
afterAll(() => t.close());

describe('authorization matrix', () => {
  it('matches the checked-in table for every field and every caller', async () => {
    const actual: Record<string, Record<Caller, Outcome>> = {};
    const problems: string[] = [];
    const roots = [schema.getQueryType()!, schema.getMutationType()!];
    for (const root of roots) {
      for (const field of Object.values(root.getFields())) {
        const coord = `${root.name}.${field.name}`;
        const op = ROOT[coord];
        if (!op) {
          problems.push(`${coord}: no sample operation in authz-matrix.test.ts ROOT`);
          continue;
        }
        actual[coord] = {} as Record<Caller, Outcome>;
        for (const c of CALLERS) actual[coord][c] = await run(c, op(selection(root, field), aim(c)));
      }
    }
    const subscriptions = schema.getSubscriptionType()!;
    for (const field of Object.values(subscriptions.getFields())) {
      const coord = `Subscription.${field.name}`;
      actual[coord] = {} as Record<Caller, Outcome>;
      for (const c of CALLERS) actual[coord][c] = await runSubscription(c, `subscription { ${selection(subscriptions, field)} }`);
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || roots.includes(type) || type === schema.getSubscriptionType()) continue;
      // A type only a subscription sends: each field asked for through it.
      const sent = SENT[type.name];
      if (sent) {
        for (const field of Object.values(type.getFields())) {
          const coord = `${type.name}.${field.name}`;
          actual[coord] = {} as Record<Caller, Outcome>;
          for (const c of CALLERS) actual[coord][c] = await runSubscription(c, sent(field.name));
        }
        continue;
      }
      const reach = REACH[type.name];
      if (!reach) {
        problems.push(`${type.name}: no way to reach it in authz-matrix.test.ts REACH`);
        continue;
      }
      for (const field of Object.values(type.getFields())) {
        const coord = `${type.name}.${field.name}`;
        actual[coord] = {} as Record<Caller, Outcome>;
        for (const c of CALLERS) actual[coord][c] = await run(c, reach(selection(type, field), aim(c)));
      }
    }
    expect(problems).toEqual([]);

    if (process.env.UPDATE_AUTHZ_MATRIX) {
      writeFileSync(tableFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected: Record<string, Record<Caller, Outcome>> = JSON.parse(readFileSync(tableFile, 'utf8'));
    const missing = Object.keys(actual).filter((k) => !(k in expected));
    expect(missing, 'fields with no entry in authz-matrix.json').toEqual([]);
    const stale = Object.keys(expected).filter((k) => !(k in actual));
    expect(stale, 'entries in authz-matrix.json for fields that no longer exist').toEqual([]);
    for (const [coord, row] of Object.entries(actual)) {
      expect({ [coord]: row }).toEqual({ [coord]: expected[coord] });
    }
  });
});
