import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { Context } from './context.ts';

export const ROLE_RANK = { user: 0, operator: 1, admin: 2 } as const;

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: {
    loggedIn: boolean;
    /** operator or admin: reads everything */
    staff: boolean;
    admin: boolean;
    /** the viewer is this user, or staff */
    ownerOf: string;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const rank = ctx.viewer ? ROLE_RANK[ctx.viewer.role] : -1;
      return {
        loggedIn: rank >= 0,
        staff: rank >= ROLE_RANK.operator,
        admin: rank >= ROLE_RANK.admin,
        ownerOf: (username: string) => rank >= ROLE_RANK.operator || (rank >= 0 && ctx.viewer?.username === username),
      };
    },
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer
        ? new GraphQLError('You are not allowed to do this', { extensions: { code: 'FORBIDDEN' } })
        : new GraphQLError('Log in first', { extensions: { code: 'UNAUTHENTICATED' } }),
  },
});

builder.scalarType('DateTime', {
  description: 'An instant in UTC, ISO 8601',
  serialize: (d) => (d instanceof Date ? d.toISOString() : new Date(d as string).toISOString()),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (typeof v !== 'string' || Number.isNaN(d.getTime())) {
      throw new GraphQLError(`DateTime must be an ISO 8601 string, got ${JSON.stringify(v)}`, {
        extensions: { code: 'BAD_INPUT' },
      });
    }
    return d;
  },
});

builder.scalarType('Decimal', {
  description: 'An exact decimal number as text, e.g. "12.50" (THB)',
  serialize: (v) => String(v),
  parseValue: (v) => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new GraphQLError('Decimal must be a string such as "12.50"', { extensions: { code: 'BAD_INPUT' } });
    }
    return String(v);
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_INPUT' } });
