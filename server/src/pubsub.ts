import { createPubSub } from 'graphql-yoga';
import type { RateValues } from '@hpc-accounting/pricing/cost';
import type { SyncProgressEvent } from './jobs/sync-progress.ts';

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

export const newPubSub = () =>
  createPubSub<{
    rateChanged: [RateEvent];
    syncProgress: [SyncProgressEvent];
    /** A session logged out or an API token revoked: subscriptions opened with it end. */
    credentialEnded: [Pick<Credential, 'kind' | 'id'>];
    /** Jobs were stored, or a rate, a tier or a receipt changed: what costs and usage answer may differ now. */
    ledgerChanged: [LedgerChange];
  }>();
export type PubSub = ReturnType<typeof newPubSub>;
