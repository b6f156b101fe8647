import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendWebhook, signWebhook, verifyWebhook, WebhookVerificationError } from './webhook.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  verified: unknown;
  error?: string;
}

/**
 * A real receiver on loopback: it verifies each delivery with the receiver's secret and answers with what
 * `answer` says for that delivery (the first is 0), 401 when the signature does not verify.
 */
async function receiver(secret: string, answer: (n: number, res: ServerResponse) => void = (_, res) => res.writeHead(204).end()) {
  const received: Received[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const n = received.length;
    try {
      const verified = verifyWebhook({ secret, headers: req.headers, body });
      received.push({ headers: req.headers, body: body.toString('utf8'), verified });
      answer(n, res);
    } catch (e) {
      received.push({ headers: req.headers, body: body.toString('utf8'), verified: null, error: (e as Error).message });
      res.writeHead(401).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/budget`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
});

/** Waits are recorded instead of slept, so retry tests take no wall-clock time. */
function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('signWebhook', () => {
  it("reproduces the Standard Webhooks specification's test vector", () => {
    expect(signWebhook(SECRET, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('takes a secret without the whsec_ prefix as raw text', () => {
    const raw = signWebhook('correct horse battery staple', 'msg_1', 1, '{}');
    const asWhsec = signWebhook(`whsec_${Buffer.from('correct horse battery staple').toString('base64')}`, 'msg_1', 1, '{}');
    expect(raw).toBe(asWhsec);
  });
});

describe('sendWebhook to a real receiver', () => {
  it('delivers a signed body the receiver verifies', async () => {
    const r = await receiver(SECRET);
    const result = await sendWebhook({
      url: r.url,
      secret: SECRET,
      event: 'budget.threshold_reached',
      payload: { account: 'chem', threshold: 80, spentSatang: 123_450n },
      id: 'b1/2026-09-30T17:00:00.000Z/80',
      // The receiver verifies against its own clock: the delivery must carry the real time.
      now: () => new Date(),
    });
    expect(result).toEqual({ delivered: true, status: 204, attempts: 1 });
    expect(r.received).toHaveLength(1);
    const [got] = r.received;
    expect(got.error).toBeUndefined();
    expect(got.headers['webhook-id']).toBe('b1/2026-09-30T17:00:00.000Z/80');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(got.verified).toMatchObject({
      type: 'budget.threshold_reached',
      data: { account: 'chem', threshold: 80, spentSatang: '123450' },
    });
  });

  it('retries 503 twice with growing waits, then is delivered, under one id', async () => {
    const r = await receiver(SECRET, (n, res) => res.writeHead(n < 2 ? 503 : 200).end('ok'));
    const { waits, sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep, backoffMs: 100 });
    expect(result).toEqual({ delivered: true, status: 200, attempts: 3 });
    expect(waits).toEqual([100, 200]);
    expect(r.received.map((x) => x.error)).toEqual([undefined, undefined, undefined]);
    expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(1);
  });

  it('does not retry a 400', async () => {
    const r = await receiver(SECRET, (_, res) => res.writeHead(400).end('bad'));
    const { waits, sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep });
    expect(result).toEqual({ delivered: false, status: 400, attempts: 1, error: 'the receiver answered HTTP 400' });
    expect(r.received).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('does not follow or retry a redirect, which would send the signed body elsewhere', async () => {
    const elsewhere = await receiver(SECRET);
    const r = await receiver(SECRET, (_, res) => res.writeHead(307, { location: elsewhere.url }).end());
    const { sleep } = recordedSleep();
    expect(await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep })).toMatchObject({ delivered: false, status: 307, attempts: 1 });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up after maxAttempts of 5xx', async () => {
    const r = await receiver(SECRET, (_, res) => res.writeHead(500).end());
    const { waits, sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep, maxAttempts: 3, backoffMs: 10 });
    expect(result).toMatchObject({ delivered: false, status: 500, attempts: 3 });
    expect(waits).toEqual([10, 20]);
  });

  it('honours Retry-After on a 429, up to the longest wait', async () => {
    const r = await receiver(SECRET, (n, res) => (n === 0 ? res.writeHead(429, { 'retry-after': '7' }).end() : res.writeHead(204).end()));
    const { waits, sleep } = recordedSleep();
    expect(await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep })).toMatchObject({ delivered: true, attempts: 2 });
    const capped = await receiver(SECRET, (n, res) => (n === 0 ? res.writeHead(429, { 'retry-after': '3600' }).end() : res.writeHead(204).end()));
    await sendWebhook({ url: capped.url, secret: SECRET, event: 'e', payload: {}, sleep, maxBackoffMs: 60_000 });
    expect(waits).toEqual([7_000, 60_000]);
  });

  it('fails verification with a wrong secret, and is not retried', async () => {
    const r = await receiver('whsec_' + Buffer.from('the receiver has another secret').toString('base64'));
    const { sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep });
    expect(result).toMatchObject({ delivered: false, status: 401, attempts: 1 });
    expect(r.received[0].error).toBe('no webhook signature matches');
  });

  it('retries a refused connection and reports the network error', async () => {
    const r = await receiver(SECRET);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { waits, sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep, maxAttempts: 2 });
    expect(result).toEqual({ delivered: false, status: null, attempts: 2, error: 'ECONNREFUSED' });
    expect(waits).toEqual([1_000]);
  });

  it('stops waiting for a receiver that does not answer', async () => {
    const hung: ServerResponse[] = [];
    const r = await receiver(SECRET, (_, res) => void hung.push(res));
    const { sleep } = recordedSleep();
    const result = await sendWebhook({ url: r.url, secret: SECRET, event: 'e', payload: {}, sleep, maxAttempts: 2, timeoutMs: 300 });
    expect(result).toEqual({ delivered: false, status: null, attempts: 2, error: 'no answer within 300 ms' });
    for (const res of hung) res.end();
  });
});

describe('verifyWebhook', () => {
  const id = 'msg_1';
  const body = '{"type":"e","timestamp":"2026-12-03T08:00:00.000Z","data":{}}';
  const signedAt = 1_796_284_800; // 2026-12-03T08:00:00Z
  const headers = (ts = signedAt, sig = signWebhook(SECRET, id, ts, body)) => ({
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': sig,
  });
  const at = (seconds: number) => new Date(seconds * 1000);

  it('accepts a timestamp within the tolerance either way, and refuses one past it', () => {
    expect(verifyWebhook({ secret: SECRET, headers: headers(), body, now: at(signedAt + 300) })).toMatchObject({ type: 'e' });
    expect(verifyWebhook({ secret: SECRET, headers: headers(), body, now: at(signedAt - 300) })).toMatchObject({ type: 'e' });
    expect(() => verifyWebhook({ secret: SECRET, headers: headers(), body, now: at(signedAt + 301) })).toThrow('webhook timestamp is too old');
    expect(() => verifyWebhook({ secret: SECRET, headers: headers(), body, now: at(signedAt - 301) })).toThrow(/too far in the future/);
    expect(() => verifyWebhook({ secret: SECRET, headers: headers(), body, now: at(signedAt + 50), toleranceSeconds: 10 })).toThrow(/too old/);
  });

  it('refuses a changed body, id or timestamp', () => {
    const now = at(signedAt);
    expect(() => verifyWebhook({ secret: SECRET, headers: headers(), body: body.replace('{}', '{"x":1}'), now })).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook({ secret: SECRET, headers: { ...headers(), 'webhook-id': 'msg_2' }, body, now })).toThrow(/no webhook signature/);
    const moved = { ...headers(), 'webhook-timestamp': String(signedAt + 1) };
    expect(() => verifyWebhook({ secret: SECRET, headers: moved, body, now })).toThrow(/no webhook signature/);
  });

  it('accepts any one of several signatures, from Headers or a plain object with any case', () => {
    const now = at(signedAt);
    const good = signWebhook(SECRET, id, signedAt, body);
    const several = `v1,${Buffer.alloc(32).toString('base64')} v2,whatever ${good}`;
    expect(verifyWebhook({ secret: SECRET, headers: new Headers(headers(signedAt, several)), body, now })).toMatchObject({ type: 'e' });
    const upper = { 'Webhook-Id': id, 'Webhook-Timestamp': String(signedAt), 'Webhook-Signature': good };
    expect(verifyWebhook({ secret: SECRET, headers: upper, body: Buffer.from(body), now })).toMatchObject({ type: 'e' });
  });

  it('names what is missing or malformed', () => {
    const now = at(signedAt);
    expect(() => verifyWebhook({ secret: SECRET, headers: {}, body, now })).toThrow(/headers are required/);
    expect(() => verifyWebhook({ secret: SECRET, headers: { ...headers(), 'webhook-timestamp': '1.5' }, body, now })).toThrow(/whole seconds/);
    expect(() => verifyWebhook({ secret: SECRET, headers: headers(signedAt, 'v1,'), body, now })).toThrow(/no webhook signature/);
    expect(() => verifyWebhook({ secret: 'whsec_not base64!', headers: headers(), body, now })).toThrow(/base64/);
  });
});
