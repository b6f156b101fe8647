import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db/client.ts';

/**
 * Sessions as Lucia's guide describes them (https://lucia-auth.com/sessions/basic):
 * a random token in the cookie, only its SHA-256 in the database, sliding expiry.
 */
export const SESSION_COOKIE = 'session';
const DAY = 86_400_000;

export interface SessionViewer {
  id: number;
  username: string;
  role: 'user' | 'operator' | 'admin';
  tier: 'mu' | 'gov' | 'private';
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export async function createSession(
  db: Db,
  userId: number,
  days: number,
  meta: { ip?: string | null; userAgent?: string | null } = {},
) {
  const token = generateSessionToken();
  const expiresAt = new Date(Date.now() + days * DAY);
  await db.session.create({
    data: { id: hashToken(token), userId, expiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent ?? null },
  });
  return { token, expiresAt };
}

/** The session's viewer, or null; renews the expiry when less than half of it is left. */
export async function validateSessionToken(
  db: Db,
  token: string,
  days: number,
): Promise<{ viewer: SessionViewer; expiresAt: Date; renewed: boolean } | null> {
  const id = hashToken(token);
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now) {
    await db.session.delete({ where: { id } }).catch(() => {});
    return null;
  }
  let expiresAt = session.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now < (days * DAY) / 2) {
    expiresAt = new Date(now + days * DAY);
    await db.session.update({ where: { id }, data: { expiresAt } });
    renewed = true;
  }
  const { user } = session;
  return {
    viewer: { id: user.id, username: user.username, role: user.role as SessionViewer['role'], tier: user.tier as SessionViewer['tier'] },
    expiresAt,
    renewed,
  };
}

export async function invalidateSession(db: Db, token: string) {
  await db.session.deleteMany({ where: { id: hashToken(token) } });
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    secure ? 'Secure' : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export const blankSessionCookie = (secure: boolean) =>
  `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;

export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}
