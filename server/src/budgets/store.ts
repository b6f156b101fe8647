import { parseRate } from '@hpc-accounting/pricing/money';
import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { badInput, notFound } from '../errors.ts';
import {
  BUDGET_PERIOD_KINDS,
  type BudgetPeriod,
  type BudgetPeriodKind,
  type BudgetProjection,
  budgetAlertMessage,
  crossedThresholds,
  type DailySpend,
  parseThresholds,
  periodOf,
  projectBudget,
} from './budget.ts';

export interface BudgetInput {
  account: string;
  period: string;
  /** THB as decimal text, e.g. "500000" or "12500.50" */
  limit: string;
  thresholds?: readonly number[] | null;
  notifyEmails?: readonly string[] | null;
}

export type BudgetRow = NonNullable<Awaited<ReturnType<Db['budget']['findUnique']>>>;

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

/** The limit in satang from THB text: exact, at most two decimals, above zero. */
export function limitSatangOf(text: string): bigint {
  let micros: bigint;
  try {
    micros = parseRate(text.trim(), 'limit');
  } catch {
    throw badInput(`the budget limit must be an amount in THB such as "500000" or "12500.50", got "${text}"`);
  }
  if (micros % 10_000n !== 0n) throw badInput(`the budget limit has more than two decimals: "${text}"`);
  const satang = micros / 10_000n;
  if (satang <= 0n) throw badInput(`the budget limit must be above zero, got "${text}"`);
  return satang;
}

/** Sets an account's budget for one kind of period (a year, a quarter, a month), creating or replacing it; audited. */
export async function setBudget(db: Db, input: BudgetInput, meta: RequestMeta) {
  if (!(BUDGET_PERIOD_KINDS as readonly string[]).includes(input.period)) {
    throw badInput(`unknown budget period "${input.period}" (known: ${BUDGET_PERIOD_KINDS.join(', ')})`);
  }
  const limitSatang = limitSatangOf(input.limit);
  let thresholds: number[];
  try {
    thresholds = parseThresholds(input.thresholds ?? null);
  } catch (error) {
    throw badInput((error as Error).message);
  }
  const emails = (input.notifyEmails ?? []).map((e) => e.trim()).filter(Boolean);
  const bad = emails.find((e) => !EMAIL.test(e));
  if (bad) throw badInput(`"${bad}" is not an e-mail address`);
  return db.$transaction(async (tx) => {
    if (!(await tx.slurmAccount.findUnique({ where: { name: input.account } }))) throw notFound(`no Slurm account "${input.account}"`);
    const data = { limitSatang, thresholds: JSON.stringify(thresholds), notifyEmails: emails.join(','), updatedAt: new Date() };
    const budget = await tx.budget.upsert({
      where: { account_period: { account: input.account, period: input.period } },
      create: { account: input.account, period: input.period, createdBy: meta.actor ?? 'system', ...data },
      update: data,
    });
    await recordAudit(
      tx,
      { action: 'budget.set', target: input.account, extra: { period: input.period, limitSatang: limitSatang.toString(), thresholds, notifyEmails: emails.length } },
      meta,
    );
    return budget;
  });
}

export async function deleteBudget(db: Db, id: number, meta: RequestMeta) {
  return db.$transaction(async (tx) => {
    const budget = await tx.budget.findUnique({ where: { id } });
    if (!budget) throw notFound(`no budget ${id}`);
    await tx.budget.delete({ where: { id } });
    await recordAudit(tx, { action: 'budget.delete', target: budget.account, extra: { period: budget.period, limitSatang: budget.limitSatang.toString() } }, meta);
    return budget;
  });
}

export const budgetsOf = (db: Db, account?: string | null) =>
  db.budget.findMany({ where: { account: account ?? undefined }, orderBy: [{ account: 'asc' }, { period: 'asc' }] });

export const alertsOf = (db: Db, budgetId: number, periodStart?: Date) =>
  db.budgetAlert.findMany({ where: { budgetId, periodStart }, orderBy: [{ periodStart: 'desc' }, { threshold: 'asc' }] });

/** What an account has spent in a window, and per local day: the ledger's cost (billed as billed, the rest at today's rates). */
export type SpendReader = (account: string, period: BudgetPeriod) => Promise<{ totalSatang: bigint; daily: DailySpend[] }>;

export interface BudgetStatus {
  budget: BudgetRow;
  period: BudgetPeriod;
  thresholds: number[];
  projection: BudgetProjection;
}

export async function budgetStatus(budget: BudgetRow, spend: SpendReader, opts: { now: Date; timeZone: string; fiscalYearStartMonth: number }): Promise<BudgetStatus> {
  const period = periodOf(opts.now, budget.period as BudgetPeriodKind, { timeZone: opts.timeZone, fiscalYearStartMonth: opts.fiscalYearStartMonth });
  const { daily } = await spend(budget.account, period);
  const projection = projectBudget({ period, limitSatang: budget.limitSatang, dailySpend: daily, now: opts.now });
  return { budget, period, thresholds: JSON.parse(budget.thresholds) as number[], projection };
}

export interface AlertChannels {
  webhook?: (event: string, payload: Record<string, unknown>) => Promise<{ delivered: boolean; status: number | null; attempts: number; error?: string }>;
  mail?: (to: string[], message: { subject: string; text: string; html: string }) => Promise<string>;
  locale: 'en' | 'th';
}

export interface Delivery {
  channel: 'webhook' | 'email';
  delivered: boolean;
  status?: number | null;
  error?: string;
}

/**
 * Sends the alerts of every threshold the current period's spending has reached and that was not sent before. Each
 * alert is first claimed by inserting its UNIQUE (budget, period, threshold) row, so two replicas or two syncs racing
 * send it once; then it goes to the webhook and by e-mail, and what each channel answered is stored and audited.
 */
export async function checkBudgets(
  db: Db,
  spend: SpendReader,
  channels: AlertChannels,
  opts: { now: Date; timeZone: string; fiscalYearStartMonth: number; meta: RequestMeta },
) {
  const sent: Array<{ budgetId: number; threshold: number; deliveries: Delivery[] }> = [];
  for (const budget of await budgetsOf(db)) {
    const status = await budgetStatus(budget, spend, opts);
    const already = await db.budgetAlert.findMany({ where: { budgetId: budget.id, periodStart: status.period.start }, select: { threshold: true } });
    const crossed = crossedThresholds({
      limitSatang: budget.limitSatang,
      spentBeforeSatang: 0n,
      spentAfterSatang: status.projection.spentSatang,
      thresholds: status.thresholds,
      alreadySent: already.map((a) => a.threshold),
    });
    for (const threshold of crossed) {
      try {
        await db.budgetAlert.create({ data: { budgetId: budget.id, periodStart: status.period.start, threshold, spentSatang: status.projection.spentSatang } });
      } catch (error) {
        if (dialect.isUniqueViolation(error)) continue; // another process claimed it first
        throw error;
      }
      const deliveries = await deliver(budget, status, threshold, channels, opts.timeZone);
      await db.$transaction(async (tx) => {
        await tx.budgetAlert.update({
          where: { budgetId_periodStart_threshold: { budgetId: budget.id, periodStart: status.period.start, threshold } },
          data: { deliveries: JSON.stringify(deliveries) },
        });
        await recordAudit(
          tx,
          {
            action: 'budget.alert',
            target: budget.account,
            extra: { budgetId: budget.id, periodStart: status.period.start.toISOString(), threshold, spentSatang: status.projection.spentSatang.toString(), deliveries },
          },
          opts.meta,
          deliveries.every((d) => d.delivered) ? 'ok' : 'failed',
        );
      });
      sent.push({ budgetId: budget.id, threshold, deliveries });
    }
  }
  return sent;
}

async function deliver(budget: BudgetRow, status: BudgetStatus, threshold: number, channels: AlertChannels, timeZone: string): Promise<Delivery[]> {
  const out: Delivery[] = [];
  const alert = {
    account: budget.account,
    periodLabel: status.period.label,
    threshold,
    spentSatang: status.projection.spentSatang,
    limitSatang: budget.limitSatang,
    projectedExhaustion: status.projection.projectedExhaustion,
    timeZone,
  };
  if (channels.webhook) {
    const r = await channels.webhook('budget.threshold', {
      account: budget.account,
      budgetId: budget.id,
      period: budget.period,
      periodLabel: status.period.label,
      periodStart: status.period.start.toISOString(),
      periodEnd: status.period.end.toISOString(),
      threshold,
      spent: status.projection.spentSatang,
      limit: budget.limitSatang,
      currency: 'THB',
      unit: 'satang',
      projectedExhaustion: status.projection.projectedExhaustion?.toISOString() ?? null,
    });
    out.push({ channel: 'webhook', delivered: r.delivered, status: r.status, ...(r.error ? { error: r.error } : {}) });
  }
  const to = budget.notifyEmails.split(',').filter(Boolean);
  if (channels.mail && to.length > 0) {
    try {
      await channels.mail(to, budgetAlertMessage(alert, channels.locale));
      out.push({ channel: 'email', delivered: true });
    } catch (error) {
      out.push({ channel: 'email', delivered: false, error: (error as Error).message });
    }
  }
  return out;
}
