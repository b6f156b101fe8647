// Two replicas of the server on one PostgreSQL and one Redis, behind a real HAProxy, all on loopback: a rate changed
// through one reaches a subscriber of the other, a thousand receipt creations race across both while one of them is
// killed with SIGKILL, and afterwards no job is billed twice, no receipt is empty or partial, and the audit chain
// verifies.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { verifyAuditChain } from '../../server/src/audit/recorder.ts';
import { connectDatabase, type Db } from '../../server/src/db/client.ts';
import { type Balancer, haproxyPath, startBalancer } from './support/balancer.ts';
import { type Services, startServices } from './support/services.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'server/node_modules/.bin/tsx');
const USERS = ['alice', 'bob', 'carol', 'dave'];
const JOBS_PER_USER = 150;
const CREATIONS = 1000;
const required = process.env.CI === 'true' || process.env.HPC_REPLICAS_REQUIRED === '1';
const missing = haproxyPath() ? null : 'haproxy';
// Ready: the database and Redis answer.
const HEALTH = '/readyz';

interface Replica {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let services: Services;
let balancer: Balancer;
let replicas: Replica[] = [];
let db: Db;
let dir: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Jobs of every user ending an hour apart, so that receipts with later cut-offs have more to bill. */
function jobsCsv(): string {
  const lines = ['Cluster,JobID,User,Account,Partition,JobName,State,Submit,Start,End,Elapsed,TotalCPU,ReqTRES,AllocTRES'];
  let id = 1000;
  for (let i = 0; i < JOBS_PER_USER; i++) {
    for (const user of USERS) {
      const end = new Date(Date.UTC(2026, 5, 1) + (i * USERS.length + USERS.indexOf(user)) * 3600_000);
      const start = new Date(end.getTime() - 1800_000);
      const t = (d: Date) => d.toISOString().slice(0, 19);
      lines.push(`test,${id++},${user},physics,cpu,job-${i},COMPLETED,${t(start)},${t(start)},${t(end)},00:30:00,00:29:00,"cpu=2,mem=4G,node=1","billing=2,cpu=2,mem=4G,node=1"`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startReplica(name: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(tsx, [path.join(root, 'server/src/index.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`replica ${name} to be ready`, async () => {
    if (child.exitCode !== null) throw new Error(`replica ${name} exited: ${output}`);
    return (await fetch(`${url}${HEALTH}`)).status === 200;
  });
  return { name, port, url, child, output: () => output, exited };
}

async function login(base: string, username: string, password: string): Promise<string> {
  const csrf = /csrf=([^;]+)/.exec((await fetch(`${base}/login`)).headers.get('set-cookie') ?? '')![1];
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', origin: base, cookie: `csrf=${csrf}`, 'x-csrf-token': csrf },
    body: JSON.stringify({ username, password, csrf }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const session = /(__Host-)?session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? /[a-z_-]*session[a-z_-]*=[^;]+/i.exec(res.headers.get('set-cookie') ?? '')![0];
  return session;
}

async function gql(base: string, cookie: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
    body: JSON.stringify({ query, variables }),
  });
  if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
  return res.json() as Promise<{ data?: any; errors?: any[] }>;
}

const skip = !required && missing !== null;

beforeAll(async () => {
  if (skip) return;
  if (missing) throw new Error(`the replica test needs ${missing}`);
  services = await startServices();
  dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-replicas-'));
  const csv = path.join(dir, 'jobs.csv');
  writeFileSync(csv, jobsCsv());
  const env = {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    HOST: '127.0.0.1',
    INSTANCE_DIR: dir,
    ADMIN_PASSWORD: 'replica-admin-password',
    SEED_DEMO_USERS: '1',
    SLURM_SOURCES: 'csv',
    JOBS_CSV: csv,
    CLUSTER_NAME: 'test',
    PAM_ENABLED: '0',
    WEB_HANDLER: '',
    TRUST_PROXY: '1',
    SYNC_INITIAL_DAYS: '36500',
    // Each replica tries the startup sync; only the lock's holder runs it.
    SYNC_INTERVAL_SEC: '3600',
    LOG_LEVEL: 'warn',
  };
  // One at a time: the first applies the migrations and seeds; the second finds them done.
  replicas.push(await startReplica('a', env));
  replicas.push(await startReplica('b', env));
  balancer = await startBalancer(await freePort(), replicas.map((r) => r.port), HEALTH);
  db = await connectDatabase({ databaseUrl: services.databaseUrl, databaseFile: null });
}, 600_000);

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGTERM');
  await Promise.all(replicas.map((r) => r.exited));
  await balancer?.stop();
  await db?.$disconnect();
  await services?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('two replicas behind HAProxy on PostgreSQL and Redis', () => {
  it('runs the scheduled sync on one replica only, and both serve its jobs', async () => {
    await waitFor('the startup sync', async () => (await db.jobRecord.count()) === USERS.length * JOBS_PER_USER).catch((error) => {
      throw new Error(`${error.message}\n${replicas.map((r) => `--- ${r.name}\n${r.output()}`).join('\n')}`);
    });
    // Both replicas try the startup sync; the lock lets one run at a time, so the runs never overlap, and the second
    // (if it ran) starts from the first's watermark and finds nothing new.
    const runs = await waitFor('both startup rounds', async () => {
      const found = await db.syncRun.findMany({ where: { trigger: 'startup' }, orderBy: { startedAt: 'asc' } });
      return found.length >= 1 && found.every((r) => r.finishedAt) && found;
    });
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    for (let i = 1; i < runs.length; i++) expect(runs[i].startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1].finishedAt!.getTime());
    expect(runs[0].jobCount).toBe(USERS.length * JOBS_PER_USER);
    const admin = await login(balancer.url, 'admin', 'replica-admin-password');
    for (const r of replicas) {
      const page = await gql(r.url, admin, '{ jobs(first: 5) { totals { jobs } } }');
      expect(page.data?.jobs.totals.jobs, JSON.stringify(page.errors)).toBe(USERS.length * JOBS_PER_USER);
    }
  });

  it('logs in through the balancer and the session holds on either replica', async () => {
    const alice = await login(balancer.url, 'alice', 'alice');
    for (const r of replicas) expect((await gql(r.url, alice, '{ viewer { username } }')).data?.viewer.username).toBe('alice');
  });

  it('sends a rate changed through replica A to a subscriber of replica B', async () => {
    const admin = await login(balancer.url, 'admin', 'replica-admin-password');
    const [a, b] = replicas;
    const client = createClient({
      url: `ws://127.0.0.1:${b.port}/graphql`,
      retryAttempts: 0,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: admin, origin: b.url } });
        }
      },
    });
    try {
      let subscribed = false;
      const received = new Promise<any>((resolve, reject) => {
        client.subscribe(
          { query: 'subscription { rateChanged(tier: gov) { tier cpuPerHour updatedBy updatedAt } }' },
          { next: resolve, error: reject, complete: () => reject(new Error('subscription ended')) },
        );
        client.on('connected', () => (subscribed = true));
      });
      await waitFor('the subscription on B', async () => subscribed);
      // The subscription is registered on B's side once its socket is up; Redis delivers to subscribers present when
      // it publishes, so the change is retried until one arrives.
      let event: any;
      for (let i = 0; !event && i < 50; i++) {
        const changed = await gql(a.url, admin, 'mutation { updateRate(input: { tier: gov, cpuPerHour: "0.81", gpuPerHour: "18", memGBPerHour: "0.08" }) { tier } }');
        expect(changed.errors).toBeUndefined();
        event = await Promise.race([received, new Promise((r) => setTimeout(r, 500))]);
      }
      expect(event?.data?.rateChanged).toMatchObject({ tier: 'gov', cpuPerHour: '0.81', updatedBy: 'admin' });
    } finally {
      await client.dispose();
    }
  });

  it('bills every job once while 1,000 receipt creations race across both replicas and one is killed', async () => {
    const cookies = new Map<string, string>();
    for (const u of USERS) cookies.set(u, await login(balancer.url, u, u));
    const lastEnd = Date.UTC(2026, 5, 1) + JOBS_PER_USER * USERS.length * 3600_000;
    const outcomes = { made: 0, nothing: 0, busy: 0, conflicts: 0, failed: 0 };
    let sent = 0;
    const [a, b] = replicas;
    async function one(i: number) {
      const user = USERS[i % USERS.length];
      // Cut-offs walk forward through the jobs, so most creations have something new to bill while others race them.
      const cutoff = new Date(Date.UTC(2026, 5, 1) + Math.ceil(((i + 1) / CREATIONS) * (lastEnd - Date.UTC(2026, 5, 1)))).toISOString();
      // Alternate the replicas directly while both live; the balancer routes around the dead one afterwards.
      for (let attempt = 0; attempt < 100; attempt++) {
        const base = b.child.exitCode === null && b.child.signalCode === null ? (i % 2 ? b.url : a.url) : balancer.url;
        try {
          const r = await gql(base, cookies.get(user)!, `mutation { createReceipt(input: { cutoff: "${cutoff}" }) { id itemCount } }`);
          const code = r.errors?.[0]?.extensions?.code;
          if (r.data?.createReceipt) outcomes.made++;
          else if (code === 'NOTHING_TO_BILL') outcomes.nothing++;
          else if (code === 'ALREADY_BILLED') {
            // Another receipt took some of these jobs at the same moment and nothing was written: try again, as asked.
            outcomes.conflicts++;
            continue;
          } else if (code === 'RETRY_LATER') {
            outcomes.busy++;
            continue;
          } else throw new Error(`unexpected answer: ${JSON.stringify(r)}`);
          return;
        } catch (error) {
          // A request in flight to the killed replica, or the balancer not yet aware of it: send it again.
          if (String(error).includes('unexpected answer')) throw error;
          outcomes.failed++;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error(`creation ${i} never got an answer`);
    }
    const workers = Array.from({ length: 16 }, async () => {
      for (;;) {
        const i = sent++;
        if (i >= CREATIONS) return;
        if (i === CREATIONS / 2) b.child.kill('SIGKILL');
        await one(i);
      }
    });
    await Promise.all(workers);
    expect(await b.exited).toBeNull();
    expect(outcomes.made).toBeGreaterThan(USERS.length);
    console.log(`receipt race: ${JSON.stringify(outcomes)}`);

    // The survivor still serves, through the balancer.
    const admin = await login(balancer.url, 'admin', 'replica-admin-password');
    expect((await gql(balancer.url, admin, '{ viewer { username } }')).data?.viewer.username).toBe('admin');

    const items = await db.receiptItem.findMany({ select: { billingKey: true, receiptId: true } });
    expect(new Set(items.map((i) => i.billingKey)).size).toBe(items.length);
    expect(items.length).toBe(USERS.length * JOBS_PER_USER);
    const receipts = await db.receipt.findMany({ include: { items: true } });
    expect(receipts.length).toBe(outcomes.made);
    for (const r of receipts) {
      expect(r.items.length, `receipt ${r.id}`).toBeGreaterThan(0);
      expect(r.items.every((i) => i.end !== null && i.end < r.cutoff), `receipt ${r.id} bills only jobs before its cut-off`).toBe(true);
      expect(r.totalSatang, `receipt ${r.id}`).toBe(r.items.reduce((s, i) => s + i.costSatang, 0n));
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    const status = await gql(balancer.url, admin, '{ verifyAuditChain { ok checked } }');
    expect(status.data?.verifyAuditChain.ok).toBe(true);
  });
});
