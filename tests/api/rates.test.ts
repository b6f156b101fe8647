import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { codes, startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: string;
let alice: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice');
});
afterAll(() => t.close());

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateRateInput!) {
    updateRate(input: $input) { tier cpuPerHour gpuPerHour memGBPerHour updatedBy }
  }
`;

describe('rates', () => {
  it('lists the seeded rates of every tier to anyone', async () => {
    const r = await t.gql('{ rates { tier cpuPerHour gpuPerHour memGBPerHour } }');
    expect(r.errors).toBeUndefined();
    expect(r.data.rates.map((x: any) => x.tier)).toEqual(['gov', 'mu', 'private']);
    expect(r.data.rates.find((x: any) => x.tier === 'mu')).toEqual({ tier: 'mu', cpuPerHour: '0.5', gpuPerHour: '12', memGBPerHour: '0.05' });
  });

  it('reads one tier', async () => {
    const r = await t.gql('query($t: Tier!) { rate(tier: $t) { tier gpuPerHour viewerCanUpdate } }', { t: 'private' }, admin);
    expect(r.data.rate).toEqual({ tier: 'private', gpuPerHour: '35', viewerCanUpdate: true });
  });

  it('lets an admin change a rate, writing history and audit in the same transaction', async () => {
    const r = await t.gql(UPDATE, { input: { tier: 'gov', cpuPerHour: '0.80', gpuPerHour: '20', memGBPerHour: '0.1' } }, admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.updateRate).toEqual({ tier: 'gov', cpuPerHour: '0.8', gpuPerHour: '20', memGBPerHour: '0.1', updatedBy: 'admin' });
    const history = await t.app.db.rateHistory.findMany({ where: { tier: 'gov' } });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ changedBy: 'admin', oldCpu: '0.75', newCpu: '0.8', oldGpu: '18', newGpu: '20' });
    const audit = await t.app.db.auditEntry.findMany({ where: { action: 'rates.update' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin', target: 'gov', status: 'ok', method: 'POST', path: '/graphql' });
    expect(JSON.parse(audit[0].extra)).toEqual({
      old: { cpuPerHour: '0.75', gpuPerHour: '18', memGBPerHour: '0.08' },
      new: { cpuPerHour: '0.8', gpuPerHour: '20', memGBPerHour: '0.1' },
    });
  });

  it('refuses a user with FORBIDDEN and an anonymous caller with UNAUTHENTICATED, changing nothing', async () => {
    const input = { tier: 'mu', cpuPerHour: '9', gpuPerHour: '9', memGBPerHour: '9' };
    expect(codes(await t.gql(UPDATE, { input }, alice))).toEqual(['FORBIDDEN']);
    expect(codes(await t.gql(UPDATE, { input }))).toEqual(['UNAUTHENTICATED']);
    const mu = await t.app.db.rate.findUnique({ where: { tier: 'mu' } });
    expect(mu?.cpuPerHour).toBe('0.5');
    expect(await t.app.db.rateHistory.count({ where: { tier: 'mu' } })).toBe(0);
  });

  it('refuses a bad value with BAD_INPUT naming the field, and writes nothing', async () => {
    const before = await t.app.db.auditEntry.count();
    const r = await t.gql(UPDATE, { input: { tier: 'mu', cpuPerHour: '-1', gpuPerHour: '9', memGBPerHour: '9' } }, admin);
    expect(codes(r)).toEqual(['BAD_INPUT']);
    expect(r.errors![0].message).toMatch(/cpuPerHour/);
    expect(await t.app.db.auditEntry.count()).toBe(before);
    expect((await t.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.gpuPerHour).toBe('12');
  });

  it('refuses an unknown tier at validation', async () => {
    const r = await t.gql(UPDATE, { input: { tier: 'gold', cpuPerHour: '1', gpuPerHour: '1', memGBPerHour: '1' } }, admin);
    expect(r.errors?.[0].message).toMatch(/gold/);
  });

  it('refuses a GraphQL POST without the CSRF-prevention header', async () => {
    const res = await t.app.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin },
      body: 'query=mutation{updateRate(input:{tier:mu,cpuPerHour:"1",gpuPerHour:"1",memGBPerHour:"1"}){tier}}',
    });
    expect(res.status).toBe(403);
    expect((await t.app.db.rate.findUnique({ where: { tier: 'mu' } }))?.cpuPerHour).toBe('0.5');
  });

  it('estimates a cost at current rates for a logged-in user', async () => {
    const q = 'query($i: EstimateCostInput!) { estimateCost(input: $i) { cpuHours gpuHours memGBHours cpuCost gpuCost memCost cost } }';
    const r = await t.gql(q, { i: { tier: 'mu', cpus: 4, gpus: 1, memGB: 16, hours: 2 } }, alice);
    expect(r.data.estimateCost).toEqual({ cpuHours: 8, gpuHours: 2, memGBHours: 32, cpuCost: '4.00', gpuCost: '24.00', memCost: '1.60', cost: '29.60' });
    expect(codes(await t.gql(q, { i: { tier: 'mu', cpus: 1, gpus: 0, memGB: 0, hours: 1 } }))).toEqual(['UNAUTHENTICATED']);
  });

  it('delivers rateChanged over graphql-ws to a subscriber, and refuses anonymous subscribers', async () => {
    const { port } = await t.app.start();
    const url = `ws://127.0.0.1:${port}/graphql`;
    const client = createClient({
      url,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: alice } });
        }
      },
    });
    const received = new Promise<any>((resolve, reject) => {
      client.subscribe(
        { query: 'subscription { rateChanged(tier: private) { tier cpuPerHour } }' },
        { next: (v) => resolve(v), error: reject, complete: () => {} },
      );
    });
    // Let the subscription register before the change is published.
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(UPDATE, { input: { tier: 'mu', cpuPerHour: '0.6', gpuPerHour: '12', memGBPerHour: '0.05' } }, admin);
    await t.gql(UPDATE, { input: { tier: 'private', cpuPerHour: '2', gpuPerHour: '35', memGBPerHour: '0.15' } }, admin);
    expect(await received).toEqual({ data: { rateChanged: { tier: 'private', cpuPerHour: '2' } } });
    await client.dispose();

    const anon = createClient({ url, webSocketImpl: WebSocket });
    const result = await new Promise<any>((resolve) => {
      anon.subscribe({ query: 'subscription { rateChanged { tier } }' }, { next: resolve, error: resolve, complete: () => {} });
    });
    expect(result.errors?.[0]?.extensions?.code ?? result[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await anon.dispose();
  });
});
