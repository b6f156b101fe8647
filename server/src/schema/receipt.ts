import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { formatSatang } from '../billing/money.ts';
import { createReceipt, markReceiptPaid, ReceiptError } from '../billing/receipts.ts';
import { rateHistory } from '../billing/rates.ts';
import type { Context } from '../context.ts';
import { TierEnum } from './user.ts';

const ReceiptStatusEnum = builder.enumType('ReceiptStatus', { values: ['pending', 'paid'] as const });

const receiptInclude = { user: { select: { username: true } }, _count: { select: { items: true } } } as const;
type ReceiptRow = Awaited<ReturnType<typeof findReceipt>> & {};

const findReceipt = (ctx: Context, id: number) => ctx.db.receipt.findUnique({ where: { id }, include: receiptInclude });

function toGraphQLError(error: unknown): never {
  if (error instanceof ReceiptError) {
    throw new GraphQLError(error.message, { extensions: { code: error.code } });
  }
  throw error;
}

const ReceiptItemRef = builder
  .objectRef<Awaited<ReturnType<Context['db']['receiptItem']['findFirstOrThrow']>>>('ReceiptItem')
  .implement({
    description: "One billed job, with the hours and rate as they were when billed",
    fields: (t) => ({
      billingKey: t.exposeString('billingKey'),
      cluster: t.exposeString('cluster'),
      jobId: t.exposeString('jobId'),
      jobName: t.exposeString('jobName', { nullable: true }),
      account: t.exposeString('account', { nullable: true }),
      partition: t.exposeString('partition', { nullable: true }),
      state: t.exposeString('state'),
      end: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.end }),
      elapsedSeconds: t.exposeInt('elapsedSeconds'),
      cpuHours: t.exposeFloat('cpuHours'),
      gpuHours: t.exposeFloat('gpuHours'),
      memGBHours: t.exposeFloat('memGBHours'),
      cpuPerHour: t.field({ type: 'Decimal', resolve: (i) => i.cpuPerHour }),
      gpuPerHour: t.field({ type: 'Decimal', resolve: (i) => i.gpuPerHour }),
      memGBPerHour: t.field({ type: 'Decimal', resolve: (i) => i.memGBPerHour }),
      cost: t.field({ type: 'Decimal', resolve: (i) => formatSatang(i.costSatang) }),
    }),
  });

export const ReceiptRef = builder.objectRef<ReceiptRow>('Receipt').implement({
  description: 'Unbilled jobs of one user up to a cut-off, priced at the rate in force when it was made',
  fields: (t) => ({
    id: t.exposeInt('id'),
    user: t.string({ resolve: (r) => r.user.username }),
    tier: t.field({ type: TierEnum, resolve: (r) => r.tier as 'mu' }),
    cutoff: t.field({ type: 'DateTime', resolve: (r) => r.cutoff }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    createdBy: t.exposeString('createdBy'),
    total: t.field({ type: 'Decimal', description: 'Sum of the items’ costs', resolve: (r) => formatSatang(r.totalSatang) }),
    status: t.field({ type: ReceiptStatusEnum, resolve: (r) => r.status as 'pending' }),
    paidAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.paidAt }),
    paidBy: t.exposeString('paidBy', { nullable: true }),
    itemCount: t.int({ resolve: (r) => r._count.items }),
    items: t.field({
      type: [ReceiptItemRef],
      resolve: (r, _a, ctx) => ctx.db.receiptItem.findMany({ where: { receiptId: r.id }, orderBy: [{ end: 'asc' }, { id: 'asc' }] }),
    }),
    csvUrl: t.string({ resolve: (r) => `/export/receipts/${r.id}.csv` }),
    viewerCanMarkPaid: t.boolean({ resolve: (r, _a, ctx) => ctx.viewer?.role === 'admin' && r.status === 'pending' }),
  }),
});

builder.queryField('myReceipts', (t) =>
  t.field({
    type: [ReceiptRef],
    authScopes: { loggedIn: true },
    resolve: (_root, _args, ctx) =>
      ctx.db.receipt.findMany({ where: { userId: ctx.viewer!.id }, include: receiptInclude, orderBy: { id: 'desc' } }),
  }),
);

builder.queryField('receipt', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: { loggedIn: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const receipt = await findReceipt(ctx, id);
      if (!receipt) throw new GraphQLError(`no receipt ${id}`, { extensions: { code: 'NOT_FOUND' } });
      const viewer = ctx.viewer!;
      if (viewer.role === 'user' && receipt.userId !== viewer.id) {
        throw new GraphQLError('This receipt belongs to someone else', { extensions: { code: 'FORBIDDEN' } });
      }
      return receipt;
    },
  }),
);

builder.queryField('receipts', (t) =>
  t.field({
    type: [ReceiptRef],
    authScopes: { staff: true },
    description: "Everyone's receipts, newest first",
    args: { status: t.arg({ type: ReceiptStatusEnum }), user: t.arg.string() },
    resolve: (_root, { status, user }, ctx) =>
      ctx.db.receipt.findMany({
        where: { status: status ?? undefined, user: user ? { username: user } : undefined },
        include: receiptInclude,
        orderBy: { id: 'desc' },
      }),
  }),
);

const CreateReceiptInput = builder.inputType('CreateReceiptInput', {
  fields: (t) => ({
    cutoff: t.field({ type: 'DateTime', required: true, description: 'Bill jobs that ended before this instant' }),
  }),
});

builder.mutationField('createReceipt', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: { loggedIn: true },
    description: "Bill the viewer's finished, unbilled jobs up to the cut-off",
    args: { input: t.arg({ type: CreateReceiptInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      try {
        const r = await createReceipt(ctx.db, ctx.viewer!.username, input.cutoff, ctx.meta);
        return (await findReceipt(ctx, r.id))!;
      } catch (error) {
        toGraphQLError(error);
      }
    },
  }),
);

builder.mutationField('markReceiptPaid', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: { admin: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      try {
        await markReceiptPaid(ctx.db, id, ctx.meta);
        return (await findReceipt(ctx, id))!;
      } catch (error) {
        toGraphQLError(error);
      }
    },
  }),
);

const RateChangeRef = builder
  .objectRef<Awaited<ReturnType<typeof rateHistory>>[number]>('RateChange')
  .implement({
    description: 'One change of a tier’s rates',
    fields: (t) => ({
      id: t.exposeInt('id'),
      tier: t.field({ type: TierEnum, resolve: (h) => h.tier as 'mu' }),
      changedAt: t.field({ type: 'DateTime', resolve: (h) => h.changedAt }),
      changedBy: t.exposeString('changedBy'),
      oldCpuPerHour: t.field({ type: 'Decimal', nullable: true, resolve: (h) => h.oldCpu }),
      oldGpuPerHour: t.field({ type: 'Decimal', nullable: true, resolve: (h) => h.oldGpu }),
      oldMemGBPerHour: t.field({ type: 'Decimal', nullable: true, resolve: (h) => h.oldMem }),
      cpuPerHour: t.field({ type: 'Decimal', resolve: (h) => h.newCpu }),
      gpuPerHour: t.field({ type: 'Decimal', resolve: (h) => h.newGpu }),
      memGBPerHour: t.field({ type: 'Decimal', resolve: (h) => h.newMem }),
    }),
  });

builder.queryField('rateHistory', (t) =>
  t.field({
    type: [RateChangeRef],
    authScopes: { staff: true },
    args: { tier: t.arg({ type: TierEnum }), last: t.arg.int({ defaultValue: 50 }) },
    resolve: (_root, { tier, last }, ctx) => rateHistory(ctx.db, tier ?? undefined, Math.min(Math.max(last ?? 50, 1), 500)),
  }),
);
