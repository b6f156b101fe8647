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
  /**
   * A bearer token came and is not valid (unknown, revoked or expired). Answered 401 with
   * INVALID_TOKEN_CHALLENGE, never as anonymous: a dashboard whose token was revoked should say
   * so, not show empty panels.
   */
  badToken: boolean;
}

/** RFC 6750 §3: the challenge that tells a client its bearer token is the problem. */
export const INVALID_TOKEN_CHALLENGE = 'Bearer realm="hpc-accounting", error="invalid_token"';
export const INVALID_TOKEN_MESSAGE = 'This API token is not valid: it is unknown, revoked or expired. Create a new one under API tokens';

/** The token of an `Authorization: Bearer …` header ('' when it names none), or null when the request sent no bearer token. */
export function bearerToken(headers: Headers): string | null {
  const auth = headers.get('authorization');
  return auth && /^bearer(\s|$)/i.test(auth) ? auth.slice(6).trim() : null;
}

export type SessionResolver = (headers: Headers, secure?: boolean) => Promise<ResolvedSession>;

/**
 * The viewer of a request: a bearer API token (read-only), else the session cookie. A token is
 * looked up once per request (per `Headers` object): GraphQL checks it before reading the body
 * (graphql/bearer.ts) and again when it builds the context.
 */
export function createSessionResolver(db: Db, config: Config): SessionResolver {
  const tokens = new WeakMap<Headers, Promise<ResolvedSession>>();
  const byToken = async (token: string): Promise<ResolvedSession> => {
    const valid = await validateApiToken(db, token);
    return {
      viewer: valid?.viewer ?? null,
      setCookie: null,
      readOnly: true,
      credential: valid ? { kind: 'token', id: valid.id, expiresAt: valid.expiresAt } : null,
      badToken: !valid,
    };
  };
  return async (headers, secure = config.cookieSecure) => {
    const bearer = bearerToken(headers);
    if (bearer !== null) {
      let resolved = tokens.get(headers);
      if (!resolved) tokens.set(headers, (resolved = byToken(bearer)));
      return resolved;
    }
    const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
    if (!token) return { viewer: null, setCookie: null, readOnly: false, credential: null, badToken: false };
    const session = await validateSessionToken(db, token, config.sessionDays);
    if (!session) return { viewer: null, setCookie: blankSessionCookie(secure), readOnly: false, credential: null, badToken: false };
    return {
      viewer: session.viewer,
      setCookie: session.renewed ? sessionCookie(token, session.expiresAt, secure) : null,
      readOnly: false,
      credential: { kind: 'session', id: hashToken(token), expiresAt: session.expiresAt },
      badToken: false,
    };
  };
}
