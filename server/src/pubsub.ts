import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import type { RateValues } from '@hpc-accounting/pricing/cost';
import type { SyncProgressEvent } from './jobs/sync-progress.ts';
import type { RedisClients } from './lib/redis.ts';

export interface RateEvent extends RateValues {
  tier: string;
  updatedAt: Date;
  updatedBy: string | null;
}

/** What a live subscription was opened with: a session (cookie) or an API token, by the hash the database keeps. */
export interface Credential {
  kind: 'session' | 'token';
  id: string;
  expiresAt: Date | null;
}

export interface LedgerChange {
  reason: 'sync' | 'rate' | 'tier' | 'receipt';
}

type Events = {
  rateChanged: [RateEvent];
  syncProgress: [SyncProgressEvent];
  /** A session logged out or an API token revoked: subscriptions opened with it end. */
  credentialEnded: [Pick<Credential, 'kind' | 'id'>];
  /** Jobs were stored, or a rate, a tier or a receipt changed: what costs and usage answer may differ now. */
  ledgerChanged: [LedgerChange];
};

/** In this process only: one replica. */
export const newPubSub = () => createPubSub<Events>();
export type PubSub = ReturnType<typeof newPubSub>;

const DATE = '$date';

/**
 * JSON with Dates kept: JSON.stringify would turn them into strings the resolvers do not expect, so each is sent as
 * `{"$date": ISO}` and read back as a Date. The replacer looks at `this[key]` because Date#toJSON has already run
 * on the value it is handed.
 */
export const eventSerializer = {
  stringify: (value: unknown) =>
    JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
      const raw = this[key];
      if (!(raw instanceof Date)) return v;
      return { [DATE]: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
    }),
  parse: (text: string): unknown =>
    JSON.parse(text, (_key, v) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      return keys.length === 1 && keys[0] === DATE ? new Date(v[DATE] ?? Number.NaN) : v;
    }),
};

/**
 * Across replicas, through Redis pub/sub: a replica's own events come back to it through Redis as well, so every
 * subscriber anywhere sees one stream in one order. Channels are the event names behind the configured prefix.
 * A publish that fails (Redis away) is logged and lost, as the event of a replica that died would be: subscriptions
 * re-check their credential on a timer (graphql/credential-lifetime.ts) and rates are read afresh on each page.
 */
export function redisPubSub(redis: RedisClients, prefix: string, onPublishError: (error: unknown, topic: string) => void): PubSub {
  const inner = createRedisEventTarget<CustomEvent>({ publishClient: redis.commands, subscribeClient: redis.subscriber, serializer: eventSerializer });
  return createPubSub<Events>({
    eventTarget: {
      addEventListener: (topic, listener) => inner.addEventListener(prefix + topic, listener),
      removeEventListener: (topic, listener) => inner.removeEventListener(prefix + topic, listener),
      // The library's own dispatch drops ioredis's promise, and so would leave a failed publish an unhandled rejection.
      dispatchEvent(event) {
        const topic = prefix + event.type;
        redis.commands.publish(topic, eventSerializer.stringify(event.detail)).catch((error: unknown) => onPublishError(error, topic));
        return true;
      },
    },
  });
}
