import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: number }
  | { ok: false; code: 'INVALID_CREDENTIALS' | 'LOCKED'; retryAfterSeconds?: number };

/**
 * Checks a username and password and opens a session. Every failure looks the same to the
 * caller, so nobody learns whether the user or the password was wrong.
 */
export async function login(
  db: Db,
  config: Config,
  username: string,
  password: string,
  meta: RequestMeta,
): Promise<LoginResult> {
  const name = username.trim();
  const user = name ? await db.user.findUnique({ where: { username: name } }) : null;
  const ok = !!user?.passwordHash && password.length > 0 && (await verifyPassword(user.passwordHash, password));
  const auditMeta = { ...meta, actor: name || null };
  if (!ok || !user) {
    await recordAudit(db, { action: 'auth.login.failure', target: name, extra: { reason: 'invalid credentials' } }, auditMeta, 'failed');
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }
  const session = await createSession(db, user.id, config.sessionDays, meta);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(tx, { action: 'auth.login.success', target: user.username, extra: { method: 'local' } }, auditMeta);
  });
  return { ok: true, token: session.token, expiresAt: session.expiresAt, userId: user.id };
}
