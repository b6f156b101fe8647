import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { SessionViewer } from '../auth/sessions.ts';
import type { Config } from '../config.ts';
import { checkDatabase, type Db } from '../db/client.ts';
import type { GraphQLServer } from '../graphql/yoga.ts';
import { appendSetCookie, ensureCsrfCookie, securityHeaders } from './csrf.ts';
import { handleExport } from './exports.ts';
import { hasMetricsToken, type Metrics, serveMetrics } from './metrics.ts';
import { sendError, sendIfDomainError } from './respond.ts';
import { INVALID_TOKEN_CHALLENGE, INVALID_TOKEN_MESSAGE, type SessionResolver } from './session.ts';
import { headersOf, sendJson, viaHttps } from './util.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
type ViewerRequest = IncomingMessage & { viewer?: SessionViewer | null; csrfToken?: string };

export interface RouterDeps {
  db: Db;
  config: Config;
  log: Logger;
  yoga: GraphQLServer;
  resolveSession: SessionResolver;
  auth: { login: (req: IncomingMessage, res: ServerResponse) => Promise<void>; logout: (req: IncomingMessage, res: ServerResponse, viewer: SessionViewer | null) => Promise<void> };
  formula: (req: IncomingMessage, res: ServerResponse, url: URL, viewer: SessionViewer | null) => Promise<void>;
  /** What /readyz asks, by name: each resolves (optionally with a note) when its part can serve, or throws why not. */
  readiness?: Record<string, () => Promise<string | void>>;
  metrics?: { metrics: Metrics; token: string | null };
}

/** Every readiness check at once, each answered "ok", its note, or "failed: why". */
async function checkReadiness(checks: Record<string, () => Promise<string | void>>) {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        return [name, (await check()) || 'ok', true] as const;
      } catch (error) {
        return [name, `failed: ${error instanceof Error ? error.message : String(error)}`, false] as const;
      }
    }),
  );
  return { ready: results.every(([, , ok]) => ok), checks: Object.fromEntries(results.map(([name, status]) => [name, status])) };
}

/** The SvelteKit app's adapter-node handler, when it has been built. */
export async function loadWebHandler(config: Config): Promise<NodeHandler | null> {
  if (!config.webHandlerPath || !existsSync(config.webHandlerPath)) return null;
  return (await import(pathToFileURL(config.webHandlerPath).href)).handler as NodeHandler;
}

/**
 * Which part answers a request: GraphQL, health, the app's assets, the plain routes (formula,
 * exports, login, logout), then the web app. A DomainError from any route answers with its code;
 * anything else is logged and answered INTERNAL. A bearer token that is not valid answers 401
 * with its challenge on every route that looks at the viewer, as on /graphql (graphql/bearer.ts).
 */
export function createRouter({ db, config, log, yoga, resolveSession, auth, formula, readiness, metrics }: RouterDeps, webHandler: NodeHandler | null) {
  const secureFor = (req: IncomingMessage) => config.cookieSecure || viaHttps(req, config.trustProxy);
  return async (req: ViewerRequest, res: ServerResponse) => {
    const started = performance.now();
    res.on('finish', () =>
      log.info({ method: req.method, path: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'),
    );
    securityHeaders(res, secureFor(req));
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      metrics?.metrics.watch(req, res, url.pathname);
      // Prometheus' own credential, before the session: its bearer is not one of the app's API tokens.
      if (url.pathname === '/metrics' && metrics && hasMetricsToken(req, metrics.token)) return await serveMetrics(res, metrics.metrics, 'token');
      if (url.pathname === '/graphql') return await yoga(req, res);
      if (url.pathname === '/healthz') {
        await checkDatabase(db);
        return sendJson(res, 200, { ok: true });
      }
      // Readiness for a balancer: a replica that cannot reach its database or Redis gets no requests.
      if (url.pathname === '/readyz') {
        const { ready, checks } = await checkReadiness(readiness ?? { database: () => checkDatabase(db) });
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks });
      }
      // The app's hashed assets need no viewer: serve them without a session lookup per file.
      if (webHandler && url.pathname.startsWith('/_app/')) return webHandler(req, res, () => sendError(res, 'NOT_FOUND', 'no such file'));
      const session = await resolveSession(headersOf(req), secureFor(req));
      if (session.badToken) {
        res.setHeader('www-authenticate', INVALID_TOKEN_CHALLENGE);
        return sendError(res, 'UNAUTHENTICATED', INVALID_TOKEN_MESSAGE);
      }
      // Outside GraphQL an API token may download (GET) but never change anything.
      const viewer = session.readOnly && req.method !== 'GET' ? null : session.viewer;
      if (session.setCookie) appendSetCookie(res, session.setCookie);
      req.csrfToken = ensureCsrfCookie(req, res, secureFor(req));
      if (url.pathname === '/formula' && (req.method === 'GET' || req.method === 'POST')) return await formula(req, res, url, viewer);
      if (url.pathname === '/metrics' && metrics && req.method === 'GET') return await serveMetrics(res, metrics.metrics, viewer);
      if (await handleExport(db, req, res, url, viewer, config.auth.defaultTier, config)) return;
      if (url.pathname === '/auth/login' && req.method === 'POST') return await auth.login(req, res);
      if (url.pathname === '/auth/logout' && req.method === 'POST') return await auth.logout(req, res, viewer);
      if (webHandler) {
        // adapter-node hands `platform.req` to the app, so hooks.server.ts reads the viewer and the
        // CSRF token for its forms from it.
        req.viewer = viewer;
        return webHandler(req, res, () => sendError(res, 'NOT_FOUND', 'no such page'));
      }
      sendError(res, 'NOT_FOUND', 'The web app is not built: run `pnpm build`');
    } catch (error) {
      if (!res.headersSent && sendIfDomainError(res, error)) return;
      log.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) sendError(res, 'INTERNAL', 'Something went wrong; it has been logged');
    }
  };
}
