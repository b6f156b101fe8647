import { GraphQLError } from 'graphql';
import { DomainError, type ErrorCode, ERROR_CODES } from '../errors.ts';

const KNOWN = new Set<string>(ERROR_CODES);

/** The one translation of a domain error into what a GraphQL client sees. */
export function toGraphQLError(error: DomainError, at?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: at?.nodes,
    source: at?.source,
    positions: at?.positions,
    path: at?.path,
    extensions: { ...error.details, code: error.code },
  });
}

export const graphQLError = (code: ErrorCode, message: string, details?: DomainError['details']) =>
  toGraphQLError(new DomainError(code, message, details));

/** The code a GraphQL error already carries, when it is one of ours. */
export function codeOf(error: GraphQLError): ErrorCode | null {
  const code = error.extensions?.code;
  return typeof code === 'string' && KNOWN.has(code) ? (code as ErrorCode) : null;
}

/**
 * yoga's `maskError`, on every error of every answer: a DomainError anywhere in the chain becomes
 * its code and message. An error made by graphql-js or yoga themselves (a variable of the wrong
 * type, an unreadable body) keeps its message, which says what was wrong with the request, as
 * BAD_INPUT (TOO_COMPLEX for a body over the limit). Everything else is logged and answered as
 * INTERNAL without its message, stack or source lines, in development too, so what a client sees
 * does not depend on NODE_ENV.
 */
export function createMaskError(logError: (error: unknown) => void) {
  return (error: unknown): Error => {
    const graphql = error instanceof GraphQLError ? error : undefined;
    let cause: unknown = error;
    while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
    if (cause instanceof DomainError) return toGraphQLError(cause, graphql);
    if (graphql && cause instanceof GraphQLError) {
      const status = (graphql.extensions?.http as { status?: number } | undefined)?.status;
      const code = codeOf(graphql) ?? codeOf(cause) ?? (status === 413 ? 'TOO_COMPLEX' : 'BAD_INPUT');
      return new GraphQLError(graphql.message, {
        nodes: graphql.nodes,
        source: graphql.source,
        positions: graphql.positions,
        path: graphql.path,
        extensions: { ...cause.extensions, ...graphql.extensions, code },
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
