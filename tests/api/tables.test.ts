import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { createReceipt } from '../../server/src/billing/receipts.ts';
import { upsertJobs } from '../../server/src/jobs/ledger.ts';
import type { NormalizedJob } from '../../server/src/slurm/types.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';

/**
 * Rate change previews, ordered lists and paying several receipts at once. Every job is 1 CPU and 1 GiB for one
 * hour, so a job costs mu 0.55, gov 0.83, private 1.65 THB at the seeded rates.
 */
let t: TestApp;
let admin: string;
let oper: string;
let alice: string;
const receiptIds: Record<string, number> = {};

function job(id: number, user: string, end: string, extra: Partial<NormalizedJob> = {}): NormalizedJob {
  const stop = new Date(end);
  return {
    cluster: 'test',
    jobId: String(id),
    user,
    account: 'physics',
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
    ...extra,
  };
}

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  oper = await t.cookieFor('oper', 'operator');
  alice = await t.cookieFor('alice', 'user', 'mu');
  await t.cookieFor('bob', 'user', 'gov');
  await t.cookieFor('frank', 'user', 'private');
  await upsertJobs(
    t.app.db,
    [
      job(1, 'alice', '2026-10-01T01:00:00Z'),
      job(2, 'alice', '2026-10-02T01:00:00Z', { partition: 'gpu', elapsedSeconds: 7200, totalCpuSeconds: 7200 }),
      job(3, 'bob', '2026-10-01T02:00:00Z'),
      // dave and eve never logged in: priced at the default tier, mu.
      job(4, 'dave', '2026-10-03T01:00:00Z', { account: 'chemistry' }),
      job(5, 'dave', '2026-10-03T02:00:00Z', { account: 'chemistry' }),
      job(6, 'eve', '2026-10-04T01:00:00Z'),
      { ...job(7, 'eve', '2026-10-05T01:00:00Z'), end: null, state: 'RUNNING' },
      job(8, 'frank', '2026-10-01T03:00:00Z'),
      job(9, 'frank', '2026-10-01T04:00:00Z'),
    ],
    'csv',
  );
  receiptIds.alice = (await createReceipt(t.app.db, 'alice', new Date('2026-10-01T12:00:00Z'), systemMeta('alice'))).id;
  receiptIds.bob = (await createReceipt(t.app.db, 'bob', new Date('2026-10-01T12:00:00Z'), systemMeta('bob'))).id;
  receiptIds.frank = (await createReceipt(t.app.db, 'frank', new Date('2026-10-01T12:00:00Z'), systemMeta('frank'))).id;
});
afterAll(() => t.close());

const PREVIEW = /* GraphQL */ `
  query Preview($input: UpdateRateInput!) {
    rateChangePreview(input: $input) {
      tier
      current { cpuPerHour gpuPerHour memGBPerHour }
      next { cpuPerHour gpuPerHour memGBPerHour }
      unbilledJobs
      unbilledBefore { jobs cost }
      unbilledAfter { jobs cost }
      difference
    }
  }
`;
const UPDATE = 'mutation($input: UpdateRateInput!) { updateRate(input: $input) { tier cpuPerHour } }';
const BY_TIER = '{ usage(groupBy: [tier], filter: { billed: false }) { tier totals { jobs cost } } }';

describe('rateChangePreview', () => {
  const input = { tier: 'mu', cpuPerHour: '1.00', gpuPerHour: '12', memGBPerHour: '0.05' };

  it('reports the unbilled jobs of the tier and their total before and after, changing nothing', async () => {
    const audits = await t.app.db.auditEntry.count();
    const r = await t.gql(PREVIEW, { input }, admin);
    expect(r.errors).toBeUndefined();
    // alice's second job (2 hours), dave's two and eve's finished one; alice's first is billed.
    expect(r.data.rateChangePreview).toEqual({
      tier: 'mu',
      current: { cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' },
      next: { cpuPerHour: '1', gpuPerHour: '12', memGBPerHour: '0.05' },
      unbilledJobs: 4,
      unbilledBefore: { jobs: 4, cost: '2.75' },
      unbilledAfter: { jobs: 4, cost: '5.25' },
      difference: '2.50',
    });
    expect((await t.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('0.5');
    expect(await t.app.db.auditEntry.count()).toBe(audits);
    expect(await t.app.db.rateHistory.count()).toBe(0);
  });

  it('answers what updateRate then does', async () => {
    const preview = (await t.gql(PREVIEW, { input }, admin)).data.rateChangePreview;
    const before = (await t.gql(BY_TIER, {}, admin)).data.usage.find((b: any) => b.tier === 'mu');
    expect(before.totals).toEqual(preview.unbilledBefore);
    expect((await t.gql(UPDATE, { input }, admin)).errors).toBeUndefined();
    const after = (await t.gql(BY_TIER, {}, admin)).data.usage;
    expect(after.find((b: any) => b.tier === 'mu').totals).toEqual(preview.unbilledAfter);
    // Other tiers, and the billed job, keep their cost.
    expect(after.find((b: any) => b.tier === 'gov')).toBeUndefined();
    const billed = await t.gql('{ jobs(filter: { billed: true, user: "alice" }) { totals { cost } } }', {}, admin);
    expect(billed.data.jobs.totals.cost).toBe('0.55');
  });

  it('says a lower rate lowers the total, with a negative difference', async () => {
    const r = await t.gql(PREVIEW, { input: { ...input, cpuPerHour: '0.25' } }, admin);
    expect(r.data.rateChangePreview).toMatchObject({ unbilledBefore: { cost: '5.25' }, unbilledAfter: { cost: '1.50' }, difference: '-3.75' });
  });

  it('is zero for a tier without unbilled jobs', async () => {
    const r = await t.gql(PREVIEW, { input: { tier: 'gov', cpuPerHour: '9', gpuPerHour: '9', memGBPerHour: '9' } }, admin);
    expect(r.data.rateChangePreview).toMatchObject({ unbilledJobs: 0, unbilledBefore: { cost: '0.00' }, unbilledAfter: { cost: '0.00' }, difference: '0.00' });
  });

  it('refuses a bad value with BAD_INPUT naming the field', async () => {
    const r = await t.gql(PREVIEW, { input: { ...input, gpuPerHour: 'lots' } }, admin);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    expect(r.errors![0].message).toMatch(/gpuPerHour/);
  });

  it('is for admins only, like updateRate: operators and users are refused', async () => {
    expect(codes(await t.gql(PREVIEW, { input }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PREVIEW, { input }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PREVIEW, { input }))).toEqual(['UNAUTHENTICATED']);
  });
});

const JOBS = /* GraphQL */ `
  query Jobs($filter: JobFilter, $first: Int, $after: String, $orderBy: JobOrder) {
    jobs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
      edges { cursor node { jobId user elapsedSeconds } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

async function allPages(orderBy: unknown, first: number) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r: any = await t.gql(JOBS, { first, after, orderBy }, oper);
    expect(r.errors).toBeUndefined();
    ids.push(...r.data.jobs.edges.map((e: any) => e.node.jobId));
    if (!r.data.jobs.pageInfo.hasNextPage) return ids;
    after = r.data.jobs.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('ordered job lists', () => {
  it('orders by a column in either direction, ties by key, paging through every job once', async () => {
    expect(await allPages({ by: 'user', direction: 'ASC' }, 3)).toEqual(['1', '2', '3', '4', '5', '6', '8', '9']);
    expect(await allPages({ by: 'user', direction: 'DESC' }, 3)).toEqual(['8', '9', '6', '4', '5', '3', '1', '2']);
    const elapsed = await allPages({ by: 'elapsed', direction: 'DESC' }, 2);
    expect(elapsed[0]).toBe('2');
    expect([...elapsed].sort()).toEqual(['1', '2', '3', '4', '5', '6', '8', '9']);
  });

  it('keeps the ledger order (newest end first) without orderBy and with end DESC', async () => {
    const ledger = await allPages(null, 3);
    expect(ledger).toEqual(['6', '5', '4', '2', '9', '8', '3', '1']);
    expect(await allPages({ by: 'end', direction: 'DESC' }, 3)).toEqual(ledger);
    expect(await allPages({ by: 'end', direction: 'ASC' }, 5)).toEqual([...ledger].reverse());
  });

  it('refuses a cursor of another order with BAD_INPUT, and an unknown column at validation', async () => {
    const first = await t.gql(JOBS, { first: 2 }, oper);
    const ledgerCursor = first.data.jobs.pageInfo.endCursor;
    const r = await t.gql(JOBS, { first: 2, after: ledgerCursor, orderBy: { by: 'user', direction: 'ASC' } }, oper);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    const byUser = await t.gql(JOBS, { first: 2, orderBy: { by: 'user', direction: 'ASC' } }, oper);
    const userCursor = byUser.data.jobs.pageInfo.endCursor;
    const other = await t.gql(JOBS, { first: 2, after: userCursor, orderBy: { by: 'state', direction: 'ASC' } }, oper);
    expect(codes(other)).toEqual(['BAD_INPUT']);
    expect(other.errors![0].message).toMatch(/user:ASC/);
    expect(codes(await t.gql(JOBS, { first: 2, after: userCursor }, oper))).toEqual(['BAD_INPUT']);
    const unknown = await t.gql(JOBS, { orderBy: { by: 'cost', direction: 'ASC' } }, oper);
    expect(unknown.errors?.[0].message).toMatch(/cost/);
    expect(unknown.data).toBeUndefined();
  });

  it('lets a user order their own jobs only', async () => {
    const own = await t.gql(JOBS, { filter: { user: 'alice' }, orderBy: { by: 'elapsed', direction: 'DESC' } }, alice);
    expect(own.data.jobs.edges.map((e: any) => e.node.jobId)).toEqual(['2', '1']);
    expect(codes(await t.gql(JOBS, { orderBy: { by: 'user', direction: 'ASC' } }, alice))).toEqual(['FORBIDDEN']);
  });
});

const RECEIPTS = /* GraphQL */ `
  query Receipts($status: ReceiptStatus, $first: Int, $offset: Int, $beforeId: Int, $orderBy: ReceiptOrder) {
    receipts(status: $status, first: $first, offset: $offset, beforeId: $beforeId, orderBy: $orderBy) { id user total itemCount }
  }
`;
const users = (r: any) => r.data.receipts.map((x: any) => x.user);

describe('ordered receipt lists', () => {
  it('orders by total, user or item count, a page at a time by offset', async () => {
    expect(users(await t.gql(RECEIPTS, { orderBy: { by: 'total', direction: 'ASC' } }, oper))).toEqual(['alice', 'bob', 'frank']);
    expect(users(await t.gql(RECEIPTS, { orderBy: { by: 'user', direction: 'DESC' } }, oper))).toEqual(['frank', 'bob', 'alice']);
    // Ties go newest first.
    expect(users(await t.gql(RECEIPTS, { orderBy: { by: 'itemCount', direction: 'DESC' } }, oper))).toEqual(['frank', 'bob', 'alice']);
    const page2 = await t.gql(RECEIPTS, { orderBy: { by: 'total', direction: 'ASC' }, first: 2, offset: 2 }, oper);
    expect(users(page2)).toEqual(['frank']);
  });

  it('keeps newest first without orderBy', async () => {
    const r = await t.gql(RECEIPTS, {}, oper);
    expect(r.data.receipts.map((x: any) => x.id)).toEqual([receiptIds.frank, receiptIds.bob, receiptIds.alice]);
  });

  it('refuses beforeId with another order, and a negative offset, with BAD_INPUT', async () => {
    const mixed = await t.gql(RECEIPTS, { beforeId: receiptIds.frank, orderBy: { by: 'total', direction: 'ASC' } }, oper);
    expect(codes(mixed)).toEqual(['BAD_INPUT']);
    expect(mixed.errors![0].message).toMatch(/beforeId/);
    const negative = await t.gql(RECEIPTS, { offset: -1 }, oper);
    expect(codes(negative)).toEqual(['BAD_INPUT']);
    expect(negative.errors![0].message).toMatch(/offset/);
  });

  it('orders the viewer’s own receipts too', async () => {
    const r = await t.gql('query { myReceipts(orderBy: { by: total, direction: DESC }) { user } }', {}, alice);
    expect(r.data.myReceipts).toEqual([{ user: 'alice' }]);
  });

  it('counts and adds up every receipt of a list, for staff; a user their own', async () => {
    const all = await t.gql('{ receiptTotals(status: pending) { count total } }', {}, oper);
    expect(all.data.receiptTotals).toEqual({ count: 3, total: '4.68' });
    expect(codes(await t.gql('{ receiptTotals { count } }', {}, alice))).toEqual(['FORBIDDEN']);
    const own = await t.gql('{ myReceiptTotals(status: pending) { count total } }', {}, alice);
    expect(own.data.myReceiptTotals).toEqual({ count: 1, total: '0.55' });
  });
});

const PAY = 'mutation($ids: [Int!]!) { markReceiptsPaid(ids: $ids) { id status paidBy viewerCanMarkPaid } }';
const paidAudits = () => t.app.db.auditEntry.findMany({ where: { action: 'receipt.paid' }, orderBy: { id: 'asc' } });
const statusOf = async (id: number) => (await t.app.db.receipt.findUnique({ where: { id } }))?.status;

describe('markReceiptsPaid', () => {
  it('is for admins only: operators, users and read-only callers are refused, and nothing is paid', async () => {
    const ids = [receiptIds.bob];
    expect(codes(await t.gql(PAY, { ids }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PAY, { ids }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PAY, { ids }))).toEqual(['UNAUTHENTICATED']);
    expect(await statusOf(receiptIds.bob)).toBe('pending');
    expect(await paidAudits()).toHaveLength(0);
  });

  it('refuses an unknown receipt naming it, paying none of the others', async () => {
    const r = await t.gql(PAY, { ids: [receiptIds.bob, 999] }, admin);
    expect(codes(r)).toEqual(['NOT_FOUND']);
    expect(r.errors![0].message).toMatch(/999/);
    expect(r.errors![0].extensions.receiptId).toBe(999);
    expect(await statusOf(receiptIds.bob)).toBe('pending');
    expect(await paidAudits()).toHaveLength(0);
  });

  it('refuses an empty list and a receipt named twice with BAD_INPUT', async () => {
    expect(codes(await t.gql(PAY, { ids: [] }, admin))).toEqual(['BAD_INPUT']);
    const twice = await t.gql(PAY, { ids: [receiptIds.bob, receiptIds.bob] }, admin);
    expect(codes(twice)).toEqual(['BAD_INPUT']);
    expect(await statusOf(receiptIds.bob)).toBe('pending');
  });

  it('marks several receipts paid in one go, one audit entry each', async () => {
    const r = await t.gql(PAY, { ids: [receiptIds.bob, receiptIds.frank] }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.markReceiptsPaid).toEqual([
      { id: receiptIds.bob, status: 'paid', paidBy: 'admin', viewerCanMarkPaid: false },
      { id: receiptIds.frank, status: 'paid', paidBy: 'admin', viewerCanMarkPaid: false },
    ]);
    const audits = await paidAudits();
    expect(audits.map((a) => [a.target, a.actor, JSON.parse(a.extra).totalSatang])).toEqual([
      [String(receiptIds.bob), 'admin', '83'],
      [String(receiptIds.frank), 'admin', '330'],
    ]);
    const verified = await t.gql('{ verifyAuditChain { ok } }', {}, admin);
    expect(verified.data.verifyAuditChain.ok).toBe(true);
  });

  it('refuses the whole request when one receipt is already paid, naming it; the pending one stays pending', async () => {
    const r = await t.gql(PAY, { ids: [receiptIds.alice, receiptIds.frank] }, admin);
    expect(codes(r)).toEqual(['ALREADY_PAID']);
    expect(r.errors![0].message).toContain(`receipt ${receiptIds.frank}`);
    expect(r.errors![0].extensions.receiptId).toBe(receiptIds.frank);
    expect(await statusOf(receiptIds.alice)).toBe('pending');
    expect(await paidAudits()).toHaveLength(2);
  });
});
