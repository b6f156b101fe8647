import { builder } from '../builder.ts';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { mayReadReceipt, RECEIPT_SORTS, type ReceiptItemRow, type ReceiptRow } from '../billing/receipt-store.ts';
import { MAX_RECEIPTS_PAID } from '../billing/receipts.ts';
import type { rateHistory } from '../billing/rates.ts';
import { badInput, DomainError, notFound } from '../errors.ts';
import { type InvoiceSummary, invoiceSummary } from '../invoices/summary.ts';
import { pageSize } from './paging.ts';
import { SortDirectionEnum } from './usage.ts';
import { TierEnum } from './user.ts';

const ReceiptStatusEnum = builder.enumType('ReceiptStatus', { values: ['pending', 'paid'] as const });

const ReceiptItemRef = builder.objectRef<ReceiptItemRow>('ReceiptItem').implement({
  description: 'One billed job, with the hours and rate as they were when billed',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Page through a receipt’s items with `items(after: id)`' }),
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

const InvoiceSummaryRef = builder.objectRef<InvoiceSummary>('InvoiceSummary').implement({
  fields: (t) => ({
    title: t.exposeString('title'),
    number: t.exposeString('number'),
    issuedOn: t.exposeString('issuedOn', { description: 'The date in words, Buddhist era in Thai' }),
    centerName: t.string({ resolve: (i) => i.center.name }),
    centerAddress: t.string({ resolve: (i) => i.center.address }),
    centerTaxId: t.string({ resolve: (i) => i.center.taxId }),
    vatPercent: t.exposeString('vatPercent', { nullable: true }),
    subtotal: t.field({ type: 'Decimal', resolve: (i) => formatSatang(i.subtotalSatang) }),
    vat: t.field({ type: 'Decimal', resolve: (i) => formatSatang(i.vatSatang) }),
    total: t.field({ type: 'Decimal', resolve: (i) => formatSatang(i.totalSatang) }),
    totalInWords: t.exposeString('totalInWords'),
  }),
});

export const ReceiptRef = builder.objectRef<ReceiptRow>('Receipt').implement({
  description: 'Unbilled jobs of one user, or of one Slurm account’s members, up to a cut-off, priced at the rates in force when it was made',
  fields: (t) => ({
    id: t.exposeInt('id'),
    user: t.string({ nullable: true, description: 'The user billed; null on a receipt of a Slurm account', resolve: (r) => r.user?.username ?? null }),
    account: t.exposeString('account', { nullable: true, description: 'The Slurm account billed: all its members’ jobs' }),
    invoiceNumber: t.exposeString('invoiceNumber', { nullable: true, description: 'Its number on the printed invoice' }),
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
      description: 'In billing order, a page at a time: `after` is the id of the last item of the previous page',
      args: { first: t.arg.int({ defaultValue: 1000, description: 'at most 1000' }), after: t.arg.int() },
      resolve: (r, { first, after }, ctx) => ctx.services.receipts.items(r.id, pageSize('first', first, 1000, 1000), after),
    }),
    csvUrl: t.string({ resolve: (r) => `/export/receipts/${r.id}.csv` }),
    invoice: t.field({
      type: InvoiceSummaryRef,
      description: 'The receipt as an invoice (a receipt once paid): the center, the number, VAT and the total in words, as its PDF prints them',
      args: { lang: t.arg.string({ description: 'th or en; INVOICE_LOCALE by default' }) },
      resolve: (r, { lang }, ctx) => {
        const locale = lang ?? ctx.config.invoice.locale;
        if (locale !== 'th' && locale !== 'en') throw badInput(`lang must be th or en, got "${locale}"`);
        return invoiceSummary(r, ctx.config, locale);
      },
    }),
    viewerCanMarkPaid: t.boolean({ resolve: (r, _a, ctx) => ctx.viewer?.role === 'admin' && r.status === 'pending' }),
  }),
});

const ReceiptSortEnum = builder.enumType('ReceiptSort', {
  description: 'A column to order receipts by; ties go newest first',
  values: RECEIPT_SORTS,
});

const ReceiptOrderInput = builder.inputType('ReceiptOrder', {
  fields: (t) => ({
    by: t.field({ type: ReceiptSortEnum, required: true }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: 'DESC', required: true }),
  }),
});

const listArgs = (t: Parameters<Parameters<typeof builder.queryField>[1]>[0]) => ({
  first: t.arg.int({ defaultValue: 100, description: 'at most 500' }),
  beforeId: t.arg.int({ description: 'the next page of the newest-first order: receipts older than this id' }),
  orderBy: t.arg({ type: ReceiptOrderInput, description: 'Newest first unless given; page through it with `offset`' }),
  offset: t.arg.int({ description: 'Skip this many receipts of the order (the ones the previous pages showed)' }),
});

const ReceiptTotalsRef = builder.objectRef<{ count: number; totalSatang: bigint }>('ReceiptTotals').implement({
  description: 'How many receipts a list holds in all its pages, and what they add up to',
  fields: (t) => ({
    count: t.exposeInt('count'),
    total: t.field({ type: 'Decimal', resolve: (r) => formatSatang(r.totalSatang) }),
  }),
});

builder.queryField('myReceipts', (t) =>
  t.field({
    type: [ReceiptRef],
    authScopes: { loggedIn: true },
    description: "The viewer's receipts, newest first unless ordered",
    args: listArgs(t),
    resolve: (_root, { first, beforeId, orderBy, offset }, ctx) =>
      ctx.services.receipts.list({ userId: ctx.viewer!.id, first: pageSize('first', first, 100, 500), beforeId, order: orderBy, offset }),
  }),
);

builder.queryField('myReceiptTotals', (t) =>
  t.field({
    type: ReceiptTotalsRef,
    authScopes: { loggedIn: true },
    description: "The viewer's receipts (of one status, when given): how many, and their total",
    args: { status: t.arg({ type: ReceiptStatusEnum }) },
    resolve: (_root, { status }, ctx) => ctx.services.receipts.totals({ userId: ctx.viewer!.id, status }),
  }),
);

builder.queryField('receipt', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: { loggedIn: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const receipt = await ctx.services.receipts.find(id);
      if (!receipt) throw notFound(`no receipt ${id}`);
      const viewer = ctx.viewer!;
      if (!(await mayReadReceipt(viewer, receipt, () => ctx.loaders.managedAccounts.load(viewer.username)))) {
        throw new DomainError('FORBIDDEN', 'This receipt belongs to someone else');
      }
      return receipt;
    },
  }),
);

builder.queryField('receipts', (t) =>
  t.field({
    type: [ReceiptRef],
    authScopes: { staff: true },
    description: "Everyone's receipts, newest first unless ordered",
    args: { status: t.arg({ type: ReceiptStatusEnum }), user: t.arg.string(), account: t.arg.string({ description: 'Receipts made for this Slurm account' }), ...listArgs(t) },
    resolve: (_root, { status, user, account, first, beforeId, orderBy, offset }, ctx) =>
      ctx.services.receipts.list({ status, username: user, account, first: pageSize('first', first, 100, 500), beforeId, order: orderBy, offset }),
  }),
);

builder.queryField('receiptTotals', (t) =>
  t.field({
    type: ReceiptTotalsRef,
    authScopes: { staff: true },
    description: "Everyone's receipts (of one status, of one user, when given): how many, and their total",
    args: { status: t.arg({ type: ReceiptStatusEnum }), user: t.arg.string() },
    resolve: (_root, { status, user }, ctx) => ctx.services.receipts.totals({ status, username: user }),
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
    resolve: (_root, { input }, ctx) => ctx.services.receipts.create({ username: ctx.viewer!.username }, input.cutoff, ctx.meta),
  }),
);

builder.mutationField('markReceiptPaid', (t) =>
  t.field({
    type: ReceiptRef,
    authScopes: { admin: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.receipts.markPaid(id, ctx.meta),
  }),
);

builder.mutationField('markReceiptsPaid', (t) =>
  t.field({
    type: [ReceiptRef],
    authScopes: { admin: true },
    description: `Mark several pending receipts paid in one transaction, one audit entry each (at most ${MAX_RECEIPTS_PAID}); one unknown or already paid receipt refuses them all`,
    args: { ids: t.arg.intList({ required: true }) },
    resolve: (_root, { ids }, ctx) => ctx.services.receipts.markManyPaid(ids, ctx.meta),
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
    resolve: (_root, { tier, last }, ctx) => ctx.services.rates.history(tier ?? undefined, Math.min(Math.max(last ?? 50, 1), 500)),
  }),
);
