import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: string;
let alice: string;
let url: string;

beforeAll(async () => {
  t = await startTestApp({ JOBS_CSV: path.resolve(import.meta.dirname, '../fixtures/jobs-small.csv'), SLURM_SOURCES: 'csv' });
  admin = await t.cookieFor('admin', 'admin');
  alice = await t.cookieFor('alice', 'user', 'mu');
  const { port } = await t.app.start();
  url = `ws://127.0.0.1:${port}/graphql`;
});
afterAll(() => t.close());

const PROGRESS = 'subscription { syncProgress { trigger from to chunksDone chunksTotal chunksFailed jobsStored jobsPerSecond etaSeconds chunkFrom chunkTo chunkStatus source } }';

function wsClient(url: string, cookie: string) {
  return createClient({
    url,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    },
  });
}

describe('syncProgress', () => {
  it('shows staff an admin’s sync chunk by chunk, with jobs stored, the rate and the chunk’s outcome', async () => {
    const client = wsClient(url, admin);
    const events: any[] = [];
    const dispose = client.subscribe({ query: PROGRESS }, { next: (v) => events.push(v), error: (e) => events.push({ error: e }), complete: () => {} });
    // The subscription registers on the server some time after subscribe returns: sync until it has heard one run.
    for (let i = 0; i < 20 && !events.some((e) => e.data?.syncProgress.chunkStatus); i++) {
      const r = await t.gql('mutation { syncJobs(from: "2026-01-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { status jobCount } }', {}, admin);
      expect(r.errors).toBeUndefined();
      if (!events.some((e) => e.data?.syncProgress.chunkStatus)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    dispose();
    await client.dispose();
    const ended = events.map((e) => e.data?.syncProgress).filter((p) => p?.chunkStatus);
    expect(ended.length).toBeGreaterThan(0);
    const last = ended.at(-1);
    expect(last).toMatchObject({
      trigger: 'admin',
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      chunksFailed: 0,
      chunkStatus: 'ok',
      source: 'csv',
      etaSeconds: null,
    });
    expect(last.chunksDone).toBe(last.chunksTotal);
    expect(last.jobsStored).toBe(5);
    expect(typeof last.jobsPerSecond).toBe('number');
    expect(events.filter((e) => e.error)).toEqual([]);
  });

  it('is for staff only', async () => {
    const client = wsClient(url, alice);
    const result = await new Promise<any>((resolve) => {
      client.subscribe({ query: PROGRESS }, { next: resolve, error: resolve, complete: () => resolve(null) });
    });
    expect(result.errors?.[0]?.extensions?.code ?? result[0]?.extensions?.code).toBe('FORBIDDEN');
    await client.dispose();
  });
});
