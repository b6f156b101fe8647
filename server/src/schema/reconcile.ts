import { builder } from '../builder.ts';
import type { HourTotals, ReconciliationRow } from '../reconcile/compare.ts';

const HoursRef = builder.objectRef<HourTotals>('HourTotals').implement({
  fields: (t) => ({
    cpuHours: t.exposeFloat('cpuHours'),
    gpuHours: t.exposeFloat('gpuHours'),
    memGBHours: t.exposeFloat('memGBHours'),
  }),
});

const RowRef = builder.objectRef<ReconciliationRow>('ReconciliationRow').implement({
  description: 'One account: the ledger’s hours and Slurm’s over the same window',
  fields: (t) => ({
    account: t.exposeString('account', { description: "'' for jobs without an account" }),
    ledger: t.field({ type: HoursRef, resolve: (r) => r.ledger }),
    slurm: t.field({ type: HoursRef, description: 'sreport AccountUtilizationByUser, the account’s own users', resolve: (r) => r.slurm }),
    diff: t.field({ type: HoursRef, description: 'ledger − slurm', resolve: (r) => r.diff }),
    worstRelative: t.exposeFloat('worstRelative', { description: 'The largest relative difference of the three (0.001 is 0.1 %)' }),
    withinTolerance: t.exposeBoolean('withinTolerance'),
  }),
});

const ReconciliationRef = builder
  .objectRef<{ cluster: string; month: string; from: Date; to: Date; rows: ReconciliationRow[]; tolerance: number }>('Reconciliation')
  .implement({
    description:
      'The ledger against Slurm’s own sreport for one month of one cluster. Both count the part of each job inside the window; ' +
      'the ledger holds finished jobs only, so a job still running shows on Slurm’s side alone',
    fields: (t) => ({
      cluster: t.exposeString('cluster'),
      month: t.exposeString('month'),
      from: t.field({ type: 'DateTime', description: 'Whole hours, as sreport reads them', resolve: (r) => r.from }),
      to: t.field({ type: 'DateTime', resolve: (r) => r.to }),
      tolerance: t.exposeFloat('tolerance'),
      rows: t.field({ type: [RowRef], resolve: (r) => r.rows }),
      differences: t.int({ description: 'Accounts outside the tolerance', resolve: (r) => r.rows.filter((x) => !x.withinTolerance).length }),
    }),
  });

builder.queryField('reconciliation', (t) =>
  t.field({
    type: ReconciliationRef,
    authScopes: { staff: true },
    description: 'Compare the ledger’s CPU-, GPU- and memory-hours per account with Slurm’s sreport for a month (YYYY-MM, the center’s calendar)',
    args: { month: t.arg.string({ required: true }), cluster: t.arg.string() },
    resolve: (_root, { month, cluster }, ctx) => ctx.services.reconcile(month, cluster),
  }),
);
