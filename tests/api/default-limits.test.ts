import { type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, print } from 'graphql';
import { operationCost } from '../../server/src/graphql/cost.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as operations from '../../web/src/lib/graphql/generated/graphql.ts';
import { onPostgres, startTestApp, type TestApp } from './harness.ts';

/**
 * The default limits against the demo data: an abusive request is refused cheaply, the heaviest
 * request they still accept stays cheap, and nothing the web app sends comes near them. Costs
 * are CPU time and heap of this process (the server runs in it), not wall-clock time, so a busy
 * machine does not change them much.
 */
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ DEMO: '1' });
  await t.app.syncNow('startup');
  admin = await t.cookieFor('admin', 'admin');
}, 120_000);
afterAll(() => t.close());

async function post(query: string, cookie = admin, variables?: Record<string, unknown>) {
  const res = await t.app.yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', cookie },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}

/** CPU milliseconds and peak heap growth (MB) of one request. */
async function measure(query: string, cookie = admin, variables?: Record<string, unknown>) {
  const baseline = process.memoryUsage();
  let peak = baseline.heapUsed + baseline.external;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.external);
  }, 2);
  const cpu = process.cpuUsage();
  const result = await post(query, cookie, variables);
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const m = process.memoryUsage();
  peak = Math.max(peak, m.heapUsed + m.external);
  return { ...result, cpuMs: (used.user + used.system) / 1000, heapMB: (peak - baseline.heapUsed - baseline.external) / 2 ** 20 };
}

const codes = (r: { errors?: any[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('the default limits on the demo data', () => {
  it('has the demo ledger loaded', async () => {
    const r = await post('{ jobs { totals { jobs } } }');
    expect(r.body.data.jobs.totals.jobs).toBeGreaterThan(400);
  });

  it('refuses 1,000 aliases of a 1,000-job page in well under 100 ms of CPU, before running any of it', async () => {
    const alias = (i: number) => `a${i}: jobs(first: 1000) { edges { node { key name cost { cost cpuHours gpuHours } } } totals { cost } }`;
    const query = `{ ${Array.from({ length: 1000 }, (_, i) => alias(i)).join(' ')} }`;
    expect(query.length).toBeGreaterThan(100_000);
    await measure(query); // warm the parser, validation rules and JIT once
    const r = await measure(query);
    expect(codes(r.body)).toEqual(['TOO_COMPLEX']);
    expect(r.body.data).toBeUndefined();
    expect(r.cpuMs).toBeLessThan(100);
  });

  it('refuses an anonymous flood of 5,000 aliases of rates and 100,000 __typename cheaply', async () => {
    const rates = await measure(`{ ${Array.from({ length: 5000 }, (_, i) => `r${i}: rates { tier }`).join(' ')} }`, '');
    expect(codes(rates.body)).toEqual(['TOO_COMPLEX']);
    expect(rates.cpuMs).toBeLessThan(100);
    const typenames = await measure(`{ ${'__typename '.repeat(100_000)} } # ${Math.random()}`, '');
    expect(codes(typenames.body)).toEqual(['TOO_COMPLEX']);
    expect(typenames.cpuMs).toBeLessThan(100);
  });

  // The heaviest shapes a dashboard could ask for, repeated with as many aliases as the limits let through.
  const heavy: Record<string, (i: number) => string> = {
    'pages of priced jobs': (i) =>
      `a${i}: jobs(first: 1000) { edges { cursor node { key jobId user account partition name state start end elapsedSeconds cpus gpus memMiB receiptId cost { cpuHours gpuHours memGBHours cost } } } totals { jobs cpuHours cost } }`,
    'usage by every grouping': (i) =>
      `a${i}: usage(groupBy: [user, month, account, partition, tier]) { user month account partition tier totals { jobs cpuHours gpuHours memGBHours cost } }`,
    "a user's own jobs": (i) => `a${i}: myJobs { key name cost { cost } }`,
  };

  it.each(Object.entries(heavy))('keeps the heaviest accepted request of %s under 1 s of CPU and 50 MB', async (_name, alias) => {
    let accepted: Awaited<ReturnType<typeof measure>> | null = null;
    for (let n = 30; n >= 1 && !accepted; n--) {
      const query = `{ ${Array.from({ length: n }, (_, i) => alias(i)).join(' ')} }`;
      const r = await measure(query);
      if (!codes(r.body).includes('TOO_COMPLEX')) accepted = r;
    }
    expect(accepted, 'some size of this request is accepted').not.toBeNull();
    expect(accepted!.body.errors).toBeUndefined();
    expect(accepted!.cpuMs).toBeLessThan(1000);
    expect(accepted!.heapMB).toBeLessThan(50);
  });

  // The peak counts garbage the collector has not yet reached, so it moves by a few MB with the machine's load (measured
  // 42–55 MB on SQLite); node-postgres' row objects add a few more.
  const pageHeapMB = onPostgres ? 72 : 64;

  it('counts a page size given by a variable: 30 aliases of 1,000 jobs are refused, the most accepted stay cheap', async () => {
    const page = (i: number) =>
      `a${i}: jobs(first: $first) { edges { node { key jobId user name state end cpus gpus memMiB receiptId cost { cpuHours gpuHours memGBHours cost } } } totals { jobs cost } }`;
    const query = (n: number) => `query Heavy($first: Int) { ${Array.from({ length: n }, (_, i) => page(i)).join(' ')} }`;
    expect(codes((await post(query(30), admin, { first: 1000 })).body)).toEqual(['TOO_COMPLEX']);
    let accepted: Awaited<ReturnType<typeof measure>> | null = null;
    for (let n = 29; n >= 1 && !accepted; n--) {
      const r = await measure(query(n), admin, { first: 1000 });
      if (!codes(r.body).includes('TOO_COMPLEX')) accepted = r;
    }
    expect(accepted!.body.errors).toBeUndefined();
    expect(accepted!.body.data.a0.edges.length).toBeGreaterThan(400);
    expect(accepted!.cpuMs).toBeLessThan(1000);
    expect(accepted!.heapMB).toBeLessThan(pageHeapMB);
  });

  it('lets every operation of the web app through', async () => {
    const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];
    expect(documents.length).toBeGreaterThan(10);
    // Parse and validate through the server's own pipeline (subscriptions too, which a POST would hold open).
    const { parse, validate, schema } = t.app.yoga.getEnveloped({ req: {} as never });
    const maxCost = t.app.deps.config.graphql.maxCost;
    for (const [name, document] of documents) {
      const parsed = parse(print(document)) as DocumentNode;
      const errors = validate(schema, parsed);
      expect(errors.map((e: { message: string }) => e.message), name).toEqual([]);
      // At the page sizes of the schema's defaults (the web passes smaller ones), a tenth of the budget at most.
      const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const fragments = Object.fromEntries(
        parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
      );
      if (operation) expect(operationCost(schema, operation, fragments, {}), name).toBeLessThan(maxCost / 10);
    }
  });
});
