/**
 * Webhooks signed as the Standard Webhooks specification says (https://www.standardwebhooks.com/), so a
 * receiver can check them with any of its libraries or with `verifyWebhook` below.
 *
 * The secret is either `whsec_` followed by base64 key bytes (the form the specification and its libraries
 * generate and expect) or any other text, whose UTF-8 bytes are then the key. Receivers using a Standard
 * Webhooks library need the `whsec_` form.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { fetch as undiciFetch } from 'undici';

/** A webhook secret that cannot be used. */
export class WebhookError extends Error {
  override name = 'WebhookError';
}

/** A received webhook that must not be trusted. */
export class WebhookVerificationError extends WebhookError {
  override name = 'WebhookVerificationError';
}

/** The part of `fetch` a delivery uses, so the global one, undici's or a test's will do. */
export type WebhookFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{ status: number; headers: { get(name: string): string | null }; body?: { cancel(): Promise<void> } | null }>;

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a secret: the base64 bytes after `whsec_`, or else the UTF-8 bytes of the whole text. */
export function webhookKey(secret: string): Buffer {
  if (!secret) throw new WebhookError('a webhook secret must not be empty');
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, 'utf8');
  const b64 = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new WebhookError('a whsec_ webhook secret must be followed by base64');
  return Buffer.from(b64, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, timestamp in whole seconds since the epoch. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** JSON text of a payload; bigint amounts (satang) become decimal strings, as JSON numbers would lose digits. */
const toJson = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));

export interface WebhookDelivery {
  url: string;
  secret: string;
  /** The event type, such as "budget.threshold_reached". */
  event: string;
  payload: unknown;
  /** The same id on every attempt lets receivers drop repeats; default a random `msg_…`. */
  id?: string;
  fetch?: WebhookFetch;
  now?: () => Date;
  /** Each attempt's limit; default 10 s. */
  timeoutMs?: number;
  /** Attempts in all, the first included; default 5. */
  maxAttempts?: number;
  /** The wait before the second attempt, doubled before each next one; default 1 s. */
  backoffMs?: number;
  /** The longest wait between attempts, also the most a Retry-After is honoured for; default 5 min. */
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WebhookResult {
  delivered: boolean;
  /** The last response's HTTP status; null when no response came. */
  status: number | null;
  attempts: number;
  error?: string;
}

/** 5xx and 429 may pass; any other answer, a redirect included, will not change on a retry. */
const retryable = (status: number) => status >= 500 || status === 429;

function retryAfterMs(value: string | null, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * POSTs `{ type, timestamp, data }` (the specification's recommended body) to the receiver, signed afresh on
 * each attempt. Network errors, timeouts, 5xx and 429 are retried with exponential backoff (a Retry-After from
 * the receiver is honoured up to `maxBackoffMs`); other answers are final. A failed delivery is reported in the
 * result, never thrown; only a malformed secret throws.
 */
export async function sendWebhook(delivery: WebhookDelivery): Promise<WebhookResult> {
  const {
    url,
    secret,
    event,
    payload,
    id = `msg_${randomUUID()}`,
    fetch = undiciFetch as unknown as WebhookFetch,
    now = () => new Date(),
    timeoutMs = 10_000,
    maxAttempts = 5,
    backoffMs = 1_000,
    maxBackoffMs = 300_000,
    sleep = (ms: number) => delay(ms),
  } = delivery;
  webhookKey(secret);
  const body = toJson({ type: event, timestamp: now().toISOString(), data: payload });
  let status: number | null = null;
  let error: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const timestamp = Math.floor(now().getTime() / 1000);
    let wait: number | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, id, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      // The answer's body is never read: cancelling it frees the connection.
      await response.body?.cancel().catch(() => {});
      if (status >= 200 && status < 300) return { delivered: true, status, attempts: attempt };
      error = `the receiver answered HTTP ${status}`;
      if (!retryable(status)) return { delivered: false, status, attempts: attempt, error };
      wait = retryAfterMs(response.headers.get('retry-after'), now());
    } catch (e) {
      status = null;
      const err = e as Error & { cause?: { code?: string; message?: string } };
      error = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    }
    if (attempt >= maxAttempts) return { delivered: false, status, attempts: attempt, error };
    await sleep(Math.min(wait ?? backoffMs * 2 ** (attempt - 1), maxBackoffMs));
  }
}

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name);
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value.join(' ') : (value ?? null);
}

/**
 * Checks a received webhook and returns its parsed body, or throws WebhookVerificationError.
 *
 * In a receiver, pass the body exactly as it arrived (before any JSON parsing) and the request's headers:
 *
 * ```ts
 * import { verifyWebhook } from './webhook.ts';
 * http.createServer(async (req, res) => {
 *   const chunks = []; for await (const c of req) chunks.push(c);
 *   try {
 *     const event = verifyWebhook({ secret: process.env.WEBHOOK_SECRET, headers: req.headers, body: Buffer.concat(chunks) });
 *     // event.type, event.data …; skip a `webhook-id` already handled, as deliveries may repeat
 *     res.writeHead(204).end();
 *   } catch { res.writeHead(400).end(); }
 * });
 * ```
 *
 * Any Standard Webhooks library verifies the same headers when the secret has the `whsec_` form. Signatures are
 * compared in constant time, and a timestamp more than `toleranceSeconds` (default 300) from `now` is refused,
 * so a captured request cannot be replayed later.
 */
export function verifyWebhook(input: {
  secret: string;
  headers: HeaderBag;
  body: string | Uint8Array;
  now?: Date;
  toleranceSeconds?: number;
}): { type: string; timestamp: string; data: unknown } & Record<string, unknown> {
  const { secret, headers, now = new Date(), toleranceSeconds = 300 } = input;
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !ts || !signatures) throw new WebhookVerificationError('webhook-id, webhook-timestamp and webhook-signature headers are required');
  if (!/^\d+$/.test(ts)) throw new WebhookVerificationError('webhook-timestamp must be whole seconds since the epoch');
  const timestamp = Number(ts);
  const skew = Math.floor(now.getTime() / 1000) - timestamp;
  if (skew > toleranceSeconds) throw new WebhookVerificationError('webhook timestamp is too old');
  if (skew < -toleranceSeconds) throw new WebhookVerificationError('webhook timestamp is too far in the future');
  const body = typeof input.body === 'string' ? input.body : Buffer.from(input.body).toString('utf8');
  const expected = Buffer.from(signWebhook(secret, id, timestamp, body).slice(3), 'base64');
  // The header may carry several space-separated signatures (during a secret rotation); one matching is enough.
  const matches = signatures.split(' ').some((sig) => {
    const [version, mac] = sig.split(',', 2);
    if (version !== 'v1' || !mac) return false;
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('no webhook signature matches');
  try {
    return JSON.parse(body);
  } catch {
    throw new WebhookVerificationError('webhook body is not JSON');
  }
}
