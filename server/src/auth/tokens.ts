import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { badInput, DomainError, notFound } from '../errors.ts';
import { hashToken, type SessionViewer } from './sessions.ts';

/**
 * Read-only API tokens for analysts and Grafana: shown once, stored as SHA-256, revocable.
 * The prefix lets secret scanners and log filters recognise them.
 */
export const TOKEN_PREFIX = 'hpcat_';

/** Live (neither revoked nor expired) tokens one user may hold: enough for every dashboard and script, not a flood. */
export const MAX_LIVE_TOKENS = 20;

/** The upper half of the advisory lock keys of users' token counts. */
const TOKEN_LOCK = 0x746f;

export async function createApiToken(db: Db, viewer: SessionViewer, name: string, expiresInDays: number | null, meta: RequestMeta, now = new Date()) {
  const label = name.trim();
  if (!label || label.length > 100) throw badInput('a token needs a name of 1 to 100 characters');
  if (expiresInDays !== null && (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)) {
    throw badInput(`expiresInDays must be a whole number from 1 to 3650, got ${expiresInDays}`);
  }
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  const token = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
  const apiToken = await db.$transaction(async (tx) => {
    // Counted inside the transaction that adds one, so parallel requests cannot all pass the check; on PostgreSQL,
    // whose transactions read their own snapshot, that takes the user's lock first.
    const lock = dialect.exclusive(TOKEN_LOCK * 2 ** 32 + viewer.id);
    if (lock) await tx.$executeRaw(lock);
    const live = await tx.apiToken.count({
      where: { userId: viewer.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    });
    if (live >= MAX_LIVE_TOKENS) {
      throw new DomainError('LIMIT_REACHED', `you already have ${live} live API tokens, the most one user may hold is ${MAX_LIVE_TOKENS}: revoke one first`, { limit: MAX_LIVE_TOKENS });
    }
    const created = await tx.apiToken.create({
      data: {
        userId: viewer.id,
        name: label,
        tokenHash: hashToken(token),
        scope: 'read',
        expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null,
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
    if (!t) throw notFound(`no API token ${id}`);
    if (t.userId !== viewer.id && viewer.role !== 'admin') throw new DomainError('FORBIDDEN', 'This token belongs to someone else');
    if (t.revokedAt) return t;
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, { action: 'token.revoke', target: String(id), extra: { name: t.name } }, meta);
    return revoked;
  });
}

/** The owner of a valid bearer token, with the token's id (its hash) and expiry; null when it is not valid. */
export async function validateApiToken(db: Db, token: string, now = new Date()): Promise<{ viewer: SessionViewer; id: string; expiresAt: Date | null } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const tokenHash = hashToken(token);
  const t = await db.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!t || t.revokedAt || (t.expiresAt && t.expiresAt.getTime() <= now.getTime())) return null;
  // Last use is informative; a lost write under load does no harm.
  void db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: now } }).catch(() => {});
  const { user } = t;
  return {
    viewer: { id: user.id, username: user.username, role: user.role as SessionViewer['role'], tier: user.tier as SessionViewer['tier'] },
    id: tokenHash,
    expiresAt: t.expiresAt,
  };
}

/** Whether a credential a live subscription holds is still good (not logged out, revoked or expired). */
export async function credentialAlive(db: Db, credential: { kind: 'session' | 'token'; id: string }, now = new Date()) {
  if (credential.kind === 'session') {
    const s = await db.session.findUnique({ where: { id: credential.id }, select: { expiresAt: true } });
    return !!s && s.expiresAt.getTime() > now.getTime();
  }
  const t = await db.apiToken.findUnique({ where: { tokenHash: credential.id }, select: { revokedAt: true, expiresAt: true } });
  return !!t && !t.revokedAt && (!t.expiresAt || t.expiresAt.getTime() > now.getTime());
}

/** A user's tokens, newest first (revoked ones too, so the page shows what was revoked when). */
export const listApiTokens = (db: Db, userId: number, first: number) =>
  db.apiToken.findMany({ where: { userId }, orderBy: { id: 'desc' }, take: first });

export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];
