import type { RequestMeta } from './audit/recorder.ts';
import type { SessionViewer } from './auth/sessions.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { createLoaders, type Loaders } from './jobs/loaders.ts';
import type { PubSub } from './pubsub.ts';
import type { Services } from './services.ts';

export interface Context {
  db: Db;
  config: Config;
  viewer: SessionViewer | null;
  /** Signed in with an API token: reads only. */
  readOnly: boolean;
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
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  path: string | null;
}

/** One context per HTTP request or WebSocket operation: loaders never outlive it. */
export function createContext(deps: ContextDeps, info: RequestInfo): Context {
  return {
    ...deps,
    viewer: info.viewer,
    readOnly: info.readOnly ?? false,
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
