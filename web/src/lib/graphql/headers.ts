/** graphql-yoga's CSRF prevention rejects GraphQL requests without this header (yoga `csrfPrevention`). */
export const CSRF_HEADERS = { 'x-graphql-yoga-csrf': '1' } as const;
