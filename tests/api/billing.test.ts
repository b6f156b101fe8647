import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let alice: string;
let bob: string;
let oper: string;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') });
  await t.app.syncNow('startup');
  alice = await t.cookieFor('alice', 'user', 'mu');
  bob = await t.cookieFor('bob', 'user', 'gov');
  oper = await t.cookieFor('oper', 'operator');
  admin = await t.cookieFor('admin', 'admin');
});
afterAll(() => t.close());

const JOBS = /* GraphQL */ `
  query Jobs($filter: JobFilter, $first: Int, $after: String) {
    jobs(filter: $filter, first: $first, after: $after) {
      edges { cursor node { key jobId user } }
      pageInfo { hasNextPage endCursor }
      totals { jobs cpuHours gpuHours memGBHours elapsedHours cost }
    }
  }
`;
const USAGE = /* GraphQL */ `
  query Usage($filter: JobFilter, $groupBy: [UsageGroup!]!) {
    usage(filter: $filter, groupBy: $groupBy) { user month tier totals { jobs cpuHours cost } }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($cutoff: DateTime!) {
    createReceipt(input: { cutoff: $cutoff }) { id user tier total status itemCount items { billingKey cost cpuPerHour } }
  }
`;
const PAY = 'mutation Pay($id: Int!) { markReceiptPaid(id: $id) { id status paidBy } }';
const cutoff = '2026-11-25T00:00:00Z';

describe('usage views', () => {
  it("gives a user their own jobs a page at a time, with totals of the whole set computed by the database", async () => {
    const p1 = await t.gql(JOBS, { filter: { user: 'alice' }, first: 2 }, alice);
    expect(p1.errors).toBeUndefined();
    expect(p1.data.jobs.edges.map((e: any) => e.node.jobId)).toEqual(['102', '101']);
    expect(p1.data.jobs.pageInfo.hasNextPage).toBe(true);
    const p2 = await t.gql(JOBS, { filter: { user: 'alice' }, first: 2, after: p1.data.jobs.pageInfo.endCursor }, alice);
    expect(p2.data.jobs.edges.map((e: any) => e.node.jobId)).toEqual(['100']);
    expect(p2.data.jobs.pageInfo.hasNextPage).toBe(false);
    // 100: 4 cpu × 2 h, 16 GiB; 101: 8 cpu + 2 gpu × 1 h, 32 GiB; 102: 2 cpu × 0.5 h, 4 GiB
    expect(p1.data.jobs.totals).toEqual({ jobs: 3, cpuHours: 17, gpuHours: 2, memGBHours: 66, elapsedHours: 3.5, cost: '35.80' });
  });

  it('refuses a user who asks for someone else, or for everyone, with FORBIDDEN', async () => {
    expect(codes(await t.gql(JOBS, { filter: { user: 'bob' } }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(JOBS, {}, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(USAGE, { groupBy: ['user'] }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(JOBS, { filter: { user: 'alice' } }))).toEqual(['UNAUTHENTICATED']);
  });

  it("lets staff read everyone's usage per user and month, each priced at the owner's tier", async () => {
    const r = await t.gql(USAGE, { groupBy: ['user'] }, oper);
    expect(r.errors).toBeUndefined();
    expect(r.data.usage).toEqual([
      { user: 'alice', month: null, tier: null, totals: { jobs: 3, cpuHours: 17, cost: '35.80' } },
      // bob is gov: 3 CPU-h × 0.75 + 6 GiB-h × 0.08
      { user: 'bob', month: null, tier: null, totals: { jobs: 1, cpuHours: 3, cost: '2.73' } },
    ]);
    const m = await t.gql(USAGE, { filter: { user: 'alice' }, groupBy: ['month', 'tier'] }, alice);
    expect(m.data.usage.map((b: any) => [b.month, b.tier, b.totals.jobs])).toEqual([
      ['2026-10', 'mu', 2],
      ['2026-11', 'mu', 1],
    ]);
  });

  it('filters by account, partition and date range', async () => {
    const r = await t.gql(JOBS, { filter: { partition: 'gpu' } }, admin);
    expect(r.data.jobs.edges.map((e: any) => e.node.key)).toEqual(['test:101']);
    const d = await t.gql(JOBS, { filter: { endedAfter: '2026-10-02T00:00:00Z', endedBefore: '2026-10-31T00:00:00Z' } }, oper);
    expect(d.data.jobs.edges.map((e: any) => e.node.key)).toEqual(['test:101', 'test:200']);
  });
});

describe('receipts', () => {
  it('refuses invalid requests and changes nothing', async () => {
    const future = new Date(Date.now() + 86400_000).toISOString();
    const r = await t.gql(CREATE, { cutoff: future }, alice);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    expect(r.errors![0].message).toMatch(/future/);
    expect(codes(await t.gql(CREATE, { cutoff: 'yesterday' }, alice))).toHaveLength(1);
    expect(codes(await t.gql(CREATE, { cutoff }))).toEqual(['UNAUTHENTICATED']);
    expect(await t.app.db.receipt.count()).toBe(0);
    expect(await t.app.db.auditEntry.count({ where: { action: 'receipt.create' } })).toBe(0);
  });

  it('bills every job exactly once when many receipts are created at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => t.gql(CREATE, { cutoff }, alice)));
    const made = results.filter((r) => r.data?.createReceipt);
    expect(made).toHaveLength(1);
    for (const r of results.filter((x) => !x.data?.createReceipt)) {
      expect(['ALREADY_BILLED', 'NOTHING_TO_BILL']).toContain(r.errors?.[0]?.extensions?.code);
    }
    const receipt = made[0].data.createReceipt;
    expect(receipt).toMatchObject({ user: 'alice', tier: 'mu', total: '35.80', status: 'pending', itemCount: 3 });
    expect(receipt.items.map((i: any) => i.billingKey)).toEqual(['test:100', 'test:101', 'test:102']);
    expect(receipt.items.map((i: any) => i.cost)).toEqual(['5.60', '29.60', '0.60']);
    // no empty or partial receipt remains, and each job is on exactly one
    const all = await t.app.db.receipt.findMany({ include: { _count: { select: { items: true } } } });
    expect(all.map((x) => x._count.items)).toEqual([3]);
    expect(await t.app.db.receiptItem.count()).toBe(3);
    expect(await t.app.db.auditEntry.count({ where: { action: 'receipt.create' } })).toBe(1);
    // the running job (no end) was not billed
    expect(await t.app.db.receiptItem.count({ where: { billingKey: 'test:103' } })).toBe(0);
  });

  it('says there is nothing to bill once everything is billed', async () => {
    const r = await t.gql(CREATE, { cutoff }, alice);
    expect(codes(r)).toEqual(['NOTHING_TO_BILL']);
    expect(r.errors![0].message).toMatch(/no unbilled/);
  });

  it('shows billed jobs as billed and keeps issued receipts when rates change', async () => {
    const billed = await t.gql(JOBS, { filter: { user: 'alice', billed: true } }, alice);
    expect(billed.data.jobs.totals.jobs).toBe(3);
    const unbilled = await t.gql(JOBS, { filter: { user: 'alice', billed: false } }, alice);
    expect(unbilled.data.jobs.totals.jobs).toBe(0);
    await t.gql('mutation { updateRate(input: { tier: mu, cpuPerHour: "5", gpuPerHour: "50", memGBPerHour: "1" }) { tier } }', {}, admin);
    // Billed usage keeps the price it was billed at; only unbilled jobs follow the new rate.
    const billedAfter = await t.gql(JOBS, { filter: { user: 'alice', billed: true } }, alice);
    expect(billedAfter.data.jobs.totals.cost).toBe('35.80');
    const jobCosts = await t.gql('{ myJobs { key cost { cost } } }', {}, alice);
    expect(jobCosts.data.myJobs.find((j: any) => j.key === 'test:100').cost.cost).toBe('5.60');
    const mine = await t.gql('{ myReceipts { id total items { cost cpuPerHour } } }', {}, alice);
    expect(mine.data.myReceipts[0].total).toBe('35.80');
    expect(mine.data.myReceipts[0].items[0]).toEqual({ cost: '5.60', cpuPerHour: '0.5' });
    const history = await t.gql('{ rateHistory(tier: mu) { changedBy oldCpuPerHour cpuPerHour } }', {}, oper);
    expect(history.data.rateHistory[0]).toEqual({ changedBy: 'admin', oldCpuPerHour: '0.5', cpuPerHour: '5' });
    expect(codes(await t.gql('{ rateHistory { id } }', {}, alice))).toEqual(['FORBIDDEN']);
  });

  it("keeps someone else's receipt from a user", async () => {
    const [{ id }] = await t.app.db.receipt.findMany();
    expect(codes(await t.gql('query($id: Int!) { receipt(id: $id) { id } }', { id }, bob))).toEqual(['FORBIDDEN']);
    expect((await t.gql('query($id: Int!) { receipt(id: $id) { id user } }', { id }, oper)).data.receipt.user).toBe('alice');
    expect(codes(await t.gql('{ receipts { id } }', {}, bob))).toEqual(['FORBIDDEN']);
  });

  it('lets only an admin mark a receipt paid, once', async () => {
    const [{ id }] = await t.app.db.receipt.findMany();
    expect(codes(await t.gql(PAY, { id }, oper))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(PAY, { id }, alice))).toEqual(['FORBIDDEN']);
    const pending = await t.gql('{ receipts(status: pending) { id viewerCanMarkPaid } }', {}, admin);
    expect(pending.data.receipts).toEqual([{ id, viewerCanMarkPaid: true }]);
    const paid = await t.gql(PAY, { id }, admin);
    expect(paid.data.markReceiptPaid).toEqual({ id, status: 'paid', paidBy: 'admin' });
    const again = await t.gql(PAY, { id }, admin);
    expect(codes(again)).toEqual(['ALREADY_PAID']);
    expect(await t.app.db.auditEntry.count({ where: { action: 'receipt.paid' } })).toBe(1);
    expect(codes(await t.gql(PAY, { id: 9999 }, admin))).toEqual(['NOT_FOUND']);
  });
});

describe('CSV exports', () => {
  let base: string;
  beforeAll(async () => {
    const { port } = await t.app.start();
    base = `http://127.0.0.1:${port}`;
  });
  const get = (path: string, cookie?: string) => fetch(base + path, { headers: cookie ? { cookie } : {} });

  it("writes a user's usage as UTF-8 with BOM, quoting and Thai text intact", async () => {
    const res = await get('/export/my.csv', alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"relax, then run"');
    expect(text).toContain('ยาวนาน');
    expect(text.split('\r\n')[0]).toMatch(/^job key,job id,user,tier/);
    expect(text).not.toContain('orca');
  });

  it('exports a receipt to its owner and staff only', async () => {
    const [{ id }] = await t.app.db.receipt.findMany();
    const mine = await get(`/export/receipts/${id}.csv`, alice);
    expect(mine.status).toBe(200);
    const lines = (await mine.text()).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(/,TOTAL,.*,35\.80$/);
    expect((await get(`/export/receipts/${id}.csv`, bob)).status).toBe(403);
    expect((await get(`/export/receipts/${id}.csv`)).status).toBe(401);
    expect((await get(`/export/receipts/${id}.csv`, oper)).status).toBe(200);
  });

  it('lists paid receipts in paid.csv for staff', async () => {
    const res = await get('/export/paid.csv', admin);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d+,alice,mu,.*,3,35\.80,.*,admin$/);
    expect((await get('/export/paid.csv', alice)).status).toBe(403);
  });
});
