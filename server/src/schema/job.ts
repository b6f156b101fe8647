import { builder } from '../builder.ts';
import type { JobRecordRow } from '../jobs/ledger.ts';
import { CostRef } from './cost.ts';
import { pageSize } from './paging.ts';

export const JobRef = builder.objectRef<JobRecordRow>('Job').implement({
  description: 'One Slurm job from the ledger (steps folded in)',
  fields: (t) => ({
    key: t.exposeID('key', { description: '`cluster:jobId`, the billing key' }),
    cluster: t.exposeString('cluster'),
    jobId: t.exposeString('jobId'),
    user: t.exposeString('user'),
    account: t.exposeString('account', { nullable: true }),
    partition: t.exposeString('partition', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    state: t.exposeString('state'),
    submit: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.submit }),
    start: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.start }),
    end: t.field({ type: 'DateTime', nullable: true, resolve: (j) => j.end }),
    elapsedSeconds: t.exposeInt('elapsedSeconds'),
    totalCpuSeconds: t.exposeFloat('totalCpuSeconds'),
    cpus: t.exposeInt('cpus'),
    gpus: t.exposeInt('gpus'),
    memMiB: t.exposeInt('memMiB'),
    receiptId: t.int({
      nullable: true,
      description: 'The receipt that billed this job, if any',
      resolve: async (job, _a, ctx) => (await ctx.loaders.receiptItemOfJob.load(job.key))?.receiptId ?? null,
    }),
    cost: t.field({
      type: CostRef,
      description: "As its receipt billed it; unbilled, at the current rate of the owner's tier",
      // Once per job and request, however many aliases or pages show it.
      resolve: (job, _args, ctx) => ctx.loaders.jobCost.load(job),
    }),
  }),
});

builder.queryField('myJobs', (t) =>
  t.field({
    type: [JobRef],
    authScopes: { loggedIn: true },
    description: "The viewer's finished jobs, newest first",
    args: {
      completedBefore: t.arg({ type: 'DateTime' }),
      first: t.arg.int({ defaultValue: 1000, description: 'at most 1000; page through more with `jobs`' }),
    },
    resolve: async (_root, { completedBefore, first }, ctx) => {
      const filter = { user: ctx.viewer!.username, endedBefore: completedBefore ?? new Date() };
      return (await ctx.loaders.jobPage.load({ filter, first: pageSize('first', first, 1000, 1000) })).nodes;
    },
  }),
);
