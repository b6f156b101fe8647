import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

// Content types a browser may send cross-site without a CORS preflight.
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * yoga's CSRF prevention (https://the-guild.dev/graphql/yoga-server/docs/features/csrf-prevention):
 * a GraphQL request a browser could send cross-site without a preflight (a GET, a form post) must
 * carry a header no such request can, refused otherwise with our CSRF code so the web shows its
 * CSRF message. Its own plugin answers without a code.
 */
export function useCsrfHeader(header = CSRF_HEADER): Plugin {
  return {
    onRequestParse({ request }) {
      const type = request.headers.get('content-type')?.toLowerCase();
      const preflighted = !!type && !SIMPLE_CONTENT_TYPES.some((t) => type.startsWith(t));
      if (preflighted || request.headers.has(header)) return;
      throw new GraphQLError(`Cross-site request refused: send the "${header}" header with GraphQL requests`, {
        extensions: { code: 'CSRF', http: { status: 403 } },
      });
    },
  };
}
