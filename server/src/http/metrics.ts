import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { SessionViewer } from '../auth/sessions.ts';
import { observeRetries } from '../db/retry.ts';
import type { Observer } from '../observe.ts';
import { sendError } from './respond.ts';

/** Routes by their template, so a label never takes a value per URL (ids, downloads, the web app's pages). */
const ROUTES = ['/graphql', '/healthz', '/readyz', '/metrics', '/formula', '/auth/login', '/auth/logout', '/login'];
function routeOf(path: string): string {
  if (ROUTES.includes(path)) return path;
  if (path.startsWith('/_app/')) return '/_app/*';
  if (path.startsWith('/exports/') || path.endsWith('.csv')) return 'export';
  return 'page';
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The server's Prometheus metrics, in a registry of its own (several apps can live in one process, as in tests):
 * GraphQL operations and HTTP requests with their latency, sync runs, receipts, transaction retries and the sync lock,
 * and Node's own process and event-loop figures.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hpc_accounting_', eventLoopMonitoringPrecision: 20 });
  const m = {
    operations: new Counter({ name: 'hpc_accounting_graphql_operations_total', help: 'GraphQL operations by name, type and outcome (ok, or the first error code)', labelNames: ['operation', 'type', 'outcome'], registers: [registry] }),
    operationSeconds: new Histogram({ name: 'hpc_accounting_graphql_operation_duration_seconds', help: 'Time to execute a GraphQL query or mutation', labelNames: ['operation', 'type'], buckets: SECONDS, registers: [registry] }),
    requests: new Counter({ name: 'hpc_accounting_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers: [registry] }),
    requestSeconds: new Histogram({ name: 'hpc_accounting_http_request_duration_seconds', help: 'Time to answer an HTTP request', labelNames: ['route'], buckets: SECONDS, registers: [registry] }),
    syncRuns: new Counter({ name: 'hpc_accounting_sync_runs_total', help: 'Sync runs by cluster, source and outcome (ok, partial, failed)', labelNames: ['cluster', 'source', 'outcome'], registers: [registry] }),
    syncSeconds: new Histogram({ name: 'hpc_accounting_sync_run_duration_seconds', help: 'Duration of sync runs', labelNames: ['cluster', 'outcome'], buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600], registers: [registry] }),
    syncJobs: new Counter({ name: 'hpc_accounting_sync_jobs_total', help: 'Jobs stored by sync runs', labelNames: ['cluster', 'source'], registers: [registry] }),
    syncLockBusy: new Counter({ name: 'hpc_accounting_sync_lock_busy_total', help: 'Scheduled sync rounds skipped because another replica (or an admin run) held the sync lock', registers: [registry] }),
    receipts: new Counter({ name: 'hpc_accounting_receipts_total', help: 'Receipts created and marked paid', labelNames: ['event'], registers: [registry] }),
    retries: new Counter({ name: 'hpc_accounting_db_transaction_retries_total', help: 'Transactions run again after a database conflict (retried), or given up with RETRY_LATER (gave_up)', labelNames: ['outcome'], registers: [registry] }),
  };
  const stopRetries = observeRetries((outcome) => m.retries.inc({ outcome }));

  const observer: Observer = {
    syncRun(run) {
      const source = run.source ?? 'none';
      m.syncRuns.inc({ cluster: run.cluster, source, outcome: run.status });
      if (run.finishedAt) m.syncSeconds.observe({ cluster: run.cluster, outcome: run.status }, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000);
      if (run.jobCount > 0) m.syncJobs.inc({ cluster: run.cluster, source }, run.jobCount);
    },
    receipts: (event, count) => m.receipts.inc({ event }, count),
    syncLockBusy: () => m.syncLockBusy.inc(),
  };

  /** Counts each operation with its outcome, and times queries and mutations (a subscription's life is not latency). */
  const graphqlPlugin: Plugin = {
    onExecute({ args }) {
      const op = getOperationAST(args.document, args.operationName);
      const labels = { operation: op?.name?.value ?? args.operationName ?? 'anonymous', type: op?.operation ?? 'unknown' };
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (!('errors' in result)) {
            m.operations.inc({ ...labels, outcome: 'ok' });
          } else {
            const errors = (result as { errors?: readonly GraphQLError[] }).errors;
            m.operations.inc({ ...labels, outcome: errors?.length ? String(errors[0].extensions?.code ?? 'ERROR') : 'ok' });
          }
          m.operationSeconds.observe(labels, (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      const op = getOperationAST(args.document, args.operationName);
      m.operations.inc({ operation: op?.name?.value ?? args.operationName ?? 'anonymous', type: 'subscription', outcome: 'ok' });
    },
  };

  return {
    registry,
    observer,
    graphqlPlugin,
    /** Counts one HTTP request when its answer has gone. */
    watch(req: IncomingMessage, res: ServerResponse, path: string) {
      const started = performance.now();
      res.once('finish', () => {
        const route = routeOf(path);
        m.requests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
        m.requestSeconds.observe({ route }, (performance.now() - started) / 1000);
      });
    },
    close: () => {
      stopRetries();
      registry.clear();
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The request carries `Authorization: Bearer <METRICS_TOKEN>` (Prometheus' scrape credential, not an API token). */
export function hasMetricsToken(req: IncomingMessage, metricsToken: string | null): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  return metricsToken !== null && bearer !== undefined && sameSecret(bearer, metricsToken);
}

/**
 * GET /metrics for Prometheus: with METRICS_TOKEN (`viewer` is then not asked), or to a staff viewer (an operator's or
 * admin's session or API token); the figures are the server's, so plain users are refused.
 */
export async function serveMetrics(res: ServerResponse, metrics: Metrics, viewer: SessionViewer | null | 'token') {
  if (viewer !== 'token') {
    if (!viewer) return sendError(res, 'UNAUTHENTICATED', 'metrics need a staff session or Authorization: Bearer <METRICS_TOKEN>');
    if (viewer.role === 'user') return sendError(res, 'FORBIDDEN', 'metrics are for operators and admins');
  }
  const body = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}
