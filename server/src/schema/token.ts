import { builder } from '../builder.ts';
import type { ApiTokenRow } from '../auth/tokens.ts';
import { pageSize } from './paging.ts';

const ApiTokenRef = builder.objectRef<ApiTokenRow>('ApiToken').implement({
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

const CreatedApiTokenRef = builder.objectRef<{ token: string; apiToken: ApiTokenRow }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`; it cannot be shown again' }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (x) => x.apiToken }),
  }),
});

builder.queryField('myApiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    authScopes: { loggedIn: true },
    description: 'Newest first, revoked ones included',
    args: { first: t.arg.int({ defaultValue: 100, description: 'at most 500' }) },
    resolve: (_root, { first }, ctx) => ctx.services.tokens.listOf(ctx.viewer!.id, pageSize('first', first, 100, 500)),
  }),
);

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: CreatedApiTokenRef,
    authScopes: { loggedIn: true },
    args: { name: t.arg.string({ required: true }), expiresInDays: t.arg.int() },
    resolve: (_root, { name, expiresInDays }, ctx) => ctx.services.tokens.create(ctx.viewer!, name, expiresInDays ?? null, ctx.meta),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.field({
    type: ApiTokenRef,
    authScopes: { loggedIn: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.tokens.revoke(ctx.viewer!, id, ctx.meta),
  }),
);
