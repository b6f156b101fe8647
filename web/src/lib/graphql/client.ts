import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { CSRF_HEADERS } from './headers';

export interface SocketEvents {
  /** `wasRetry` is true when the socket came back after a drop: what was pushed meanwhile is lost. */
  connected?: (wasRetry: boolean) => void;
  closed?: () => void;
}

export interface GraphqlSession {
  client: Client;
  dispose: () => void;
}

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`;
}

/**
 * One client per signed-in session (the layout makes a new one when the viewer changes), so neither its
 * cache nor its socket, authenticated by the cookie at connect time, outlives the user it was made for.
 * The WebSocket exists only in the browser; during a server render no operation runs at all.
 */
export function createGraphqlSession(events: SocketEvents = {}): GraphqlSession {
  let ws: WsClient | null = null;
  if (typeof window !== 'undefined') {
    ws = createWsClient({
      url: socketUrl(),
      lazy: true,
      retryAttempts: 30,
      shouldRetry: () => true,
      on: {
        connected: (_socket, _payload, wasRetry) => events.connected?.(wasRetry),
        closed: () => events.closed?.(),
      },
    });
  }
  const socket = ws;

  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: () => ({ credentials: 'same-origin', headers: { ...CSRF_HEADERS } }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              if (!socket) {
                sink.complete();
                return { unsubscribe() {} };
              }
              return { unsubscribe: socket.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });

  return { client, dispose: () => void socket?.dispose() };
}
