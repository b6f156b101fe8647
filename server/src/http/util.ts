import type { IncomingMessage, ServerResponse } from 'node:http';
import { badInput, DomainError } from '../errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}) {
  res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
  res.end();
}

export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new DomainError('TOO_COMPLEX', `the request body is larger than ${limit} bytes`, { limit });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON or form-urlencoded body as a flat record of strings. */
export async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const text = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) {
    let data: unknown;
    try {
      data = JSON.parse(text || '{}');
    } catch {
      throw badInput('the body is not valid JSON');
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw badInput(`the body must be a JSON object of fields, got ${Array.isArray(data) ? 'an array' : JSON.stringify(data)?.slice(0, 40)}`);
    }
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v == null ? '' : String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export const wantsJson = (req: IncomingMessage) =>
  (req.headers.accept ?? '').includes('application/json') || (req.headers['content-type'] ?? '').includes('application/json');

/**
 * The client's address. Behind a trusted proxy it is the last X-Forwarded-For hop, the one the
 * proxy itself appended; earlier hops are whatever the client claimed. Without this every login
 * behind nginx would count against the proxy's address.
 */
export function clientIp(req: IncomingMessage, trustProxy = false): string | null {
  if (trustProxy) {
    const hops = String(req.headers['x-forwarded-for'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    if (hops.length > 0) return hops[hops.length - 1];
  }
  return req.socket.remoteAddress ?? null;
}

/** Whether the browser reached us over HTTPS: our own TLS, or a trusted proxy that terminated it. */
export function viaHttps(req: IncomingMessage, trustProxy = false): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  return trustProxy && String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
}

/** Same-origin check for state-changing requests: the Origin (or Referer) must name this host. */
export function sameOrigin(req: IncomingMessage, trustProxy = false): boolean {
  const claimed = req.headers.origin ?? req.headers.referer;
  if (!claimed) return false;
  // Behind a proxy that rewrites Host, the browser's host is in X-Forwarded-Host.
  const host = (trustProxy && String(req.headers['x-forwarded-host'] ?? '').split(',')[0].trim()) || req.headers.host;
  try {
    return new URL(claimed).host === host;
  } catch {
    return false;
  }
}

export function headersOf(req: IncomingMessage): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else if (v !== undefined) h.set(k, v);
  }
  return h;
}
