import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type DocumentNode, type ExecutionArgs, getOperationAST, GraphQLError, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { createLogger } from './log.ts';
import { WebSocketServer } from 'ws';
import { login } from './auth/login.ts';
import { loadPam } from './auth/pam.ts';
import { createRoleResolver } from './auth/roles.ts';
import { pruneThrottle } from './auth/throttle.ts';
import {
  blankSessionCookie,
  invalidateSession,
  readCookie,
  SESSION_COOKIE,
  type SessionViewer,
  sessionCookie,
  validateSessionToken,
} from './auth/sessions.ts';
import { recordAudit } from './audit/recorder.ts';
import { validateApiToken } from './auth/tokens.ts';
import { MoneyError } from './billing/money.ts';
import { getRate, RateError, updateRate } from './billing/rates.ts';
import type { Config } from './config.ts';
import { type Context, createContext, type ContextDeps } from './context.ts';
import { type Db, openDatabase } from './db/client.ts';
import { nextWindow, syncJobs } from './jobs/sync.ts';
import { appendSetCookie, csrfOk, ensureCsrfCookie, securityHeaders } from './http/csrf.ts';
import { handleExport } from './http/exports.ts';
import { clientIp, viaHttps, headersOf, readForm, redirect, sameOrigin, sendJson, wantsJson } from './http/util.ts';
import { newPubSub } from './pubsub.ts';
import { schema } from './schema/index.ts';
import { seed } from './seed.ts';
import { createServices } from './services.ts';

/** API tokens read; any mutation sent with one is refused before it runs. */
const readOnlyTokens: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const op = getOperationAST(args.document, args.operationName);
    if ((args.contextValue as Context).readOnly && op?.operation === 'mutation') {
      setResultAndStopExecution({
        errors: [new GraphQLError('API tokens are read-only: log in to change anything', { extensions: { code: 'FORBIDDEN' } })],
      });
    }
  },
};

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
type ViewerRequest = IncomingMessage & { viewer?: SessionViewer | null; csrfToken?: string };

export interface App {
  db: Db;
  server: Server;
  yoga: ReturnType<typeof createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>>;
  deps: ContextDeps;
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  syncNow(trigger: 'interval' | 'startup'): Promise<void>;
}

export async function buildApp(config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const log = options.logger ?? createLogger(config.instanceDir, config.logLevel);
  const db = openDatabase(config.databaseFile);
  await seed(db, config, (msg) => log.info(msg));
  const deps: ContextDeps = { db, config, pubsub: newPubSub(), services: createServices(config) };
  const pam = config.auth.pamEnabled ? await loadPam(log, { service: config.auth.pamService }) : null;
  const resolveRole = createRoleResolver({
    staticAdmins: config.auth.adminUsers,
    staticOperators: config.auth.operatorUsers,
    sacctmgr: config.auth.rolesFromSlurm,
  });
  const ipOf = (req: IncomingMessage) => clientIp(req, config.trustProxy);
  /** Cookies are Secure when configured so, or when the browser came over HTTPS. */
  const secureFor = (req: IncomingMessage) => config.cookieSecure || viaHttps(req, config.trustProxy);
  const loginDeps = { db, config, pam, resolveRole, warn: (o: object, m: string) => log.warn(o, m) };

  /**
   * The viewer of a request: a bearer API token (read-only), else the session cookie; with a
   * refreshed cookie when the session's expiry slid.
   */
  async function resolveSession(headers: Headers, secure = config.cookieSecure): Promise<{ viewer: SessionViewer | null; setCookie: string | null; readOnly?: boolean }> {
    const auth = headers.get('authorization');
    if (auth?.toLowerCase().startsWith('bearer ')) {
      return { viewer: await validateApiToken(db, auth.slice(7).trim()), setCookie: null, readOnly: true };
    }
    const token = readCookie(headers.get('cookie'), SESSION_COOKIE);
    if (!token) return { viewer: null, setCookie: null };
    const session = await validateSessionToken(db, token, config.sessionDays);
    if (!session) return { viewer: null, setCookie: blankSessionCookie(secure) };
    return {
      viewer: session.viewer,
      setCookie: session.renewed ? sessionCookie(token, session.expiresAt, secure) : null,
    };
  }

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Same-origin only: the web app is served from here, and Grafana calls from its server.
    cors: false,
    // GraphiQL for analysts' ad-hoc queries, with its assets bundled: the default page loads them
    // from a CDN, which offline clusters cannot reach.
    graphiql: config.graphiql ? { title: 'hpc-accounting GraphQL', headers: JSON.stringify({ 'x-graphql-yoga-csrf': '1' }) } : false,
    renderGraphiQL,
    landingPage: false,
    logging: {
      debug: (...a) => log.debug(a.join(' ')),
      info: (...a) => log.info(a.join(' ')),
      warn: (...a) => log.warn(a.join(' ')),
      error: (...a) => log.error(a.map(String).join(' ')),
    },
    // Browsers cannot add this header to a cross-site form post or image request.
    plugins: [useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf'] }), readOnlyTokens],
    context: async ({ request, req }) => {
      const { viewer, readOnly } = await resolveSession(request.headers);
      const url = new URL(request.url, 'http://localhost');
      return createContext(deps, {
        viewer,
        readOnly,
        ip: req ? ipOf(req) : null,
        userAgent: request.headers.get('user-agent'),
        method: request.method,
        path: url.pathname,
      });
    },
  });

  let webHandler: NodeHandler | null = null;
  if (config.webHandlerPath && existsSync(config.webHandlerPath)) {
    webHandler = (await import(pathToFileURL(config.webHandlerPath).href)).handler as NodeHandler;
  }

  function refuseCsrf(req: IncomingMessage, res: ServerResponse) {
    log.warn({ path: req.url, origin: req.headers.origin ?? null }, 'CSRF check failed');
    if (wantsJson(req)) return sendJson(res, 403, { ok: false, code: 'CSRF', message: 'Cross-site request refused' });
    return redirect(res, '/csrf-error');
  }

  async function readFormOr400(req: IncomingMessage, res: ServerResponse) {
    try {
      return await readForm(req);
    } catch (error) {
      sendJson(res, /too large/.test(String(error)) ? 413 : 400, { ok: false, code: 'BAD_INPUT', message: error instanceof Error ? error.message : 'unreadable body' });
      return null;
    }
  }

  async function handleLogin(req: IncomingMessage, res: ServerResponse) {
    const json = wantsJson(req);
    const form = await readFormOr400(req, res);
    if (!form) return;
    if (!csrfOk(req, form.csrf, config.trustProxy)) return refuseCsrf(req, res);
    const result = await login(loginDeps, form.username ?? '', form.password ?? '', {
      actor: null,
      ip: ipOf(req),
      userAgent: req.headers['user-agent'] ?? null,
      method: req.method ?? 'POST',
      path: '/auth/login',
    });
    if (!result.ok) {
      if (json) return sendJson(res, 401, result);
      return redirect(res, result.code === 'LOCKED' ? `/login?error=locked&retry=${result.retryAfterSeconds ?? 0}` : '/login?error=invalid');
    }
    // Everyone lands on the playground; a `next` parameter is ignored so a link cannot send a
    // freshly logged-in user somewhere else.
    const cookie = sessionCookie(result.token, result.expiresAt, secureFor(req));
    appendSetCookie(res, cookie);
    if (json) return sendJson(res, 200, { ok: true, redirect: '/playground' });
    return redirect(res, '/playground');
  }

  async function handleLogout(req: IncomingMessage, res: ServerResponse, viewer: SessionViewer | null) {
    const form = await readFormOr400(req, res);
    if (!form) return;
    if (!csrfOk(req, form.csrf, config.trustProxy)) return refuseCsrf(req, res);
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await invalidateSession(db, token);
    if (viewer) {
      await recordAudit(db, { action: 'auth.logout', target: viewer.username }, {
        actor: viewer.username,
        ip: ipOf(req),
        userAgent: req.headers['user-agent'] ?? null,
        method: 'POST',
        path: '/auth/logout',
      });
    }
    appendSetCookie(res, blankSessionCookie(secureFor(req)));
    if (wantsJson(req)) return sendJson(res, 200, { ok: true, redirect: '/login' });
    return redirect(res, '/login');
  }

  /** GET/POST /formula: the rates as the previous application served them. */
  async function handleFormula(req: IncomingMessage, res: ServerResponse, url: URL, viewer: SessionViewer | null) {
    const shape = (r: { tier: string; cpuPerHour: string; gpuPerHour: string; memGBPerHour: string; updatedAt: Date }) => ({
      type: r.tier,
      cpu: Number(r.cpuPerHour),
      gpu: Number(r.gpuPerHour),
      mem: Number(r.memGBPerHour),
      cpuPerHour: r.cpuPerHour,
      gpuPerHour: r.gpuPerHour,
      memGBPerHour: r.memGBPerHour,
      unit: 'THB/hour',
      updatedAt: r.updatedAt.toISOString(),
    });
    try {
      if (req.method === 'GET') {
        return sendJson(res, 200, shape(await getRate(db, url.searchParams.get('type') ?? 'mu')));
      }
      if (!viewer) return sendJson(res, 401, { error: 'UNAUTHENTICATED', message: 'Log in first' });
      if (viewer.role !== 'admin') return sendJson(res, 403, { error: 'FORBIDDEN', message: 'Only admins change rates' });
      if (!(req.headers['content-type'] ?? '').includes('application/json') || !csrfOk(req, undefined, config.trustProxy)) {
        return sendJson(res, 403, { error: 'CSRF', message: 'Cross-site request refused: send JSON from this site' });
      }
      const body = await readForm(req);
      const tier = body.type ?? url.searchParams.get('type') ?? '';
      const rate = await updateRate(
        db,
        { tier, cpuPerHour: body.cpu ?? body.cpuPerHour ?? '', gpuPerHour: body.gpu ?? body.gpuPerHour ?? '', memGBPerHour: body.mem ?? body.memGBPerHour ?? '' },
        { actor: viewer.username, ip: ipOf(req), userAgent: req.headers['user-agent'] ?? null, method: 'POST', path: '/formula' },
      );
      deps.pubsub.publish('rateChanged', rate);
      return sendJson(res, 200, shape(rate));
    } catch (error) {
      if (error instanceof RateError || error instanceof MoneyError || error instanceof SyntaxError) {
        return sendJson(res, 400, { error: 'BAD_INPUT', message: error.message });
      }
      throw error;
    }
  }

  const server = createServer(async (req: ViewerRequest, res) => {
    const started = performance.now();
    res.on('finish', () =>
      log.info({ method: req.method, path: req.url, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'),
    );
    securityHeaders(res, secureFor(req));
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/graphql') return yoga(req, res);
      if (url.pathname === '/healthz') {
        await db.$queryRawUnsafe('SELECT 1');
        return sendJson(res, 200, { ok: true });
      }
      // The app's hashed assets need no viewer: serve them without a session lookup per file.
      if (webHandler && url.pathname.startsWith('/_app/')) {
        return webHandler(req, res, () => sendJson(res, 404, { error: 'NOT_FOUND' }));
      }
      const session = await resolveSession(headersOf(req), secureFor(req));
      const { setCookie } = session;
      // Outside GraphQL an API token may download (GET) but never change anything.
      const viewer = session.readOnly && req.method !== 'GET' ? null : session.viewer;
      if (setCookie) appendSetCookie(res, setCookie);
      req.csrfToken = ensureCsrfCookie(req, res, secureFor(req));
      if (url.pathname === '/formula' && (req.method === 'GET' || req.method === 'POST')) return await handleFormula(req, res, url, viewer);
      if (await handleExport(db, req, res, url, viewer, config.auth.defaultTier)) return;
      if (url.pathname === '/auth/login' && req.method === 'POST') return await handleLogin(req, res);
      if (url.pathname === '/auth/logout' && req.method === 'POST') return await handleLogout(req, res, viewer);
      if (webHandler) {
        // adapter-node hands `platform.req` to the app, so hooks.server.ts reads the viewer and the
        // CSRF token for its forms from it.
        req.viewer = viewer;
        return webHandler(req, res, () => sendJson(res, 404, { error: 'NOT_FOUND' }));
      }
      sendJson(res, 404, { error: 'NOT_FOUND', message: 'The web app is not built: run `pnpm build`' });
    } catch (error) {
      log.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL', message: 'Something went wrong; it has been logged' });
    }
  });

  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    // Cookies ride along on cross-site WebSocket handshakes too, so a foreign page is refused here.
    verifyClient: ({ req }: { req: IncomingMessage }) => !req.headers.origin || sameOrigin(req, config.trustProxy),
  });
  const wsServer = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const request = ctx.extra.request;
        const { viewer, readOnly } = await resolveSession(headersOf(request));
        const { execute, subscribe } = yoga.getEnveloped({ req: request });
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          // A bad query ends that operation only, not the socket and its other subscriptions.
          return [error instanceof GraphQLError ? error : new GraphQLError('could not parse the query')];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        // The read-only rule for API tokens holds on the socket too, before anything runs.
        if (readOnly && getOperationAST(document, params.operationName)?.operation === 'mutation') {
          return [new GraphQLError('API tokens are read-only: log in to change anything', { extensions: { code: 'FORBIDDEN' } })];
        }
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: createContext(deps, {
            viewer,
            readOnly,
            ip: ipOf(request),
            userAgent: request.headers['user-agent'] ?? null,
            method: 'WS',
            path: '/graphql',
          }),
          rootValue: { execute, subscribe },
        };

      },
    },
    wss,
  );

  let timer: NodeJS.Timeout | null = null;
  let syncing: Promise<void> | null = null;
  async function syncNow(trigger: 'interval' | 'startup') {
    if (syncing) return syncing;
    syncing = (async () => {
      try {
        const window = await nextWindow(db, config.sync.lookbackSec, config.sync.initialDays);
        const run = await syncJobs(db, deps.services.sources, { ...window, trigger }, { actor: 'system', ip: null, userAgent: null, method: null, path: null }, config.sources.timeoutMs);
        log.info({ source: run.source, jobs: run.jobCount }, 'jobs synced');
        // Housekeeping rides on the same timer: forget stale failed-login counts and dead sessions.
        await pruneThrottle(db, new Date(), config.auth.throttle);
        await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      } catch (error) {
        log.warn({ err: error instanceof Error ? error.message : error }, 'job sync failed');
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  }

  return {
    db,
    server,
    yoga,
    deps,
    syncNow,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      if (config.sync.intervalSec > 0) {
        void syncNow('startup');
        timer = setInterval(() => void syncNow('interval'), config.sync.intervalSec * 1000);
        timer.unref();
      }
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      if (timer) clearInterval(timer);
      await syncing;
      await wsServer.dispose();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.$disconnect();
    },
  };
}
