import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import { sameOrigin } from '../http/util.ts';
import { createMaskError, toGraphQLError } from './errors.ts';
import type { GraphQLServer } from './yoga.ts';

type Enveloped = { execute: (a: ExecutionArgs) => unknown; subscribe: (a: ExecutionArgs) => unknown };

/**
 * graphql-ws on the HTTP server's `/graphql`, running each operation through yoga's envelop
 * (its parse, validate, context and execute), so limits, masking and the read-only rule hold on
 * the socket exactly as on HTTP. A message over the size limit closes the socket (code 1009).
 */
export function attachGraphQLWebSocket(server: Server, yoga: GraphQLServer, config: Config, logError: (error: unknown) => void) {
  const maskError = createMaskError(logError);
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: config.graphql.maxBodyBytes,
    // Cookies ride along on cross-site WebSocket handshakes too, so a foreign page is refused here.
    verifyClient: ({ req }: { req: IncomingMessage }) => !req.headers.origin || sameOrigin(req, config.trustProxy),
  });
  const wsServer = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      // Whatever yoga's HTTP path would answer as an error result is an error result here too, not a closed socket.
      execute: async (args) => {
        try {
          return (await (args.rootValue as Enveloped).execute(args)) as never;
        } catch (error) {
          return { errors: [maskError(error)] } as never;
        }
      },
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          req: ctx.extra.request,
          transport: 'ws',
        });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          // A bad query ends that operation only, not the socket and its other subscriptions.
          return [error instanceof GraphQLError ? error : toGraphQLError(new DomainError('BAD_INPUT', 'could not parse the query'))];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    async close() {
      await wsServer.dispose();
      wss.close();
    },
  };
}
