import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { createApiToken, revokeApiToken, TokenError } from '../auth/tokens.ts';
import type { Context } from '../context.ts';

type TokenRow = Awaited<ReturnType<Context['db']['apiToken']['findFirstOrThrow']>>;

const ApiTokenRef = builder.objectRef<TokenRow>('ApiToken').implement({
  description: 'A read-only bearer token for analysts and Grafana (the secret is shown once, at creation)',
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    scope: t.exposeString('scope'),
    createdAt: t.field({ type: 'DateTime', resolve: (x) => x.createdAt }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.lastUsedAt }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.expiresAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.revokedAt }),
  }),
});

const CreatedApiTokenRef = builder.objectRef<{ token: string; apiToken: TokenRow }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`; it cannot be shown again' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (x) => x.apiToken }),
  }),
});

function rethrow(error: unknown): never {
  if (error instanceof TokenError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
  throw error;
}

builder.queryField('myApiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    authScopes: { loggedIn: true },
    resolve: (_root, _args, ctx) => ctx.db.apiToken.findMany({ where: { userId: ctx.viewer!.id }, orderBy: { id: 'desc' } }),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiTokenRef,
    authScopes: { loggedIn: true },
    args: { name: t.arg.string({ required: true }), expiresInDays: t.arg.int() },
    resolve: (_root, { name, expiresInDays }, ctx) =>
      createApiToken(ctx.db, ctx.viewer!, name, expiresInDays ?? null, ctx.meta).catch(rethrow),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: ApiTokenRef,
    authScopes: { loggedIn: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => revokeApiToken(ctx.db, ctx.viewer!, id, ctx.meta).catch(rethrow),
  }),
);
