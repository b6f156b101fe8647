import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import { useCostBudget } from './cost.ts';
import { codeOf, toGraphQLError } from './errors.ts';

/**
 * The limits of one operation, as envelop plugins, so they hold on HTTP, SSE and WebSocket alike.
 * Depth, aliases, tokens, directives and a static cost come from GraphQL Armor; this module
 * gives its rejections our TOO_COMPLEX code (by identity of the error it rejected with, never by
 * its text), names every other failed parse or validation BAD_INPUT, and adds the time budget.
 */
export function limitPlugins(limits: Config['graphql']): Plugin[] {
  const rejected = new WeakSet<GraphQLError>();
  const onReject = [(_ctx: unknown, error: GraphQLError) => void rejected.add(error)];
  const common = { exposeLimits: true, onReject, propagateOnRejection: true };
  const recode = (error: GraphQLError) => {
    if (codeOf(error)) return error;
    const code = rejected.has(error) ? 'TOO_COMPLEX' : 'BAD_INPUT';
    return toGraphQLError(new DomainError(code, error.message.replace(/^Syntax Error: /, '')), error);
  };
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: { ...common, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
      maxAliases: { ...common, n: limits.maxAliases },
      maxTokens: { ...common, n: limits.maxTokens },
      maxDirectives: { ...common, n: limits.maxDirectives },
      // Literal page sizes only, at validation; useCostBudget below sees the variables too.
      costLimit: { ...common, maxCost: limits.maxCost },
      // "Did you mean …" would list field names to someone who may not read the schema.
      blockFieldSuggestion: { enabled: !limits.introspection },
    }) as Plugin,
    {
      onParse() {
        return ({ result, replaceParseResult }) => {
          if (result instanceof GraphQLError) replaceParseResult(recode(result));
        };
      },
      onValidate({ validateFn, setValidationFn }) {
        // Armor's rules throw their rejection out of validate; it becomes the one error of the answer.
        setValidationFn((...args) => {
          try {
            return validateFn(...args);
          } catch (error) {
            if (error instanceof GraphQLError) return [error];
            throw error;
          }
        });
        return ({ result, setResult }) => {
          if (result.length > 0) setResult(result.map((e) => recode(e as GraphQLError)));
        };
      },
    },
    useCostBudget(limits.maxCost),
    timeBudget(limits.timeBudgetMs),
  ];
  return plugins;
}

/**
 * Stops a query or mutation that runs past its budget: the executor checks the signal between
 * fields, so the answer is a TIMEOUT error instead of an ever-growing result. Subscriptions live
 * as long as their client wants and are not budgeted.
 */
function timeBudget(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        const budget = new AbortController();
        const timer = setTimeout(
          () => budget.abort(new DomainError('TIMEOUT', `the operation ran past its time budget of ${ms} ms and was stopped`, { budgetMs: ms })),
          ms,
        );
        const outer = (args as { signal?: AbortSignal }).signal;
        const signal = outer ? AbortSignal.any([outer, budget.signal]) : budget.signal;
        try {
          return await executeFn({ ...args, signal } as typeof args);
        } catch (error) {
          // An answer, not a crash, on every transport: the executor rejects with the abort reason.
          if (error instanceof DomainError && error === budget.signal.reason) return { errors: [toGraphQLError(error)] };
          throw error;
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
