import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import type { UserPage, UserSummary } from '../users/directory.ts';
import type { TierChangeImpact, TierMove, TierTarget } from '../users/tiers.ts';
import { pageSize } from './paging.ts';
import { LEDGER_SCAN_COST, PageInfoRef, UsageTotalsRef } from './usage.ts';
import { RoleEnum, TierEnum } from './user.ts';

const RoleSourceEnum = builder.enumType('RoleSource', {
  description: 'What gave a user their role, at their last login',
  values: {
    static: { description: 'ADMIN_USERS or OPERATOR_USERS in the server’s configuration' },
    slurm: { description: 'Their AdminLevel in Slurm (sacctmgr), with ROLES_FROM_SLURM=1' },
    local: { description: 'A local account (the seeded admin, a demo user) keeping the role it was created with' },
    default: { description: 'Nothing named them: the plain user role' },
  } as const,
});

const UserSummaryRef = builder.objectRef<UserSummary>('UserSummary').implement({
  description: 'A user the logins or the ledger know, as staff see them',
  fields: (t) => ({
    username: t.exposeString('username'),
    tier: t.field({ type: TierEnum, resolve: (u) => u.tier }),
    tierIsDefault: t.exposeBoolean('tierIsDefault', {
      description: 'No tier is recorded (they never logged in, and no admin set one): billed at the server’s DEFAULT_TIER',
    }),
    role: t.field({ type: RoleEnum, resolve: (u) => u.role }),
    roleSource: t.field({
      type: RoleSourceEnum,
      nullable: true,
      description: 'null: not recorded yet; it is at their next login',
      resolve: (u) => u.roleSource,
    }),
    lastLoginAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.lastLoginAt }),
    finishedJobs: t.int({ description: 'Finished jobs in the ledger, billed or not', resolve: (u) => u.finishedJobs }),
    unbilled: t.field({
      type: UsageTotalsRef,
      description: 'Their finished jobs on no receipt yet, at their tier’s current rates: what `jobs(filter: { user, billed: false }).totals` answers',
      resolve: (u) => u.unbilled,
    }),
  }),
});

const UserConnectionRef = builder.objectRef<UserPage>('UserConnection').implement({
  fields: (t) => ({
    nodes: t.field({ type: [UserSummaryRef], resolve: (page) => page.nodes }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (page) => page }),
    viewerCanSetTier: t.boolean({
      description: 'An admin signed in with a session: API tokens only read',
      resolve: (_p, _a, ctx) => ctx.viewer?.role === 'admin' && !ctx.readOnly,
    }),
  }),
});

const UserFilterInput = builder.inputType('UserFilter', {
  description: 'Every field narrows the list',
  fields: (t) => ({
    search: t.string({ description: 'Part of the username, in any case' }),
    account: t.string({ description: 'Only users with jobs in this Slurm account' }),
  }),
});

builder.queryField('users', (t) =>
  t.field({
    type: UserConnectionRef,
    authScopes: { staff: true },
    description: 'Everyone the logins or the ledger know, by username, a page at a time',
    extensions: { cost: LEDGER_SCAN_COST },
    args: {
      filter: t.arg({ type: UserFilterInput }),
      first: t.arg.int({ defaultValue: 100, description: 'at most 500' }),
      after: t.arg.string({ description: 'The `endCursor` of the previous page' }),
    },
    resolve: (_root, { filter, first, after }, ctx) => ctx.services.users.list({ ...(filter ?? {}) }, pageSize('first', first, 100, 500), after),
  }),
);

const TierMoveRef = builder.objectRef<TierMove>('TierMove').implement({
  description: 'One user of a tier change',
  fields: (t) => ({
    username: t.exposeString('username'),
    fromTier: t.field({ type: TierEnum, resolve: (m) => m.from }),
    toTier: t.field({ type: TierEnum, resolve: (m) => m.to }),
    changed: t.exposeBoolean('changed', { description: 'false: they already had the tier' }),
  }),
});

const TierChangeRef = builder.objectRef<TierChangeImpact>('TierChange').implement({
  description: 'What a tier change does, or did: who moves, and what their unbilled jobs are worth before and after',
  fields: (t) => ({
    tier: t.field({ type: TierEnum, resolve: (c) => c.tier }),
    account: t.exposeString('account', { nullable: true, description: 'The Slurm account, for a change of everyone with jobs in it' }),
    userCount: t.int({ description: 'Everyone the change names, whether their tier changes or not', resolve: (c) => c.users.length }),
    usersChanged: t.int({ resolve: (c) => c.users.filter((u) => u.changed).length }),
    users: t.field({
      type: [TierMoveRef],
      description: 'Everyone the change names, in username order',
      args: { first: t.arg.int({ defaultValue: 100, description: 'at most 1000' }) },
      resolve: (c, { first }) => c.users.slice(0, pageSize('first', first, 100, 1000)),
    }),
    unbilledBefore: t.field({
      type: UsageTotalsRef,
      description: 'The unbilled finished jobs of the users who change, at their tier before',
      resolve: (c) => c.unbilledBefore,
    }),
    unbilledAfter: t.field({
      type: UsageTotalsRef,
      description: 'The same jobs at the new tier; billed jobs keep what their receipt charged',
      resolve: (c) => c.unbilledAfter,
    }),
  }),
});

const TierChangeInput = builder.inputType('TierChangeInput', {
  description: 'One user, or everyone with jobs in a Slurm account: exactly one of the two',
  fields: (t) => ({
    username: t.string(),
    account: t.string(),
    tier: t.field({ type: TierEnum, required: true }),
  }),
});

function targetOf(input: { username?: string | null; account?: string | null }): TierTarget {
  const hasUser = input.username != null;
  if (hasUser === (input.account != null)) throw badInput('give either username or account, not both');
  return hasUser ? { username: input.username! } : { account: input.account! };
}

builder.queryField('tierChangePreview', (t) =>
  t.field({
    type: TierChangeRef,
    authScopes: { admin: true },
    description: 'What setUserTier or setAccountTier would do now, changing nothing',
    extensions: { cost: LEDGER_SCAN_COST },
    args: { input: t.arg({ type: TierChangeInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.users.preview(targetOf(input), input.tier),
  }),
);

const SetUserTierInput = builder.inputType('SetUserTierInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    tier: t.field({ type: TierEnum, required: true }),
  }),
});

builder.mutationField('setUserTier', (t) =>
  t.field({
    type: TierChangeRef,
    authScopes: { admin: true },
    description: "Set a user's tier: their unbilled jobs are priced at it at once, billed ones keep their receipt's cost",
    extensions: { cost: LEDGER_SCAN_COST },
    args: { input: t.arg({ type: SetUserTierInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.users.setUserTier(input.username, input.tier, ctx.meta),
  }),
);

const SetAccountTierInput = builder.inputType('SetAccountTierInput', {
  fields: (t) => ({
    account: t.string({ required: true, description: 'A Slurm account: everyone with jobs in it' }),
    tier: t.field({ type: TierEnum, required: true }),
  }),
});

builder.mutationField('setAccountTier', (t) =>
  t.field({
    type: TierChangeRef,
    authScopes: { admin: true },
    description: 'Set the tier of everyone with jobs in a Slurm account, in one transaction',
    extensions: { cost: LEDGER_SCAN_COST },
    args: { input: t.arg({ type: SetAccountTierInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.users.setAccountTier(input.account, input.tier, ctx.meta),
  }),
);
