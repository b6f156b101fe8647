import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { type Cache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { SessionResolver } from '../http/session.ts';
import type { PubSub } from '../pubsub.ts';
import { schema } from '../schema/index.ts';

/**
 * The root fields whose whole answers are kept: aggregates and pages of the ledger, which change only when the
 * ledger does (`ledgerChanged`). Any other root field in the same operation (receipts, audit, viewer, …) keeps
 * the answer out of the cache.
 */
const CACHED_FIELDS = new Set(['usageSeries', 'usage', 'jobs', 'myJobs']);

/** A safety net for a change that never reaches the pub/sub, such as `pnpm cli sync` in another process. */
const DEFAULT_TTL_MS = 60_000;
const MAX_ENTRIES = 2000;
/**
 * Memory bounds, as the JSON text of the answers: a dashboard's series or a page of jobs is tens of kilobytes, while an
 * export-sized answer (thousands of jobs) would hold megabytes for a request that is rarely repeated.
 */
const MAX_ENTRY_BYTES = 256 * 1024;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * Entries until the ledger changes, then none: any change to jobs, rates, tiers or receipts can move any cost or
 * total, so the whole cache is dropped instead of guessing which entries a change reaches. Oldest first out.
 */
export function createLedgerCache(maxEntries = MAX_ENTRIES, maxBytes = MAX_BYTES, maxEntryBytes = MAX_ENTRY_BYTES) {
  const entries = new Map<string, { result: ExecutionResult; expires: number; bytes: number }>();
  let bytes = 0;
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const cache: Cache & { clear(): void; readonly size: number } = {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expires > Date.now()) return hit.result as ExecutionResult<Record<string, unknown>>;
      drop(key);
      return undefined;
    },
    set(key, result, _entities, ttl) {
      const size = JSON.stringify(result).length;
      if (size > maxEntryBytes) return;
      drop(key);
      while (entries.size > 0 && (entries.size >= maxEntries || bytes + size > maxBytes)) drop(entries.keys().next().value!);
      entries.set(key, { result, expires: Date.now() + ttl, bytes: size });
      bytes += size;
    },
    // A mutation's answer names what it changed; the services publish `ledgerChanged` too, so clearing is enough.
    invalidate: () => {
      entries.clear();
      bytes = 0;
    },
    clear: () => {
      entries.clear();
      bytes = 0;
    },
    get size() {
      return entries.size;
    },
  };
  return cache;
}

export interface LedgerCacheOptions {
  pubsub: PubSub;
  resolveSession: SessionResolver;
  ttlMs?: number;
  cache?: ReturnType<typeof createLedgerCache>;
}

/**
 * Whole answers of ledger queries, per viewer and role: authorization is field by field, so two viewers never share
 * an entry, and a role change reaches a new key. The key also holds the document, operation and variables
 * (yoga's default key). The session is the one the request context is built from (session.ts resolves each
 * request's credential once), so an ended session gets no cached answer.
 */
export function useLedgerCache({ pubsub, resolveSession, ttlMs = DEFAULT_TTL_MS, cache = createLedgerCache() }: LedgerCacheOptions): Plugin {
  void (async () => {
    for await (const _change of pubsub.subscribe('ledgerChanged')) cache.clear();
  })();
  const ttlPerSchemaCoordinate: Record<string, number> = {};
  for (const name of Object.keys(schema.getQueryType()!.getFields())) ttlPerSchemaCoordinate[`Query.${name}`] = CACHED_FIELDS.has(name) ? ttlMs : 0;
  return useResponseCache({
    cache,
    ttl: 0,
    ttlPerSchemaCoordinate,
    // Entities by id would only feed invalidation by id, which clearing makes moot.
    idFields: [],
    // graphql-ws runs the envelop without yoga's request hooks, which the cache's key comes from.
    enabled: (_request: Request, context: { transport?: string }) => context.transport !== 'ws',
    // The default key is hashed with WebCrypto's async digest, a measurable share of a cached answer's CPU.
    buildResponseCacheKey: ({ sessionId, documentString, operationName, variableValues }) =>
      createHash('sha256').update(`${sessionId ?? ''}|${operationName ?? ''}|${JSON.stringify(variableValues ?? {})}|${documentString}`).digest('hex'),
    session: async (request: Request) => {
      const { viewer, readOnly } = await resolveSession(request.headers);
      return viewer ? `${viewer.id}:${viewer.role}:${readOnly ? 'token' : 'session'}` : null;
    },
  });
}
