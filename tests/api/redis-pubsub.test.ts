import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { systemMeta } from '../../server/src/audit/recorder.ts';
import { redisSyncLock } from '../../server/src/jobs/sync-lock.ts';
import { codes, startTestApp, type TestApp } from './harness.ts';
import { redisAvailable, startRedis, type TestRedis } from './support/redis.ts';

const DEADLINE_MS = 20_000;

async function until(what: string, probe: () => boolean) {
  const stop = Date.now() + DEADLINE_MS;
  while (!probe()) {
    if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const UPDATE = 'mutation($input: UpdateRateInput!) { updateRate(input: $input) { tier cpuPerHour updatedAt updatedBy } }';
const RATES = 'subscription { rateChanged(tier: private) { tier cpuPerHour gpuPerHour updatedAt updatedBy } }';

function wsSubscriber(port: number, cookie: string, query: string, headers: Record<string, string> = { cookie }) {
  const s = { payloads: [] as any[], completed: false, failures: [] as unknown[] };
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    retryAttempts: 0,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
  });
  client.subscribe({ query }, { next: (v) => s.payloads.push(v), error: (e) => s.failures.push(e), complete: () => (s.completed = true) });
  return { state: s, close: () => client.dispose() };
}

describe.runIf(redisAvailable())('two replicas sharing Redis', () => {
  let redis: TestRedis;
  let a: TestApp;
  let b: TestApp;
  let portB: number;
  let admin: string;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { REDIS_URL: redis.url, JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv') };
    a = await startTestApp(env);
    // the same database file: two replicas of one installation
    b = await startTestApp(env, a.dir);
    ({ port: portB } = await b.app.start());
    admin = await a.cookieFor('admin', 'admin');
  });
  afterAll(async () => {
    await b?.close(true);
    await a?.close();
    await redis?.stop();
  });

  let bump = 0;
  async function changeRateOnA() {
    bump += 1;
    const r = await a.gql(UPDATE, { input: { tier: 'private', cpuPerHour: `3.${String(bump).padStart(3, '0')}1`, gpuPerHour: '35', memGBPerHour: '0.15' } }, admin);
    expect(r.errors).toBeUndefined();
    return r.data.updateRate as { cpuPerHour: string; updatedAt: string };
  }

  /** Changes rates on A until the subscriber on B has heard one: only then is its Redis subscription in place. */
  async function untilSubscribed(sub: { state: { payloads: any[] } }) {
    const stop = Date.now() + DEADLINE_MS;
    for (;;) {
      const { cpuPerHour } = await changeRateOnA();
      const got = () => sub.state.payloads.some((p) => p.data?.rateChanged?.cpuPerHour === cpuPerHour);
      const wait = Date.now() + 500;
      while (!got() && Date.now() < wait) await new Promise((r) => setTimeout(r, 20));
      if (got()) return;
      if (Date.now() > stop) throw new Error('timed out waiting for the subscription on B to register');
    }
  }

  it('answers ready for Redis on both replicas once their connections are up', async () => {
    for (const app of [a.app, b.app]) {
      let check = await app.checkRedis();
      const stop = Date.now() + DEADLINE_MS;
      while (!check.ok && Date.now() < stop) {
        await new Promise((r) => setTimeout(r, 50));
        check = await app.checkRedis();
      }
      expect(check).toEqual({ ok: true, configured: true });
    }
  });

  it('delivers a rate changed through A to a subscriber on B, values and time exact', async () => {
    const alice = await a.cookieFor('alice');
    const sub = wsSubscriber(portB, alice, RATES);
    // B's own event stream, below GraphQL: the event arrives as a Date, not the string JSON made of it
    const stream = b.app.deps.pubsub.subscribe('rateChanged');
    const rawEvents: any[] = [];
    void (async () => {
      for await (const e of stream) rawEvents.push(e);
    })();
    try {
      await untilSubscribed(sub);
      const changed = await changeRateOnA();
      await until('B’s subscriber to get the change', () => sub.state.payloads.some((p) => p.data?.rateChanged?.cpuPerHour === changed.cpuPerHour));
      const got = sub.state.payloads.find((p) => p.data?.rateChanged?.cpuPerHour === changed.cpuPerHour);
      expect(got).toEqual({
        data: { rateChanged: { tier: 'private', cpuPerHour: changed.cpuPerHour, gpuPerHour: '35', updatedAt: changed.updatedAt, updatedBy: 'admin' } },
      });
      await until('B’s event stream to carry the change', () => rawEvents.some((e) => e.cpuPerHour === changed.cpuPerHour));
      const event = rawEvents.find((e) => e.cpuPerHour === changed.cpuPerHour);
      expect(event.updatedAt).toBeInstanceOf(Date);
      expect(event.updatedAt.toISOString()).toBe(changed.updatedAt);
    } finally {
      await stream.return();
      await sub.close();
    }
  });

  it('ends B’s subscription when its session logs out on A', async () => {
    const cookie = await a.cookieFor('bob');
    const other = await a.cookieFor('carol');
    const sub = wsSubscriber(portB, cookie, RATES);
    const kept = wsSubscriber(portB, other, RATES);
    try {
      await untilSubscribed(sub);
      await untilSubscribed(kept);
      await a.app.deps.services.sessions.logout(cookie.slice(cookie.indexOf('=') + 1), null, systemMeta());
      await until('B’s subscription to end', () => sub.state.completed || sub.state.failures.length > 0);
      expect(sub.state.failures).toEqual([]);
      const last = sub.state.payloads[sub.state.payloads.length - 1];
      expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const { cpuPerHour } = await changeRateOnA();
      await until('the other session on B to keep receiving', () => kept.state.payloads.some((p) => p.data?.rateChanged?.cpuPerHour === cpuPerHour));
      expect(kept.state.completed).toBe(false);
    } finally {
      await Promise.all([sub.close(), kept.close()]);
    }
  });

  it('ends B’s subscription opened with an API token when A revokes it', async () => {
    const session = await a.cookieFor('dave');
    const minted = await a.gql('mutation { createApiToken(name: "replicas") { token apiToken { id } } }', {}, session);
    expect(minted.errors).toBeUndefined();
    const { token, apiToken } = minted.data.createApiToken;
    const sub = wsSubscriber(portB, '', RATES, { authorization: `Bearer ${token}` });
    try {
      await untilSubscribed(sub);
      const r = await a.gql('mutation($id: Int!) { revokeApiToken(id: $id) { id } }', { id: apiToken.id }, session);
      expect(r.errors).toBeUndefined();
      await until('B’s token subscription to end', () => sub.state.completed || sub.state.failures.length > 0);
      expect(sub.state.payloads[sub.state.payloads.length - 1].errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await sub.close();
    }
  });

  it('shows a staff subscriber on B the progress of a sync run on A, its times as sent', async () => {
    const sub = wsSubscriber(portB, admin, 'subscription { syncProgress { trigger from to chunkFrom chunkStatus } }');
    const stream = b.app.deps.pubsub.subscribe('syncProgress');
    const rawEvents: any[] = [];
    void (async () => {
      for await (const e of stream) rawEvents.push(e);
    })();
    try {
      const stop = Date.now() + DEADLINE_MS;
      while (!sub.state.payloads.some((p) => p.data?.syncProgress?.chunkStatus)) {
        const r = await a.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z") { status } }', {}, admin);
        expect(r.errors).toBeUndefined();
        if (Date.now() > stop) throw new Error('timed out waiting for the progress to reach B');
        await new Promise((r) => setTimeout(r, 100));
      }
      const ended = sub.state.payloads.find((p) => p.data?.syncProgress?.chunkStatus).data.syncProgress;
      expect(ended).toMatchObject({ trigger: 'admin', from: '2026-01-01T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' });
      await until('B’s event stream to carry it', () => rawEvents.length > 0);
      expect(rawEvents[0].from).toBeInstanceOf(Date);
      expect(rawEvents[0].chunkFrom).toBeInstanceOf(Date);
    } finally {
      await stream.return();
      await sub.close();
    }
  });

  it('refuses an admin’s sync on B with SYNC_BUSY while another replica holds the sync', async () => {
    const holder = redisSyncLock(a.app.redis!.commands, { key: 'hpc-accounting:sync-lock', ttlMs: 60_000 });
    const lease = await holder.tryAcquire();
    expect(lease).not.toBeNull();
    try {
      const r = await b.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { status } }', {}, admin);
      expect(codes(r)).toEqual(['SYNC_BUSY']);
      // a scheduled round on B skips, and leaves the lease alone
      await b.app.syncNow('interval');
      expect(await a.app.redis!.commands.get('hpc-accounting:sync-lock')).toBe(lease!.token);
    } finally {
      await lease!.release();
    }
  });

  it('answers /readyz 200 while the database and Redis answer, and 503 naming Redis once it has gone', async () => {
    const ready = await fetch(`http://127.0.0.1:${portB}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    await redis.stop();
    const stop = Date.now() + DEADLINE_MS;
    let res = await fetch(`http://127.0.0.1:${portB}/readyz`);
    while (res.status === 200 && Date.now() < stop) {
      await new Promise((r) => setTimeout(r, 50));
      res = await fetch(`http://127.0.0.1:${portB}/readyz`);
    }
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database).toBe('ok');
    expect(body.checks.redis).toMatch(/^failed: /);
  });
});
