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
import type { Credential, PubSub } from '../pubsub.ts';

const DAY_MS = 86_400_000;
const SESSION_MEMO_MS = 5_000;
const SESSION_MEMO_MAX = 10_000;

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
 * The viewer of a request: a bearer API token (read-only), else the session cookie. Either is
 * looked up once per request (per `Headers` object): GraphQL asks before reading the body
 * (graphql/bearer.ts), for the response cache's key and again when it builds the context.
 */
export function createSessionResolver(db: Db, config: Config, pubsub?: PubSub): SessionResolver {
  const perRequest = new WeakMap<Headers, Promise<ResolvedSession>>();
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
  /**
   * Sessions validated in the last few seconds, by token: a dashboard or a table polled by many tabs would
   * otherwise read the same row for every request. A logout (`credentialEnded`) or a tier change drops them at
   * once; a role that changed on another login is seen within SESSION_MEMO_MS. A session due for renewal is read
   * again, so its renewal is written as before.
   */
  const recent = new Map<string, { viewer: SessionViewer; expiresAt: Date; until: number }>();
  if (pubsub) {
    void (async () => {
      for await (const _ of pubsub.subscribe('credentialEnded')) recent.clear();
    })();
    void (async () => {
      for await (const _ of pubsub.subscribe('ledgerChanged')) recent.clear();
    })();
  }
  const validate = async (token: string) => {
    const now = Date.now();
    const hit = recent.get(token);
    if (hit && hit.until > now && hit.expiresAt.getTime() - now >= (config.sessionDays * DAY_MS) / 2) return { ...hit, renewed: false };
    const session = await validateSessionToken(db, token, config.sessionDays);
    if (recent.size >= SESSION_MEMO_MAX) recent.clear();
    if (session) recent.set(token, { viewer: session.viewer, expiresAt: session.expiresAt, until: now + SESSION_MEMO_MS });
    else recent.delete(token);
    return session;
  };
  const byCookie = async (headers: Headers, secure: boolean): Promise<ResolvedSession> => {
    const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
    if (!token) return { viewer: null, setCookie: null, readOnly: false, credential: null, badToken: false };
    const session = await validate(token);
    if (!session) return { viewer: null, setCookie: blankSessionCookie(secure), readOnly: false, credential: null, badToken: false };
    return {
      viewer: session.viewer,
      setCookie: session.renewed ? sessionCookie(token, session.expiresAt, secure) : null,
      readOnly: false,
      credential: { kind: 'session', id: hashToken(token), expiresAt: session.expiresAt },
      badToken: false,
    };
  };
  return (headers, secure = config.cookieSecure) => {
    let resolved = perRequest.get(headers);
    if (!resolved) {
      const bearer = bearerToken(headers);
      resolved = bearer !== null ? byToken(bearer) : byCookie(headers, secure);
      perRequest.set(headers, resolved);
    }
    return resolved;
  };
}
