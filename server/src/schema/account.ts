import { builder } from '../builder.ts';
import type { AccountRow } from '../accounts/store.ts';
import { notFound } from '../errors.ts';
import { ReceiptRef } from './receipt.ts';
import { LEDGER_SCAN_COST, UsageTotalsRef } from './usage.ts';
import { TierEnum } from './user.ts';

const MemberRoleEnum = builder.enumType('AccountMemberRole', {
  values: {
    member: { description: 'Has an association with the account in Slurm' },
    coordinator: { description: 'A coordinator of the account in Slurm: sees and bills its jobs' },
    pi: { description: 'Named the account’s principal investigator by an admin: sees and bills its jobs' },
  } as const,
});

interface MemberShape {
  id: number;
  username: string;
  role: string;
  source: string;
  since: Date;
  until: Date | null;
  setBy: string | null;
}

const AccountMemberRef = builder.objectRef<MemberShape>('AccountMember').implement({
  description: 'One stretch of a user’s membership of an account, in one role',
  fields: (t) => ({
    username: t.exposeString('username'),
    role: t.field({ type: MemberRoleEnum, resolve: (m) => m.role as 'member' }),
    source: t.exposeString('source', { description: 'slurm (synced from associations) or admin (a PI named here)' }),
    since: t.field({ type: 'DateTime', resolve: (m) => m.since }),
    until: t.field({ type: 'DateTime', nullable: true, description: 'null while it lasts', resolve: (m) => m.until }),
    setBy: t.exposeString('setBy', { nullable: true }),
  }),
});

export const AccountRef = builder.objectRef<AccountRow>('Account').implement({
  description: 'A Slurm account: the project its members’ jobs are charged to',
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    organization: t.exposeString('organization', { nullable: true }),
    parent: t.exposeString('parent', { nullable: true, description: 'Its parent in Slurm’s account tree' }),
    tier: t.field({
      type: TierEnum,
      nullable: true,
      description: 'The tier its jobs are priced at, over each member’s own; null: each member’s tier',
      resolve: (a) => a.tier as 'mu' | null,
    }),
    syncedAt: t.field({ type: 'DateTime', resolve: (a) => a.syncedAt }),
    removedAt: t.field({ type: 'DateTime', nullable: true, description: 'When Slurm stopped listing it', resolve: (a) => a.removedAt }),
    members: t.field({
      type: [AccountMemberRef],
      authScopes: (a) => ({ managerOf: a.name }),
      description: 'Its members, coordinators and PIs now; with `history`, every stretch, ended ones too',
      args: { history: t.arg.boolean({ defaultValue: false }) },
      resolve: (a, { history }, ctx) => ctx.services.accounts.members(a.name, history ?? false),
    }),
    unbilled: t.field({
      type: UsageTotalsRef,
      authScopes: (a) => ({ managerOf: a.name }),
      extensions: { cost: LEDGER_SCAN_COST },
      description: 'Its members’ finished jobs in it on no receipt yet, at the current rates',
      resolve: (a, _args, ctx) => ctx.loaders.usageTotals.load({ account: a.name, billed: false }),
    }),
    receipts: t.field({
      type: [ReceiptRef],
      authScopes: (a) => ({ managerOf: a.name }),
      description: 'Receipts made for the account as a whole, newest first',
      args: { first: t.arg.int({ defaultValue: 50, description: 'at most 500' }) },
      resolve: (a, { first }, ctx) => ctx.services.receipts.list({ account: a.name, first: Math.min(Math.max(first ?? 50, 1), 500) }),
    }),
    viewerCanBill: t.boolean({
      description: 'The viewer may make a receipt of the account: a coordinator, its PI, or an admin',
      resolve: async (a, _args, ctx) =>
        !ctx.readOnly &&
        !!ctx.viewer &&
        (ctx.viewer.role === 'admin' || (await ctx.loaders.managedAccounts.load(ctx.viewer.username)).includes(a.name)),
    }),
    viewerCanManage: t.boolean({
      description: 'The viewer may set the account’s tier, its PIs and its budgets (admins)',
      resolve: (_a, _args, ctx) => !ctx.readOnly && ctx.viewer?.role === 'admin',
    }),
  }),
});

builder.queryField('accounts', (t) =>
  t.field({
    type: [AccountRef],
    authScopes: { loggedIn: true },
    description: 'Slurm accounts by name: staff see every one; a user those they coordinate or are PI of',
    args: { search: t.arg.string({ description: 'Part of the name (staff)' }) },
    resolve: async (_root, { search }, ctx) => {
      const viewer = ctx.viewer!;
      if (viewer.role !== 'user') return ctx.services.accounts.list(null, search);
      return ctx.services.accounts.list(await ctx.loaders.managedAccounts.load(viewer.username));
    },
  }),
);

builder.queryField('myAccounts', (t) =>
  t.field({
    type: [AccountRef],
    authScopes: { loggedIn: true },
    description: 'The Slurm accounts the viewer is a member, coordinator or PI of',
    resolve: async (_root, _args, ctx) => ctx.services.accounts.list(await ctx.services.accounts.memberOf(ctx.viewer!.username)),
  }),
);

builder.queryField('account', (t) =>
  t.field({
    type: AccountRef,
    authScopes: (_root, args) => ({ managerOf: args.name }),
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, ctx) => {
      const account = await ctx.services.accounts.find(name);
      if (!account) throw notFound(`no Slurm account "${name}"`);
      return account;
    },
  }),
);

const AccountsSyncRef = builder
  .objectRef<{ accounts: number; added: number; removed: number; membersOpened: number; membersClosed: number }>('AccountsSync')
  .implement({
    description: 'What a sync of the accounts from Slurm changed',
    fields: (t) => ({
      accounts: t.exposeInt('accounts'),
      added: t.exposeInt('added'),
      removed: t.exposeInt('removed'),
      membersOpened: t.exposeInt('membersOpened'),
      membersClosed: t.exposeInt('membersClosed'),
    }),
  });

builder.mutationField('syncAccounts', (t) =>
  t.field({
    type: AccountsSyncRef,
    authScopes: { admin: true },
    description: 'Read the accounts, associations and coordinators from Slurm now (sacctmgr or slurmrestd)',
    resolve: (_root, _args, ctx) => ctx.services.accounts.sync(ctx.meta),
  }),
);

const CreateAccountReceiptInput = builder.inputType('CreateAccountReceiptInput', {
  fields: (t) => ({
    account: t.string({ required: true }),
    cutoff: t.field({ type: 'DateTime', required: true, description: 'Bill jobs that ended before this instant' }),
  }),
});

builder.mutationField('createAccountReceipt', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: (_root, args) => ({ $any: { admin: true, coordinatorOf: args.input.account } }),
    description: "Bill the finished, unbilled jobs of every member of a Slurm account, in that account, up to the cut-off (its coordinators, PIs and admins)",
    args: { input: t.arg({ type: CreateAccountReceiptInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.receipts.create({ account: input.account }, input.cutoff, ctx.meta),
  }),
);

const SetAccountPiInput = builder.inputType('SetAccountPiInput', {
  fields: (t) => ({
    account: t.string({ required: true }),
    username: t.string({ required: true }),
    pi: t.boolean({ required: true, description: 'true names them PI; false ends it' }),
  }),
});

builder.mutationField('setAccountPi', (t) =>
  t.field({
    type: AccountRef,
    authScopes: { admin: true },
    description: 'Name a user the principal investigator of an account (or stop): they see and bill its jobs as a coordinator does',
    args: { input: t.arg({ type: SetAccountPiInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.accounts.setPi(input.account, input.username, input.pi, ctx.meta),
  }),
);

const SetAccountPricingTierInput = builder.inputType('SetAccountPricingTierInput', {
  fields: (t) => ({
    account: t.string({ required: true }),
    tier: t.field({ type: TierEnum, description: 'null: its members’ own tiers again' }),
  }),
});

builder.mutationField('setAccountPricingTier', (t) =>
  t.field({
    type: AccountRef,
    authScopes: { admin: true },
    description: 'Price the account’s jobs at a tier over its members’ own (or, with no tier, stop); billed jobs keep their receipts’ cost',
    args: { input: t.arg({ type: SetAccountPricingTierInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.accounts.setTier(input.account, input.tier ?? null, ctx.meta),
  }),
);
