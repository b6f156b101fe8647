import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readCookie } from '../auth/sessions.ts';
import { sameOrigin } from './util.ts';

/**
 * CSRF for the non-GraphQL forms (login, logout, /formula): the request must come from this
 * origin AND carry the token of the `csrf` cookie (double submit) in a `csrf` form field or an
 * `x-csrf-token` header. GraphQL relies on yoga's CSRF-prevention header instead.
 */
export const CSRF_COOKIE = 'csrf';

export function ensureCsrfCookie(req: IncomingMessage, res: ServerResponse, secure: boolean): string {
  const existing = readCookie(req.headers.cookie, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  appendSetCookie(res, `${CSRF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return token;
}

export function appendSetCookie(res: ServerResponse, cookie: string) {
  const prev = res.getHeader('set-cookie');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev : [String(prev)];
  res.setHeader('set-cookie', [...list, cookie]);
}

export function csrfOk(req: IncomingMessage, submitted: string | undefined, trustProxy = false): boolean {
  if (!sameOrigin(req, trustProxy)) return false;
  const cookie = readCookie(req.headers.cookie, CSRF_COOKIE);
  const token = submitted ?? (req.headers['x-csrf-token'] as string | undefined);
  if (!cookie || !token || cookie.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(token));
}

/** Headers every response carries; the SvelteKit app adds its own CSP with script hashes. */
export function securityHeaders(res: ServerResponse, secure: boolean) {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'same-origin');
  if (secure) res.setHeader('strict-transport-security', 'max-age=31536000');
}
