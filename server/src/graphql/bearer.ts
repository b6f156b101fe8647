import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { bearerToken, INVALID_TOKEN_CHALLENGE, INVALID_TOKEN_MESSAGE, type SessionResolver } from '../http/session.ts';
import { headersOf } from '../http/util.ts';
import { toGraphQLError } from './errors.ts';

const invalidToken = () => toGraphQLError(new DomainError('UNAUTHENTICATED', INVALID_TOKEN_MESSAGE));

/**
 * A bearer token that is not valid (unknown, revoked or expired) is refused, never served as
 * anonymous.
 *
 * HTTP: 401 with `WWW-Authenticate` (RFC 6750 §3) before the body is read, whatever the query, in
 * the one GraphQL error shape. The answer is ended here rather than thrown, so that a dashboard
 * polling with a revoked token is not logged as a server error on every refresh (yoga logs what it
 * masks); the router's request log still shows the 401.
 *
 * WebSocket: yoga's request hooks do not run there, and a refused upgrade reaches a graphql-ws
 * client only as close code 1006, which it retries five times and then reports without a reason.
 * So each operation is answered with an UNAUTHENTICATED error instead, as on HTTP and as when a
 * subscription's credential ends. The context is built per operation from the upgrade request;
 * session.ts answers a bearer header with the token's owner or `badToken`, so a bearer header
 * without a viewer is a bad token.
 */
export function useBearerToken(resolveSession: SessionResolver): Plugin<Context> {
  const refuseOnSocket = (ctx: Context & { req?: IncomingMessage; transport?: string }) =>
    ctx.transport === 'ws' && !ctx.viewer && !!ctx.req && bearerToken(headersOf(ctx.req)) !== null;
  return {
    async onRequestParse({ request, endResponse, fetchAPI }) {
      if (bearerToken(request.headers) === null || !(await resolveSession(request.headers)).badToken) return;
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [invalidToken()] }), {
          status: 401,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'www-authenticate': INVALID_TOKEN_CHALLENGE,
            'cache-control': 'no-store',
          },
        }),
      );
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (refuseOnSocket(args.contextValue)) setResultAndStopExecution({ errors: [invalidToken()] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (refuseOnSocket(args.contextValue)) setResultAndStopExecution({ errors: [invalidToken()] });
    },
  };
}
