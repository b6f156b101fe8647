import { formatSatang } from '@hpc-accounting/pricing/money';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';
import { parseQuoteInput, type QuoteInputKind, quoteJob, type JobQuote } from '../quotes/quote.ts';
import type { JobRequest } from '../quotes/sbatch.ts';
import { CostRef } from './cost.ts';
import { loadRate } from './rate.ts';
import { TierEnum } from './user.ts';

const QuoteKindEnum = builder.enumType('QuoteInputKind', {
  values: {
    script: { description: '#SBATCH lines of a job script' },
    command: { description: 'An sbatch, srun or salloc command line' },
    mixed: { description: 'A script with an sbatch command line whose options win' },
  } as const,
});

const JobRequestRef = builder.objectRef<JobRequest>('JobRequest').implement({
  description: 'What a job asks Slurm for, read as sbatch reads it: per array task, all nodes together',
  fields: (t) => ({
    nodes: t.exposeInt('nodes'),
    ntasks: t.exposeInt('ntasks'),
    cpusPerTask: t.exposeInt('cpusPerTask'),
    cpus: t.exposeInt('cpus'),
    gpus: t.exposeInt('gpus'),
    gpuType: t.exposeString('gpuType', { nullable: true }),
    memMiB: t.exposeInt('memMiB'),
    timeSeconds: t.exposeInt('timeSeconds', { nullable: true, description: 'The time limit; null when none was given' }),
    partition: t.exposeString('partition', { nullable: true }),
    account: t.exposeString('account', { nullable: true }),
    qos: t.exposeString('qos', { nullable: true }),
    jobName: t.exposeString('jobName', { nullable: true }),
    arrayTasks: t.exposeInt('arrayTasks'),
    exclusive: t.exposeBoolean('exclusive'),
  }),
});

interface QuoteShape {
  kind: QuoteInputKind;
  request: JobRequest;
  quote: JobQuote;
  tier: string;
}

const QuoteRef = builder.objectRef<QuoteShape>('JobQuote').implement({
  description: 'What a job would cost if it ran for its whole time limit, at the rates a tier has now',
  fields: (t) => ({
    kind: t.field({ type: QuoteKindEnum, resolve: (q) => q.kind }),
    request: t.field({ type: JobRequestRef, resolve: (q) => q.request }),
    tier: t.field({ type: TierEnum, description: 'The tier priced at', resolve: (q) => q.tier as 'mu' }),
    hours: t.float({ description: 'The time limit in hours', resolve: (q) => q.quote.hours }),
    perTask: t.field({ type: CostRef, description: 'One array task (the whole job when it is not an array)', resolve: (q) => q.quote.perTask }),
    arrayTasks: t.int({ resolve: (q) => q.quote.arrayTasks }),
    total: t.field({ type: 'Decimal', description: 'All array tasks together, THB', resolve: (q) => formatSatang(q.quote.total) }),
    cpuPerHour: t.field({ type: 'Decimal', resolve: (q) => q.quote.rate.cpuPerHour }),
    gpuPerHour: t.field({ type: 'Decimal', resolve: (q) => q.quote.rate.gpuPerHour }),
    memGBPerHour: t.field({ type: 'Decimal', resolve: (q) => q.quote.rate.memGBPerHour }),
    warnings: t.stringList({ description: 'What was assumed or ignored (an unknown option, a default, a range quoted at its maximum)', resolve: (q) => q.quote.warnings }),
  }),
});

const QuoteJobInput = builder.inputType('QuoteJobInput', {
  fields: (t) => ({
    text: t.string({ required: true, description: 'A job script with #SBATCH lines, an sbatch/srun/salloc command line, or both' }),
    tier: t.field({ type: TierEnum, description: 'Price at this tier; by default the job’s account’s, else the viewer’s' }),
    account: t.string({ description: 'The account to price for when the text names none (its tier, when an admin set one)' }),
    defaultMemMiBPerCpu: t.int({ description: 'The partition’s DefMemPerCPU, for a job that asks for no memory' }),
    cpusPerNode: t.int({ description: 'CPUs of one node, for --exclusive or per-node amounts without --nodes' }),
    memMiBPerNode: t.int({ description: 'Memory of one node, for --mem=0' }),
  }),
});

/** What one quote may read: a long job script is a few kilobytes. */
const MAX_TEXT = 64 * 1024;

builder.queryField('quoteJob', (t) =>
  t.field({
    type: QuoteRef,
    authScopes: { loggedIn: true },
    description:
      'The cost of a job before it is submitted, read from its #SBATCH lines or its sbatch/srun command line exactly as a job-submit wrapper would pass them; ' +
      'BAD_INPUT names the line and option Slurm would refuse',
    args: { input: t.arg({ type: QuoteJobInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      if (input.text.length > MAX_TEXT) throw badInput(`the text is ${input.text.length} characters; a quote reads at most ${MAX_TEXT}`);
      const parsed = parseQuoteInput(input.text, {
        memMiBPerCpu: input.defaultMemMiBPerCpu ?? undefined,
        cpusPerNode: input.cpusPerNode ?? undefined,
        memMiBPerNode: input.memMiBPerNode ?? undefined,
      });
      const account = parsed.request.account ?? input.account ?? null;
      const tier = input.tier ?? (account ? await ctx.loaders.accountTierOf.load(account) : null) ?? ctx.viewer!.tier;
      const rate = await loadRate(ctx, tier);
      return { kind: parsed.kind, request: parsed.request, quote: quoteJob(parsed.request, () => rate), tier };
    },
  }),
);
