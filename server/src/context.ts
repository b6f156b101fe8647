import type { RequestMeta } from './audit/recorder.ts';
import type { SessionViewer } from './auth/sessions.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { createLoaders, type Loaders } from './jobs/loaders.ts';
import type { Credential, PubSub } from './pubsub.ts';
import type { Services } from './services.ts';

export interface Context {
  config: Config;
  viewer: SessionViewer | null;
  /** Signed in with an API token: reads only. */
  readOnly: boolean;
  /** The session or token this request came with; a subscription ends with it. */
  credential: Credential | null;
  meta: RequestMeta;
  pubsub: PubSub;
  services: Services;
  loaders: Loaders;
}

export interface ContextDeps {
  db: Db;
  config: Config;
  pubsub: PubSub;
  services: Services;
}

export interface RequestInfo {
  viewer: SessionViewer | null;
  readOnly?: boolean;
  credential?: Credential | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  path: string | null;
}

/**
 * One context per HTTP request or WebSocket operation: loaders never outlive it. Resolvers reach
 * the database only through `services` and `loaders`.
 */
export function createContext(deps: ContextDeps, info: RequestInfo): Context {
  return {
    config: deps.config,
    pubsub: deps.pubsub,
    services: deps.services,
    viewer: info.viewer,
    readOnly: info.readOnly ?? false,
    credential: info.credential ?? null,
    meta: {
      actor: info.viewer?.username ?? null,
      ip: info.ip,
      userAgent: info.userAgent,
      method: info.method,
      path: info.path,
    },
    loaders: createLoaders(deps.db, deps.config.auth.defaultTier),
  };
}
