import {
  blankSessionCookie,
  hashToken,
  readCookie,
  SESSION_COOKIE,
  type SessionViewer,
  sessionCookie,
  validateSessionToken,
} from '../auth/sessions.ts';
import { validateApiToken } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Credential } from '../pubsub.ts';

export interface ResolvedSession {
  viewer: SessionViewer | null;
  /** A refreshed or cleared session cookie to send back, when the session's expiry slid or it ended. */
  setCookie: string | null;
  /** Signed in with an API token: reads only. */
  readOnly: boolean;
  credential: Credential | null;
}

export type SessionResolver = (headers: Headers, secure?: boolean) => Promise<ResolvedSession>;

/** The viewer of a request: a bearer API token (read-only), else the session cookie. */
export function createSessionResolver(db: Db, config: Config): SessionResolver {
  return async (headers, secure = config.cookieSecure) => {
    const auth = headers.get('authorization');
    if (auth?.toLowerCase().startsWith('bearer ')) {
      const token = await validateApiToken(db, auth.slice(7).trim());
      return {
        viewer: token?.viewer ?? null,
        setCookie: null,
        readOnly: true,
        credential: token ? { kind: 'token', id: token.id, expiresAt: token.expiresAt } : null,
      };
    }
    const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
    if (!token) return { viewer: null, setCookie: null, readOnly: false, credential: null };
    const session = await validateSessionToken(db, token, config.sessionDays);
    if (!session) return { viewer: null, setCookie: blankSessionCookie(secure), readOnly: false, credential: null };
    return {
      viewer: session.viewer,
      setCookie: session.renewed ? sessionCookie(token, session.expiresAt, secure) : null,
      readOnly: false,
      credential: { kind: 'session', id: hashToken(token), expiresAt: session.expiresAt },
    };
  };
}
