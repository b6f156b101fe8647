import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { slurmFixturePath, slurmFixtureText } from '../../../tests/unit-support/fixtures.ts';
import { fetchJobs } from './cascade.ts';
import { createRestdSource } from './restd-client.ts';
import type { JobSource } from './source.ts';
import type { NormalizedJob } from './types.ts';

/** A fake slurmrestd on loopback: each test decides how it misbehaves. */
async function fakeRestd(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Array<{ url: string; headers: IncomingMessage['headers'] }> = [];
  const closed: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.on('close', () => {
      if (!res.writableEnded) closed.push(req.url ?? '');
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, seen, closed, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const q = { from: new Date('2026-11-24T11:34:02Z'), to: new Date('2026-11-24T11:36:23Z') };

const csvJob: NormalizedJob = {
  cluster: 'sandbox',
  jobId: '42',
  user: 'alice',
  account: 'physics',
  partition: 'cpu',
  name: 'from-csv',
  state: 'COMPLETED',
  submit: null,
  start: null,
  end: new Date('2026-11-24T11:35:00Z'),
  elapsedSeconds: 60,
  totalCpuSeconds: 30,
  reqTres: { cpu: 1 },
  allocTres: { cpu: 1 },
};
const stub: JobSource = { name: 'csv', fetchJobs: async () => [csvJob] };

function restd(url: string, extra: Partial<Parameters<typeof createRestdSource>[0]> = {}) {
  return createRestdSource({ baseUrl: url, userName: 'slurm', token: 'jwt-abc', timeoutMs: 400, cluster: 'sandbox', ...extra });
}

async function cascadeAgainst(source: JobSource, timeoutMs = 2000) {
  const started = Date.now();
  const result = await fetchJobs(q, [source, stub], { timeoutMs });
  return { ...result, wall: Date.now() - started };
}

describe('restd against a real HTTP server on loopback (undici transport)', () => {
  it('serves jobs: discovery from /openapi/v3, headers, percent-encoded window', async () => {
    const openapi = slurmFixtureText('real-22.05/openapi/openapi-v3.json');
    const jobs = slurmFixtureText('real-22.05/privatedata-none/rest/root/slurmdb-v0.0.38-jobs.json');
    const fake = await fakeRestd((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/openapi/v3' ? openapi : jobs);
    });
    const result = await cascadeAgainst(restd(fake.url));
    expect(result.source).toBe('restd');
    expect(result.jobs).toHaveLength(12);
    expect(result.attempts).toEqual([{ source: 'restd', ok: true, ms: expect.any(Number), count: 12 }]);
    expect(fake.seen.map((s) => s.url)).toEqual(['/openapi/v3', '/slurmdb/v0.0.38/jobs?start_time=uts1795520042&end_time=uts1795520183']);
    expect(fake.seen[1].headers).toMatchObject({ 'x-slurm-user-name': 'slurm', 'x-slurm-user-token': 'jwt-abc' });
  });

  it('times out: the cascade moves on within the source timeout and says why', async () => {
    const fake = await fakeRestd(() => {
      // never answers
    });
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.41' }));
    expect(result.source).toBe('csv');
    expect(result.jobs).toEqual([csvJob]);
    expect(result.attempts[0]).toMatchObject({ source: 'restd', ok: false, reason: 'restd: no answer from /slurmdb/v0.0.41/jobs within 400 ms' });
    expect(result.attempts[0].ms).toBeGreaterThanOrEqual(350);
    expect(result.wall).toBeLessThan(1500);
    expect(result.attempts[1]).toMatchObject({ source: 'csv', ok: true, count: 1 });
  });

  it('the cascade timeout aborts a slower source and its request', async () => {
    const fake = await fakeRestd(() => {});
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.41', timeoutMs: 30_000 }), 300);
    expect(result.source).toBe('csv');
    expect(result.attempts[0]).toMatchObject({ ok: false, reason: 'restd: timed out after 300 ms' });
    expect(result.wall).toBeLessThan(1500);
    await expect.poll(() => fake.closed).toEqual(['/slurmdb/v0.0.41/jobs?start_time=uts1795520042&end_time=uts1795520183']);
  });

  it('401: authentication failure', async () => {
    const fake = await fakeRestd((_, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(slurmFixtureText('real-22.05/privatedata-none/rest/auth/slurmdb-no-token.body'));
    });
    const result = await cascadeAgainst(restd(fake.url));
    expect(result.source).toBe('csv');
    expect(result.attempts[0].reason).toBe('restd: authentication failed at /openapi/v3 (HTTP 401: Authentication failure)');
    expect(fake.seen).toHaveLength(1);
  });

  it('500 with an error list (bad token on /slurm, as captured)', async () => {
    const body = slurmFixtureText('real-22.05/privatedata-none/rest/auth/slurm-bad-token.body');
    const fake = await fakeRestd((_, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(body);
    });
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.38' }));
    expect(result.attempts[0].reason).toBe(
      'restd: /slurmdb/v0.0.38/jobs answered HTTP 500: Unspecified error: Failed while looking for jobs (-1, slurm_load_jobs)',
    );
    expect(result.source).toBe('csv');
  });

  it('wrong version: 404 on the version path', async () => {
    const fake = await fakeRestd((_, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(slurmFixtureText('real-22.05-extra/rest/slurmdb-v0.0.41-jobs-404.body'));
    });
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.41' }));
    expect(result.attempts[0].reason).toBe(
      'restd: slurmrestd does not offer /slurmdb/v0.0.41/jobs (HTTP 404: Unable find requested URL. Please view /openapi/v3 for API reference.)',
    );
    expect(result.source).toBe('csv');
  });

  it('invalid JSON: a body cut off mid-way', async () => {
    const jobs = slurmFixtureText('real-22.05/privatedata-none/rest/root/slurmdb-v0.0.38-jobs.json');
    const fake = await fakeRestd((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jobs.slice(0, 1234));
    });
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.38' }));
    expect(result.attempts[0].reason).toMatch(/^restd: response from \/slurmdb\/v0\.0\.38\/jobs is not valid JSON \(1234 bytes, truncated\?\): /);
    expect(result.source).toBe('csv');
  });

  it('HTTP 200 with an error list: the bad-token answer of /slurmdb', async () => {
    const fake = await fakeRestd((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(slurmFixtureText('real-22.05/privatedata-none/rest/auth/slurmdb-bad-token.body'));
    });
    const result = await cascadeAgainst(restd(fake.url, { version: 'v0.0.38' }));
    expect(result.attempts[0].reason).toBe('restd: /slurmdb/v0.0.38/jobs reported: Protocol authentication error (1007, slurmdb_jobs_get)');
  });

  it('connection refused', async () => {
    const fake = await fakeRestd(() => {});
    const url = fake.url;
    servers.splice(servers.indexOf(fake.server), 1);
    await new Promise((resolve) => fake.server.close(resolve));
    const result = await cascadeAgainst(restd(url, { version: 'v0.0.38' }));
    expect(result.attempts[0].reason).toBe(`restd: cannot reach ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}`);
    expect(result.source).toBe('csv');
  });
});

describe('restd over TLS', () => {
  async function tlsRestd() {
    const body = slurmFixtureText('slurmdb-v0.0.43-jobs.json');
    const server = createTlsServer(
      { cert: slurmFixtureText('tls/restd-test.crt'), key: slurmFixtureText('tls/restd-test.key') },
      (_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('verifies certificates by default: a self-signed one is refused', async () => {
    const url = await tlsRestd();
    const result = await cascadeAgainst(restd(url, { version: 'v0.0.43' }));
    expect(result.source).toBe('csv');
    expect(result.attempts[0].reason).toBe(`restd: cannot reach ${url}: self-signed certificate`);
  });

  it('trusts the certificate given as caFile', async () => {
    const url = await tlsRestd();
    const result = await cascadeAgainst(restd(url, { version: 'v0.0.43', caFile: slurmFixturePath('tls/restd-test.crt') }));
    expect(result.source).toBe('restd');
    expect(result.jobs.map((j) => j.jobId)).toEqual(['812001', '812010', '812055_7', '812070', '812101']);
  });

  it('skips verification only when told to (development)', async () => {
    const url = await tlsRestd();
    const result = await cascadeAgainst(restd(url, { version: 'v0.0.43', verifyTls: false }));
    expect(result.source).toBe('restd');
    expect(result.attempts[0].count).toBe(5);
  });

  it('names an unreadable CA file', async () => {
    const url = await tlsRestd();
    const result = await cascadeAgainst(restd(url, { version: 'v0.0.43', caFile: '/nonexistent/ca.pem' }));
    expect(result.attempts[0].reason).toMatch(/^restd: cannot read CA file \/nonexistent\/ca.pem: ENOENT/);
  });
});
