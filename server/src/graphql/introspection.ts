import { BREAK, type DocumentNode, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { DomainError } from '../errors.ts';
import { toGraphQLError } from './errors.ts';

const asksSchema = (document: DocumentNode) => {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
    },
  });
  return found;
};

/**
 * Introspection for everyone when enabled (outside production by default); otherwise only for a
 * caller with a valid session or API token (GraphiQL, codegen, Grafana's datasource health check),
 * never for an anonymous one. Decided when the operation runs, from its context, so HTTP, SSE and
 * the WebSocket behave alike (yoga's own plugin looks at HTTP requests only).
 */
export function useIntrospectionGate(enabled: boolean): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (enabled || (args.contextValue as Context).viewer || !asksSchema(args.document)) return;
      setResultAndStopExecution({
        errors: [toGraphQLError(new DomainError('BAD_INPUT', 'introspection is only answered to a logged-in caller or an API token here'))],
      });
    },
  };
}
