import { formatSatang } from '@hpc-accounting/pricing/money';
import { builder } from '../builder.ts';
import type { BurnDownPoint } from '../budgets/budget.ts';
import type { BudgetRow, BudgetStatus } from '../budgets/store.ts';
import { AccountRef } from './account.ts';
import { LEDGER_SCAN_COST } from './usage.ts';

const BudgetPeriodEnum = builder.enumType('BudgetPeriod', { values: ['year', 'quarter', 'month'] as const });

const BurnDownPointRef = builder.objectRef<BurnDownPoint>('BudgetBurnDownPoint').implement({
  description: 'One local day of a budget period: spent that day, spent so far, and what is left',
  fields: (t) => ({
    day: t.field({ type: 'DateTime', resolve: (p) => p.day }),
    spent: t.field({ type: 'Decimal', resolve: (p) => formatSatang(p.spentSatang) }),
    cumulative: t.field({ type: 'Decimal', resolve: (p) => formatSatang(p.cumulativeSatang) }),
    remaining: t.field({ type: 'Decimal', resolve: (p) => formatSatang(p.remainingSatang) }),
  }),
});

const BudgetStatusRef = builder.objectRef<BudgetStatus>('BudgetStatus').implement({
  description: 'A budget in its current period: spending (billed as billed, the rest at today’s rates) and where it is heading',
  fields: (t) => ({
    label: t.string({ description: 'e.g. 2026, FY2027, 2026-Q4, 2026-12', resolve: (s) => s.period.label }),
    start: t.field({ type: 'DateTime', resolve: (s) => s.period.start }),
    end: t.field({ type: 'DateTime', resolve: (s) => s.period.end }),
    spent: t.field({ type: 'Decimal', resolve: (s) => formatSatang(s.projection.spentSatang) }),
    remaining: t.field({ type: 'Decimal', description: 'Negative once the limit is passed', resolve: (s) => formatSatang(s.projection.remainingSatang) }),
    percentUsed: t.float({ resolve: (s) => Number((s.projection.spentSatang * 10_000n) / s.budget.limitSatang) / 100 }),
    averageDaily: t.field({ type: 'Decimal', description: 'Mean spending per elapsed day', resolve: (s) => formatSatang(s.projection.averageDailySatang) }),
    projectedSpend: t.field({ type: 'Decimal', description: 'At the mean daily rate, the spending by the period’s end', resolve: (s) => formatSatang(s.projection.projectedSpendSatang) }),
    projectedExhaustion: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The day the limit is (or was) reached at the mean daily rate; null when it lasts the period',
      resolve: (s) => s.projection.projectedExhaustion,
    }),
    elapsedDays: t.int({ resolve: (s) => s.projection.elapsedDays }),
    totalDays: t.int({ resolve: (s) => s.projection.totalDays }),
    burnDown: t.field({ type: [BurnDownPointRef], resolve: (s) => s.projection.points }),
  }),
});

interface AlertShape {
  id: number;
  periodStart: Date;
  threshold: number;
  spentSatang: bigint;
  createdAt: Date;
  deliveries: string;
}

const DeliveryRef = builder
  .objectRef<{ channel: string; delivered: boolean; status?: number | null; error?: string }>('AlertDelivery')
  .implement({
    fields: (t) => ({
      channel: t.exposeString('channel', { description: 'webhook or email' }),
      delivered: t.exposeBoolean('delivered'),
      status: t.int({ nullable: true, description: 'The webhook receiver’s HTTP status', resolve: (d) => d.status ?? null }),
      error: t.string({ nullable: true, resolve: (d) => d.error ?? null }),
    }),
  });

const BudgetAlertRef = builder.objectRef<AlertShape>('BudgetAlert').implement({
  description: 'One threshold alert, sent once in its period',
  fields: (t) => ({
    id: t.exposeInt('id'),
    periodStart: t.field({ type: 'DateTime', resolve: (a) => a.periodStart }),
    threshold: t.exposeInt('threshold', { description: 'Percent of the limit' }),
    spent: t.field({ type: 'Decimal', description: 'Spending when it was sent', resolve: (a) => formatSatang(a.spentSatang) }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
    deliveries: t.field({ type: [DeliveryRef], authScopes: { staff: true }, resolve: (a) => JSON.parse(a.deliveries) }),
  }),
});

export const BudgetRef = builder.objectRef<BudgetRow>('Budget').implement({
  description: 'A spending limit of an account for each period of a kind, with the thresholds that send alerts',
  fields: (t) => ({
    id: t.exposeInt('id'),
    account: t.exposeString('account'),
    period: t.field({ type: BudgetPeriodEnum, resolve: (b) => b.period as 'year' }),
    limit: t.field({ type: 'Decimal', resolve: (b) => formatSatang(b.limitSatang) }),
    thresholds: t.intList({ resolve: (b) => JSON.parse(b.thresholds) as number[] }),
    notifyEmails: t.stringList({
      authScopes: (b) => ({ managerOf: b.account }),
      resolve: (b) => b.notifyEmails.split(',').filter(Boolean),
    }),
    current: t.field({
      type: BudgetStatusRef,
      extensions: { cost: LEDGER_SCAN_COST },
      description: 'The period running now',
      resolve: (b, _args, ctx) => ctx.services.budgets.status(b),
    }),
    alerts: t.field({
      type: [BudgetAlertRef],
      description: 'The alerts sent, newest period first',
      resolve: (b, _args, ctx) => ctx.services.budgets.alerts(b.id),
    }),
  }),
});

builder.objectField(AccountRef, 'budgets', (t) =>
  t.field({
    type: [BudgetRef],
    authScopes: (a) => ({ managerOf: a.name }),
    description: 'Its budgets, one per kind of period',
    resolve: (a, _args, ctx) => ctx.services.budgets.list(a.name),
  }),
);

builder.queryField('budgets', (t) =>
  t.field({
    type: [BudgetRef],
    authScopes: { staff: true },
    description: 'Every account’s budgets',
    resolve: (_root, _args, ctx) => ctx.services.budgets.list(null),
  }),
);

const SetBudgetInput = builder.inputType('SetBudgetInput', {
  fields: (t) => ({
    account: t.string({ required: true }),
    period: t.field({ type: BudgetPeriodEnum, required: true }),
    limit: t.field({ type: 'Decimal', required: true, description: 'THB per period, e.g. "500000"' }),
    thresholds: t.intList({ description: 'Percents that send an alert, e.g. [50, 80, 100] (the default)' }),
    notifyEmails: t.stringList({ description: 'Who gets the alerts by e-mail (the webhook is the installation’s)' }),
  }),
});

builder.mutationField('setBudget', (t) =>
  t.field({
    type: BudgetRef,
    authScopes: { admin: true },
    description: 'Set an account’s budget for a kind of period, replacing the one it had',
    args: { input: t.arg({ type: SetBudgetInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.budgets.set(input, ctx.meta),
  }),
);

builder.mutationField('deleteBudget', (t) =>
  t.field({
    type: BudgetRef,
    authScopes: { admin: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.budgets.delete(id, ctx.meta),
  }),
);

const SentAlertRef = builder.objectRef<{ budgetId: number; threshold: number; deliveries: Array<{ channel: string; delivered: boolean }> }>('SentBudgetAlert').implement({
  fields: (t) => ({
    budgetId: t.exposeInt('budgetId'),
    threshold: t.exposeInt('threshold'),
    deliveries: t.field({ type: [DeliveryRef], resolve: (a) => a.deliveries }),
  }),
});

builder.mutationField('checkBudgets', (t) =>
  t.field({
    type: [SentAlertRef],
    authScopes: { admin: true },
    description: 'Send the alerts that spending now reaches (every sync does this too); each alert is sent once per period',
    resolve: (_root, _args, ctx) => ctx.services.budgets.check(ctx.meta),
  }),
);
