import { builder } from '../builder.ts';

export const TierEnum = builder.enumType('Tier', { values: ['mu', 'gov', 'private'] as const });
export const RoleEnum = builder.enumType('Role', { values: ['user', 'operator', 'admin'] as const });

export interface UserShape {
  id: number;
  username: string;
  role: string;
  tier: string;
}

export const UserRef = builder.objectRef<UserShape>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    username: t.exposeString('username'),
    role: t.field({ type: RoleEnum, resolve: (u) => u.role as 'user' }),
    tier: t.field({ type: TierEnum, resolve: (u) => u.tier as 'mu' }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The logged-in user, or null',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
);
