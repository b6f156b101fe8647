import { systemMeta } from './audit/recorder.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { loadPam } from './auth/pam.ts';
import { createRoleResolver } from './auth/roles.ts';
import type { Config } from './config.ts';
import type { ContextDeps } from './context.ts';
import { checkDatabase, connectDatabase, type Db } from './db/client.ts';
import { attachReader, openReader } from './db/reader.ts';
import { attachGraphQLWebSocket } from './graphql/ws.ts';
import { createGraphQL, type GraphQLServer } from './graphql/yoga.ts';
import { createAuthRoutes } from './http/auth-routes.ts';
import { createFormulaRoute } from './http/formula.ts';
import { createRouter, loadWebHandler } from './http/router.ts';
import { createSessionResolver } from './http/session.ts';
import { createSyncScheduler } from './jobs/scheduler.ts';
import { inProcessSyncLock, redisSyncLock } from './jobs/sync-lock.ts';
import { adoptUnnamedRuns } from './jobs/sync.ts';
import { createMetrics } from './http/metrics.ts';
import { createLogger } from './log.ts';
import { checkRedis, openRedis, type RedisCheck, type RedisClients } from './lib/redis.ts';
import { newPubSub, redisPubSub } from './pubsub.ts';
import { seed } from './seed.ts';
import { createServices } from './services.ts';

export interface App {
  db: Db;
  server: Server;
  yoga: GraphQLServer;
  deps: ContextDeps;
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  syncNow(trigger: 'interval' | 'startup'): Promise<void>;
  /** Null without REDIS_URL. */
  redis: RedisClients | null;
  /** For readiness: Redis answers (always ready without it). */
  checkRedis(): Promise<RedisCheck>;
}

/** The composition root: builds every part from the configuration, wires them, and starts and stops them. */
export async function buildApp(config: Config, options: { logger?: Logger } = {}): Promise<App> {
  const log = options.logger ?? createLogger(config.instanceDir, config.logLevel);
  const db = await connectDatabase(config);
  await seed(db, config, (msg) => log.info(msg));
  await adoptUnnamedRuns(db, config.clusters[0].name);
  // Usage aggregates run on a reader thread of their own, so they never hold the event loop.
  // PostgreSQL serves reads from its own processes; there aggregates go through the client.
  const reader = config.databaseFile === null ? null : openReader(config.databaseFile);
  if (reader) attachReader(db, reader);
  const redis = config.redis ? openRedis(config.redis.url, log) : null;
  const pubsub =
    redis && config.redis
      ? redisPubSub(redis, `${config.redis.prefix}events:`, (error, topic) =>
          log.warn({ topic, err: error instanceof Error ? error.message : error }, 'event not published: Redis unreachable'),
        )
      : newPubSub();
  const syncLock =
    redis && config.redis
      ? redisSyncLock(redis.commands, {
          key: `${config.redis.prefix}sync-lock`,
          ttlMs: config.sync.lockTtlSec * 1000,
          onLost: (reason) => log.warn({ reason }, 'sync lock lost while syncing'),
        })
      : inProcessSyncLock();
  const metrics = createMetrics();
  const services = createServices({ db, config, pubsub, syncLock, observer: metrics.observer });
  const deps: ContextDeps = { db, config, pubsub, services };

  const pam = config.auth.pamEnabled ? await loadPam(log, { service: config.auth.pamService }) : null;
  const resolveRole = createRoleResolver({
    staticAdmins: config.auth.adminUsers,
    staticOperators: config.auth.operatorUsers,
    sacctmgr: config.auth.rolesFromSlurm,
  });
  const loginDeps = { db, config, pam, resolveRole, warn: (o: object, m: string) => log.warn(o, m) };

  const resolveSession = createSessionResolver(db, config, pubsub);
  const yoga = createGraphQL({ deps, config, log, resolveSession, metricsPlugin: metrics.graphqlPlugin });
  const router = createRouter(
    {
      db,
      config,
      log,
      yoga,
      resolveSession,
      auth: createAuthRoutes({ config, loginDeps, services, log }),
      formula: createFormulaRoute(config, services),
      metrics: { metrics, token: config.metricsToken },
      readiness: {
        database: () => checkDatabase(db),
        redis: async () => {
          const check = await checkRedis(redis);
          if (!check.ok) throw new Error(check.error);
          return check.configured ? undefined : 'not configured';
        },
      },
    },
    await loadWebHandler(config),
  );
  const server = createServer(router);
  const socket = attachGraphQLWebSocket(server, yoga, config, (error) => log.error({ err: error }, 'GraphQL operation failed'));
  const afterSync = async () => {
    await services.rates.applyDue(systemMeta('scheduler'));
    if (config.accounts) await services.accounts.sync(systemMeta('sync'));
    await services.budgets.check(systemMeta('sync'));
  };
  const scheduler = createSyncScheduler({ db, config, clusters: services.clusters, log, lock: syncLock, observer: metrics.observer, afterSync, onProgress: (e) => {
      pubsub.publish('syncProgress', e);
      // A chunk that ended has committed its jobs.
      if (e.chunkStatus && e.jobsStored > 0) pubsub.publish('ledgerChanged', { reason: 'sync' });
    },
  });

  return {
    db,
    server,
    yoga,
    deps,
    syncNow: scheduler.syncNow,
    redis,
    checkRedis: () => checkRedis(redis),
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      scheduler.start();
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      metrics.close();
      await scheduler.stop();
      services.budgets.close();
      await socket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await reader?.close();
      await db.$disconnect();
      await redis?.close();
    },
  };
}
