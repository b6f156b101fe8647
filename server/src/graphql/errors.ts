import { GraphQLError } from 'graphql';
import { DomainError, type ErrorCode, ERROR_CODES } from '../errors.ts';

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * yoga's hint for the HTTP status of an answer (`extensions.http`, left out of what the client
 * sees). yoga marks a failed validation 400 with `spec`, graphql-tools' executor a variable of the
 * wrong type 400 without it, and yoga leaves `spec` statuses out when the client asked for legacy
 * `application/json`, which GraphQL over HTTP answers 200
 * (https://graphql.github.io/graphql-over-http/draft/#sec-application-json). So every 400 (an
 * error in the request) is marked `spec`: Grafana's plugins ask for `application/json` and drop
 * the body of any non-200, so they show the message; `application/graphql-response+json` clients
 * still get 400. Other statuses (401, 403, 413) stay for every client.
 */
function httpHint(extensions: GraphQLError['extensions'] | undefined) {
  const http = extensions?.http as { status?: number; spec?: boolean } | undefined;
  if (!http) return {};
  return { http: http.status === 400 && http.spec === undefined ? { ...http, spec: true } : http };
}

/** The one translation of a domain error into what a GraphQL client sees. */
export function toGraphQLError(error: DomainError, at?: GraphQLError, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { ...error.details, code: error.code, ...httpHint(at?.extensions) },
  });
}

/** The code a GraphQL error already carries, when it is one of ours. */
export function codeOf(error: GraphQLError): ErrorCode | null {
  const code = error.extensions?.code;
  return typeof code === 'string' && KNOWN.has(code) ? (code as ErrorCode) : null;
}

/**
 * yoga's `maskError`, on every error of every answer: a DomainError anywhere in the chain becomes
 * its code and message (with where graphql-js found it, for an input value). An error made by
 * graphql-js or yoga themselves (a variable of the wrong type, an unreadable body) keeps its
 * message, which says what was wrong with the request, as BAD_INPUT (TOO_COMPLEX for a body over
 * the limit). Everything else is logged and answered as INTERNAL without its message, stack or
 * source lines, in development too, so what a client sees does not depend on NODE_ENV. yoga's
 * status hint travels along (see httpHint).
 */
export function createMaskError(logError: (error: unknown) => void) {
  return (error: unknown): Error => {
    const graphql = error instanceof GraphQLError ? error : undefined;
    let cause: unknown = error;
    while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
    if (cause instanceof DomainError) {
      // graphql-js prefixes a scalar's error with where it was found (`Variable "$from" got invalid
      // value "x"; …`, `Expected value of type "DateTime", found "x"; …`): keep that.
      const located = graphql && graphql.message !== cause.message && graphql.message.endsWith(cause.message);
      return toGraphQLError(cause, graphql, located ? graphql.message : cause.message);
    }
    if (graphql && cause instanceof GraphQLError) {
      const extensions = { ...cause.extensions, ...graphql.extensions };
      const status = (graphql.extensions?.http as { status?: number } | undefined)?.status;
      const code = codeOf(graphql) ?? codeOf(cause) ?? (status === 413 ? 'TOO_COMPLEX' : 'BAD_INPUT');
      return new GraphQLError(graphql.message, {
        nodes: graphql.nodes,
        source: graphql.source,
        positions: graphql.positions,
        path: graphql.path,
        extensions: { ...extensions, ...httpHint(extensions), code },
      });
    }
    logError(cause);
    return new GraphQLError('Something went wrong on the server; it has been logged', {
      nodes: graphql?.nodes,
      path: graphql?.path,
      extensions: { code: 'INTERNAL' },
    });
  };
}
