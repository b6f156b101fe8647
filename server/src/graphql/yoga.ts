import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { getOperationAST } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { type Context, type ContextDeps, createContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { SessionResolver } from '../http/session.ts';
import { clientIp, headersOf } from '../http/util.ts';
import { schema } from '../schema/index.ts';
import { useBearerToken } from './bearer.ts';
import { useCredentialLifetime } from './credential-lifetime.ts';
import { CSRF_HEADER, useCsrfHeader } from './csrf.ts';
import { createMaskError, toGraphQLError } from './errors.ts';
import { useIntrospectionGate } from './introspection.ts';
import { limitPlugins } from './limits.ts';
import { useLedgerCache } from './response-cache.ts';

/** What yoga is handed per request: the Node request on HTTP, plus `transport` on the WebSocket. */
export interface ServerContext {
  req: IncomingMessage;
  res?: ServerResponse;
  transport?: 'ws';
}

/** API tokens read; any mutation sent with one is refused before it runs, on every transport. */
const readOnlyTokens: Plugin<Context> = {
  onExecute({ args, setResultAndStopExecution }) {
    const op = getOperationAST(args.document, args.operationName);
    if ((args.contextValue as Context).readOnly && op?.operation === 'mutation') {
      setResultAndStopExecution({
        errors: [toGraphQLError(new DomainError('FORBIDDEN', 'API tokens are read-only: log in to change anything'))],
      });
    }
  },
};

export interface GraphQLDeps {
  deps: ContextDeps;
  config: Config;
  log: Logger;
  resolveSession: SessionResolver;
  /** Counts and times operations (/metrics). */
  metricsPlugin?: Plugin;
}

/**
 * The one GraphQL pipeline: yoga's envelop with the limits, error masking, the read-only rule
 * and the subscription lifetime. HTTP and SSE are served by yoga itself; the WebSocket server
 * runs the same `getEnveloped` (graphql/ws.ts), so every plugin here applies there too.
 */
export function createGraphQL({ deps, config, log, resolveSession, metricsPlugin }: GraphQLDeps) {
  const maskError = createMaskError((error) => log.error({ err: error }, 'GraphQL operation failed'));
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // Same-origin only: the web app is served from here, and Grafana calls from its server.
    cors: false,
    // GraphiQL for analysts' ad-hoc queries, with its assets bundled: the default page loads them
    // from a CDN, which offline clusters cannot reach.
    graphiql: config.graphiql ? { title: 'hpc-accounting GraphQL', headers: JSON.stringify({ [CSRF_HEADER]: '1' }) } : false,
    renderGraphiQL,
    landingPage: false,
    maxRequestBodySize: config.graphql.maxBodyBytes,
    maskedErrors: { maskError, isDev: false },
    logging: {
      debug: (...a) => log.debug(a.join(' ')),
      info: (...a) => log.info(a.join(' ')),
      warn: (...a) => log.warn(a.join(' ')),
      error: (...a) => log.error(a.map(String).join(' ')),
    },
    plugins: [
      ...(metricsPlugin ? [metricsPlugin] : []),
      useCsrfHeader(),
      useBearerToken(resolveSession),
      ...limitPlugins(config.graphql),
      useIntrospectionGate(config.graphql.introspection),
      readOnlyTokens,
      useCredentialLifetime(),
      useLedgerCache({ pubsub: deps.pubsub, resolveSession }),
    ],
    context: async ({ request, req, transport }: ServerContext & { request?: Request }) => {
      const ws = transport === 'ws';
      const headers = ws || !request ? headersOf(req) : request.headers;
      const { viewer, readOnly, credential } = await resolveSession(headers);
      return createContext(deps, {
        viewer,
        readOnly,
        credential,
        ip: req ? clientIp(req, config.trustProxy) : null,
        userAgent: headers.get('user-agent'),
        method: ws ? 'WS' : (request?.method ?? null),
        path: '/graphql',
      });
    },
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQL>;
