import { print } from 'graphql';
import type { RequestEvent } from '@sveltejs/kit';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { env } from '$env/dynamic/private';
import { CSRF_HEADERS } from '$lib/graphql/headers';

export type QueryResult<Data> = { data: Data; code: null } | { data: null; code: string };

interface LocalSocket {
  localAddress?: string;
  localPort?: number;
}

/**
 * Where this request's API answers. Inside the API server (adapter-node's `platform.req`) that is the address the
 * request came in on, the server's own listening socket, whatever PORT and HOST say; under `vite dev` it is
 * API_ORIGIN. SvelteKit's `event.fetch` would not do: it answers same-origin paths with the app's own routes.
 */
function apiOrigin(event: RequestEvent): string {
  const socket = (event.platform?.req as { socket?: LocalSocket } | undefined)?.socket;
  if (socket?.localAddress && socket.localPort) {
    const address = socket.localAddress.replace(/^::ffff:/, '');
    return `http://${address.includes(':') ? `[${address}]` : address}:${socket.localPort}`;
  }
  return env.API_ORIGIN || 'http://localhost:3000';
}

/**
 * Runs a query on the server as the viewer of this request: their cookie (or bearer token) goes along, so the
 * schema's own authorization decides what they may see, exactly as for the browser's queries. Expected failures
 * come back as their `extensions.code`; an unreachable API as NETWORK.
 */
export async function serverQuery<Data, Variables extends Record<string, unknown>>(
  event: RequestEvent,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<QueryResult<Data>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...CSRF_HEADERS };
  for (const name of ['cookie', 'authorization']) {
    const value = event.request.headers.get(name);
    if (value) headers[name] = value;
  }
  let body: { data?: Data | null; errors?: Array<{ extensions?: { code?: unknown } }> };
  try {
    const response = await fetch(new URL('/graphql', apiOrigin(event)), {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: print(document), variables }),
      signal: AbortSignal.timeout(30_000),
    });
    body = await response.json();
  } catch (error) {
    console.warn('[web] a server-side GraphQL query failed:', error instanceof Error ? error.message : error);
    return { data: null, code: 'NETWORK' };
  }
  const code = body.errors?.map((e) => e.extensions?.code).find((c): c is string => typeof c === 'string');
  if (body.errors?.length || !body.data) return { data: null, code: code ?? 'INTERNAL' };
  return { data: body.data, code: null };
}
