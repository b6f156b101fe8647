import { accountMembers, applyAssociations, findAccount, listAccounts, memberAccounts, setAccountPricingTier, setPrincipalInvestigator } from './accounts/store.ts';
import type { AssociationSnapshot } from './accounts/membership.ts';
import { associationsFromConfig, restdOptionsOf } from './accounts/source.ts';
import { alertChannels } from './budgets/channels.ts';
import { nextInvoiceNumber } from './invoices/counter.ts';
import { reconcile } from './reconcile/compare.ts';
import { ledgerHoursInWindow } from './reconcile/store.ts';
import { zonedInstant } from './rollups/calendar.ts';
import { accountTotals, fetchSreport } from './slurm/sreport.ts';
import { SlurmSourceError } from './slurm/types.ts';
import { alertsOf, type BudgetInput, type BudgetRow, budgetStatus, budgetsOf, checkBudgets, deleteBudget, setBudget, type SpendReader } from './budgets/store.ts';
import { type AuditFilter, auditEntries, verifyAuditChain, type RequestMeta, systemMeta } from './audit/recorder.ts';
import { invalidateSession, hashToken, type SessionViewer } from './auth/sessions.ts';
import { createApiToken, credentialAlive, listApiTokens, revokeApiToken } from './auth/tokens.ts';
import { findReceipt, listReceipts, type ReceiptListFilter, receiptItems, receiptTotals } from './billing/receipt-store.ts';
import { createReceipt, markReceiptPaid, markReceiptsPaid, type ReceiptOwner } from './billing/receipts.ts';
import { applyDueRateRules, createRateRule, deleteRateRule, listRateRules, type RateRuleInput } from './billing/rate-rule-store.ts';
import { getRate, previewRate, rateHistory, type RateUpdate, updateRate } from './billing/rates.ts';
import { recordAudit } from './audit/recorder.ts';
import type { ClusterConfig, Config } from './config.ts';
import type { Db } from './db/client.ts';
import { badInput, DomainError } from './errors.ts';
import { latestSync, type SyncCluster, syncJobs } from './jobs/sync.ts';
import { inProcessSyncLock, type SyncLock } from './jobs/sync-lock.ts';
import { clusterSyncStatus, listSyncRuns, type SyncRunFilter } from './jobs/sync-runs.ts';
import { progressEvents } from './jobs/sync-progress.ts';
import type { Observer } from './observe.ts';
import type { Credential, LedgerChange, PubSub } from './pubsub.ts';
import { type SeriesQuery, usageSeries } from './rollups/series.ts';
import { sourcesFromConfig } from './slurm/cascade.ts';
import { listUsers } from './users/directory.ts';
import type { UserFilter } from './users/store.ts';
import { previewTier, setTier, type TierTarget } from './users/tiers.ts';

export interface ServiceDeps {
  db: Db;
  config: Config;
  pubsub: PubSub;
  /** The scheduler's lock, so an admin's run and a scheduled round (on any replica) never overlap. */
  syncLock?: SyncLock;
  observer?: Observer;
  /** Where the accounts sync reads Slurm's accounts and associations (by default the first cluster's sacctmgr or slurmrestd). */
  associations?: () => Promise<AssociationSnapshot>;
}

function sourcesOf(cluster: ClusterConfig) {
  const { sacct, csvPath, order, timeoutMs } = cluster.sources;
  return sourcesFromConfig({
    order,
    cluster: cluster.name,
    csv: csvPath ? { path: csvPath } : null,
    sacct: sacct ? { sacctPath: sacct.path, allUsers: sacct.allUsers, timeoutMs } : null,
    restd: restdOptionsOf(cluster),
  });
}

/**
 * What the server builds once and hands to every request: the use cases resolvers and routes
 * call. Each binds the database and publishes its events after its transaction has committed,
 * so subscribers never see a change that was rolled back.
 */
export function createServices({ db, config, pubsub, syncLock = inProcessSyncLock(), observer, associations }: ServiceDeps) {
  const clusters: SyncCluster[] = config.clusters.map((c) => ({ name: c.name, sources: sourcesOf(c), timeoutMs: c.sources.timeoutMs }));
  /** The clusters a sync asks for: the one named, or all of them. */
  const pick = (name?: string | null) => {
    if (!name) return clusters;
    const found = clusters.filter((c) => c.name === name);
    if (found.length === 0) throw badInput(`no cluster "${name}" is configured (configured: ${clusters.map((c) => c.name).join(', ')})`);
    return found;
  };
  const channels = alertChannels(config);
  /** An account's spending in a budget period, per local day of the center's zone, from the rollups. */
  const spend: SpendReader = async (account, period) => {
    const rows = await usageSeries(db, {
      from: period.start,
      to: period.end,
      bucket: 'DAY',
      timeZone: period.timeZone,
      groupBy: [],
      filter: { account },
      fillZeros: false,
      maxRows: 400,
    });
    const daily = rows.map((r) => ({ day: r.time, satang: r.costSatang }));
    return { totalSatang: daily.reduce((s, d) => s + d.satang, 0n), daily };
  };
  const budgets = {
    list: (account?: string | null) => budgetsOf(db, account),
    set: (input: BudgetInput, meta: RequestMeta) => setBudget(db, input, meta),
    delete: (id: number, meta: RequestMeta) => deleteBudget(db, id, meta),
    alerts: (budgetId: number, periodStart?: Date) => alertsOf(db, budgetId, periodStart),
    status: (budget: BudgetRow, now = new Date()) =>
      budgetStatus(budget, spend, { now, timeZone: config.timeZone, fiscalYearStartMonth: config.budgets.fiscalYearStartMonth }),
    /** Sends the alerts the spending now reaches; called after every sync. */
    check: (meta: RequestMeta, now = new Date()) =>
      checkBudgets(db, spend, channels, { now, timeZone: config.timeZone, fiscalYearStartMonth: config.budgets.fiscalYearStartMonth, meta }),
    close: () => channels.close(),
  };
  const ledgerChanged = (reason: LedgerChange['reason']) => pubsub.publish('ledgerChanged', { reason });
  /** Publishes once the write has committed, and not when it threw. */
  const changed = async <T>(reason: LedgerChange['reason'], write: Promise<T>) => {
    const done = await write;
    ledgerChanged(reason);
    return done;
  };
  return {
    clusters,
    pickClusters: pick,
    series: (q: SeriesQuery) => usageSeries(db, q),
    credentialAlive: (credential: Pick<Credential, 'kind' | 'id'>) => credentialAlive(db, credential),
    rates: {
      get: (tier: string) => getRate(db, tier),
      history: (tier: string | undefined, last: number) => rateHistory(db, tier, last),
      preview: (input: RateUpdate) => previewRate(db, input, config.auth.defaultTier),
      rules: (tier?: string | null) => listRateRules(db, tier),
      async createRule(input: RateRuleInput, meta: RequestMeta) {
        const rule = await createRateRule(db, input, meta, config.auth.defaultTier, new Date(), (rate) => pubsub.publish('rateChanged', rate));
        if (rule.appliedAt) ledgerChanged('rate');
        return rule;
      },
      async deleteRule(id: number, meta: RequestMeta) {
        const rule = await deleteRateRule(db, id, meta, config.auth.defaultTier);
        if (rule.appliedAt) ledgerChanged('rate');
        return rule;
      },
      /** Puts scheduled rules in force when their date has come; every sync round calls it. */
      async applyDue(meta: RequestMeta, now = new Date()) {
        const applied = await applyDueRateRules(db, meta, config.auth.defaultTier, now, (rate) => pubsub.publish('rateChanged', rate));
        if (applied.length) ledgerChanged('rate');
        return applied;
      },
      async update(input: RateUpdate, meta: RequestMeta) {
        const rate = await updateRate(db, input, meta, config.auth.defaultTier);
        pubsub.publish('rateChanged', rate);
        ledgerChanged('rate');
        return rate;
      },
    },
    receipts: {
      find: (id: number) => findReceipt(db, id),
      list: (filter: ReceiptListFilter) => listReceipts(db, filter),
      totals: (filter: Pick<ReceiptListFilter, 'userId' | 'username' | 'status' | 'account'>) => receiptTotals(db, filter),
      items: (receiptId: number, first: number, afterId?: number | null) => receiptItems(db, receiptId, first, afterId),
      async create(owner: ReceiptOwner, cutoff: Date, meta: RequestMeta) {
        const r = await createReceipt(db, owner, cutoff, meta, {
          defaultTier: config.auth.defaultTier,
          invoiceNumber: (tx, at) => nextInvoiceNumber(tx, config.invoice.numberPattern, at, config.timeZone),
        });
        ledgerChanged('receipt');
        observer?.receipts?.('created', 1);
        return (await findReceipt(db, r.id))!;
      },
      async markPaid(id: number, meta: RequestMeta) {
        await markReceiptPaid(db, id, meta);
        ledgerChanged('receipt');
        observer?.receipts?.('paid', 1);
        return (await findReceipt(db, id))!;
      },
      async markManyPaid(ids: readonly number[], meta: RequestMeta) {
        await markReceiptsPaid(db, ids, meta);
        ledgerChanged('receipt');
        observer?.receipts?.('paid', ids.length);
        return Promise.all(ids.map(async (id) => (await findReceipt(db, id))!));
      },
    },
    accounts: {
      list: (names: readonly string[] | null, search?: string | null) => listAccounts(db, names, search),
      find: (name: string) => findAccount(db, name),
      members: (account: string, history: boolean) => accountMembers(db, account, history),
      memberOf: (username: string) => memberAccounts(db, username),
      async sync(meta: RequestMeta) {
        const read = associations ?? associationsFromConfig(config);
        const snapshot = await read();
        return applyAssociations(db, snapshot, meta);
      },
      setPi: (account: string, username: string, on: boolean, meta: RequestMeta) => setPrincipalInvestigator(db, account, username, on, meta),
      setTier: (account: string, tier: string | null, meta: RequestMeta) => changed('tier', setAccountPricingTier(db, account, tier, meta, config.auth.defaultTier)),
    },
    budgets,
    /**
     * A month of one cluster (the center's calendar month; `month` as YYYY-MM): the ledger's hours per account against
     * Slurm's sreport over the same whole hours.
     */
    async reconcile(month: string, cluster?: string | null) {
      const name = pick(cluster)[0]!.name;
      const m = /^(\d{4})-(\d{2})$/.exec(month);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw badInput(`month must be YYYY-MM, e.g. 2026-10, got "${month}"`);
      const [year, mon] = [Number(m[1]), Number(m[2])];
      const start = new Date(zonedInstant(year, mon, 1, 0, config.timeZone));
      const end = new Date(zonedInstant(mon === 12 ? year + 1 : year, mon === 12 ? 1 : mon + 1, 1, 0, config.timeZone));
      let report;
      try {
        report = await fetchSreport({ sreportPath: config.sreport.path, timeoutMs: config.sreport.timeoutMs, cluster: name, from: start, to: end, unit: 'seconds' });
      } catch (error) {
        if (error instanceof SlurmSourceError) throw new DomainError('SLURM_UNAVAILABLE', `sreport could not be run: ${error.message}`);
        throw error;
      }
      const ledger = await ledgerHoursInWindow(db, name, report.from, report.to);
      return { cluster: name, month, from: report.from, to: report.to, rows: reconcile(ledger, accountTotals(report.rows, { own: true })), tolerance: 0.001 };
    },
    users: {
      list: (filter: UserFilter, first: number, after?: string | null) => listUsers(db, filter, first, after, config.auth.defaultTier),
      preview: (target: TierTarget, tier: string) => previewTier(db, target, tier, config.auth.defaultTier),
      setUserTier: (username: string, tier: string, meta: RequestMeta) => changed('tier', setTier(db, { username }, tier, meta, config.auth.defaultTier)),
      setAccountTier: (account: string, tier: string, meta: RequestMeta) => changed('tier', setTier(db, { account }, tier, meta, config.auth.defaultTier)),
    },
    tokens: {
      listOf: (userId: number, first: number) => listApiTokens(db, userId, first),
      create: (viewer: SessionViewer, name: string, expiresInDays: number | null, meta: RequestMeta) =>
        createApiToken(db, viewer, name, expiresInDays, meta),
      async revoke(viewer: SessionViewer, id: number, meta: RequestMeta) {
        const token = await revokeApiToken(db, viewer, id, meta);
        pubsub.publish('credentialEnded', { kind: 'token', id: token.tokenHash });
        return token;
      },
    },
    sessions: {
      /** Ends a session: the row, an audit entry for the viewer, and every subscription opened with it. */
      async logout(token: string, viewer: SessionViewer | null, meta: RequestMeta) {
        await invalidateSession(db, token);
        if (viewer) await recordAudit(db, { action: 'auth.logout', target: viewer.username }, meta);
        pubsub.publish('credentialEnded', { kind: 'session', id: hashToken(token) });
      },
    },
    audit: {
      entries: (filter: AuditFilter, first: number, beforeId?: number | null) => auditEntries(db, filter, first, beforeId),
      verify: () => verifyAuditChain(db),
    },
    sync: {
      /**
       * One run per cluster asked (all of them by default), one after the other: a cluster whose sources fail has its
       * failed run in the answer and the others still run; only when every run failed is the answer that error.
       */
      async run(from: Date, to: Date, meta: RequestMeta, cluster?: string | null) {
        const picked = pick(cluster);
        const lease = await syncLock.tryAcquire();
        if (!lease) throw new DomainError('SYNC_BUSY', 'another sync is running (the scheduled one or another admin’s): try again when it has finished');
        try {
          return await runUnder(picked, from, to, meta);
        } finally {
          // A failed run may still have stored the chunks before its failure.
          ledgerChanged('sync');
          await budgets.check(systemMeta('sync')).catch(() => undefined);
          await lease.release().catch(() => undefined);
        }
      },
      latest: async (range: { from?: Date | null; to?: Date | null }, cluster?: string | null) => latestSync(db, range, cluster),
      runs: (filter: SyncRunFilter, first: number, after?: string | null) => listSyncRuns(db, filter, first, after),
      status: () => clusterSyncStatus(db, clusters.map((c) => c.name)),
    },
  };

  async function runUnder(picked: SyncCluster[], from: Date, to: Date, meta: RequestMeta) {
    const runs = [];
    let firstError: unknown = null;
    for (const c of picked) {
      const req = { from, to, trigger: 'admin' as const, chunkHours: config.sync.chunkHours, cluster: c.name };
      const progress = progressEvents(req, (e) => pubsub.publish('syncProgress', e));
      try {
        runs.push(await syncJobs(db, c.sources, req, meta, c.timeoutMs, progress, config.auth.defaultTier));
        observer?.syncRun?.(runs[runs.length - 1]);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'SLURM_UNAVAILABLE')) throw error;
        firstError ??= error;
        runs.push(await db.syncRun.findFirstOrThrow({ where: { cluster: c.name, trigger: 'admin' }, orderBy: { id: 'desc' } }));
        observer?.syncRun?.(runs[runs.length - 1]);
      }
    }
    if (firstError && runs.every((r) => r.status === 'failed')) throw firstError;
    return runs;
  }
}

export type Services = ReturnType<typeof createServices>;
