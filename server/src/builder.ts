import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { Kind, valueFromASTUntyped } from 'graphql';
import type { Context } from './context.ts';
import { badInput, DomainError, ERROR_CODES } from './errors.ts';
import { parseInstant } from './time.ts';

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
    /** the viewer coordinates this Slurm account (or an admin named them its PI), or staff */
    managerOf: string;
    /** the viewer coordinates this Slurm account (or an admin named them its PI); staff or not */
    coordinatorOf: string;
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
        managerOf: async (account: string) =>
          rank >= ROLE_RANK.operator || (rank >= 0 && (await ctx.loaders.managedAccounts.load(ctx.viewer!.username)).includes(account)),
        coordinatorOf: async (account: string) => rank >= 0 && (await ctx.loaders.managedAccounts.load(ctx.viewer!.username)).includes(account),
      };
    },
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer ? new DomainError('FORBIDDEN', 'You are not allowed to do this') : new DomainError('UNAUTHENTICATED', 'Log in first'),
  },
});

builder.scalarType('DateTime', {
  description:
    'An instant: ISO 8601 / RFC 3339 with date, time and offset, e.g. "2026-10-31T17:00:00Z", or epoch milliseconds from 0 to 253402300799999 ' +
    'as a number or a string of digits, e.g. 1793466000000 or "1793466000000" (what Grafana sends for ${__from}); answered in RFC 3339 UTC',
  serialize: (d) => (d instanceof Date ? d.toISOString() : new Date(d as string).toISOString()),
  parseValue: (v) => parseInstant(v),
  // A number literal is read from its text, not parsed to a number first: `1e3` and `12.5` are
  // refused, and epoch milliseconds past GraphQL's 32-bit Int (any instant after 25 January 1970) are exact.
  parseLiteral: (node, variables) =>
    parseInstant(node.kind === Kind.INT || node.kind === Kind.FLOAT ? node.value : valueFromASTUntyped(node, variables)),
});

builder.scalarType('Decimal', {
  description: 'An exact decimal number as text, e.g. "12.50" (THB)',
  serialize: (v) => String(v),
  parseValue: (v) => {
    if (typeof v !== 'string' && typeof v !== 'number') throw badInput('Decimal must be a string such as "12.50"');
    return String(v);
  },
});

// Every code a client can meet, so the web's message map is checked against the schema at compile time.
builder.enumType('ErrorCode', {
  description: 'The `extensions.code` of every error this API answers with',
  values: ERROR_CODES,
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
