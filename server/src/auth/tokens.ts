import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { hashToken, type SessionViewer } from './sessions.ts';

/**
 * Read-only API tokens for analysts and Grafana: shown once, stored as SHA-256, revocable.
 * The prefix lets secret scanners and log filters recognise them.
 */
export const TOKEN_PREFIX = 'hpcat_';

export class TokenError extends Error {
  constructor(
    readonly code: 'BAD_INPUT' | 'NOT_FOUND' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

export async function createApiToken(db: Db, viewer: SessionViewer, name: string, expiresInDays: number | null, meta: RequestMeta) {
  const label = name.trim();
  if (!label || label.length > 100) throw new TokenError('BAD_INPUT', 'a token needs a name of 1 to 100 characters');
  if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)) {
    throw new TokenError('BAD_INPUT', `expiresInDays must be a whole number from 1 to 3650, got ${expiresInDays}`);
  }
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  const token = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
  const apiToken = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        userId: viewer.id,
        name: label,
        tokenHash: hashToken(token),
        scope: 'read',
        expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
      },
    });
    await recordAudit(tx, { action: 'token.create', target: String(created.id), extra: { name: label, scope: 'read' } }, meta);
    return created;
  });
  return { token, apiToken };
}

export async function revokeApiToken(db: Db, viewer: SessionViewer, id: number, meta: RequestMeta) {
  return db.$transaction(async (tx) => {
    const t = await tx.apiToken.findUnique({ where: { id } });
    if (!t) throw new TokenError('NOT_FOUND', `no API token ${id}`);
    if (t.userId !== viewer.id && viewer.role !== 'admin') throw new TokenError('FORBIDDEN', 'This token belongs to someone else');
    if (t.revokedAt) return t;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { action: 'token.revoke', target: String(id), extra: { name: t.name } }, meta);
    return revoked;
  });
}

/** The owner of a valid bearer token, or null. */
export async function validateApiToken(db: Db, token: string): Promise<SessionViewer | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const t = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!t || t.revokedAt || (t.expiresAt && t.expiresAt.getTime() <= Date.now())) return null;
  // Last use is informative; a lost write under load does no harm.
  void db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  const { user } = t;
  return { id: user.id, username: user.username, role: user.role as SessionViewer['role'], tier: user.tier as SessionViewer['tier'] };
}
