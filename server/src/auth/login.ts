import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { isValidUsername, type PamAuthenticator } from './pam.ts';
import { verifyPassword } from './passwords.ts';
import type { RoleResult } from './roles.ts';
import { createSession } from './sessions.ts';
import { checkLock, recordFailure, recordSuccess } from './throttle.ts';

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date; userId: number }
  | { ok: false; code: 'INVALID_CREDENTIALS' | 'LOCKED'; retryAfterSeconds?: number };

export interface LoginDeps {
  db: Db;
  config: Config;
  pam: PamAuthenticator | null;
  resolveRole: (username: string) => Promise<RoleResult>;
  warn: (obj: object, msg: string) => void;
  /** The clock, in milliseconds since the epoch (default Date.now); it also times the throttle. */
  now?: () => number;
  /** Waits out the padding of a failure (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Local password first (the seeded admin and demo users), else PAM (cluster accounts). Every
 * failure looks the same to the caller and takes at least `auth.failMinMs`, whether the name is
 * local, a cluster account, unknown or locked, and whether PAM is loaded or not, so neither the
 * message nor the timing tells which of user or password was wrong. Failures count per username
 * and per IP; the lock lives in the database and so survives restarts.
 */
export async function login(deps: LoginDeps, username: string, password: string, meta: RequestMeta): Promise<LoginResult> {
  const { db, config, pam } = deps;
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? wait;
  const started = now();
  const pad = async () => {
    const rest = config.auth.failMinMs - (now() - started);
    if (rest > 0) await sleep(rest);
  };
  const name = username.trim();
  const auditMeta = { ...meta, actor: name || null };
  const ip = meta.ip;

  const lock = await checkLock(db, name, ip, new Date(now()));
  for (const key of lock.lockEnded) await recordAudit(db, { action: 'auth.lockout.end', target: key }, auditMeta);
  if (lock.locked) {
    await recordAudit(db, { action: 'auth.lockout.active', target: lock.key, extra: { retryAfterSeconds: lock.retryAfterSeconds } }, auditMeta, 'refused');
    await pad();
    return { ok: false, code: 'LOCKED', retryAfterSeconds: lock.retryAfterSeconds };
  }

  const user = name ? await db.user.findUnique({ where: { username: name } }) : null;
  let method: 'local' | 'pam' | null = null;
  let reason = 'invalid credentials';
  if (user?.passwordHash) {
    if (password.length > 0 && (await verifyPassword(user.passwordHash, password))) method = 'local';
  } else if (pam && isValidUsername(name)) {
    const r = await pam.verify(name, password, { remoteHost: ip });
    if (r.ok) method = 'pam';
    else reason = `pam: ${r.reason}`;
  } else if (!pam && !user) {
    reason = 'unknown user (PAM unavailable)';
  }

  if (!method) {
    const failure = await db.$transaction(async (tx) => {
      const f = await recordFailure(tx, name, ip, new Date(now()), config.auth.throttle);
      // The reason stays in the audit log; the caller only ever sees INVALID_CREDENTIALS or LOCKED.
      await recordAudit(tx, { action: 'auth.login.failure', target: name, extra: { reason } }, auditMeta, 'failed');
      for (const key of f.lockedKeys) {
        await recordAudit(tx, { action: 'auth.lockout.start', target: key, extra: { retryAfterSeconds: f.retryAfterSeconds, maxFails: config.auth.throttle.maxFails } }, auditMeta);
      }
      for (const key of f.lockEnded) await recordAudit(tx, { action: 'auth.lockout.end', target: key }, auditMeta);
      return f;
    });
    await pad();
    if (failure.locked) return { ok: false, code: 'LOCKED', retryAfterSeconds: failure.retryAfterSeconds };
    return { ok: false, code: 'INVALID_CREDENTIALS' };
  }

  const role = await deps.resolveRole(name);
  if (role.warning) deps.warn({ user: name, warning: role.warning }, 'role lookup fell back');
  const account = await db.$transaction(async (tx) => {
    // Cluster (PAM) users take the role config or Slurm gives them at every login, so removing
    // someone from ADMIN_USERS or their AdminLevel demotes them. Local accounts (the seeded admin
    // and demo users) keep their seeded role unless config or Slurm name one.
    const resolved = method === 'pam' || role.source !== 'default';
    const u = await tx.user.upsert({
      where: { username: name },
      create: { username: name, role: role.role, roleSource: role.source, tier: config.auth.defaultTier, origin: 'pam', lastLoginAt: new Date() },
      update: { lastLoginAt: new Date(), ...(resolved ? { role: role.role, roleSource: role.source } : { roleSource: 'local' }) },
    });
    await recordSuccess(tx, name, ip);
    await recordAudit(tx, { action: 'auth.login.success', target: name, extra: { method: method! } }, auditMeta);
    return u;
  });
  const session = await createSession(db, account.id, config.sessionDays, meta);
  return { ok: true, token: session.token, expiresAt: session.expiresAt, userId: account.id };
}
