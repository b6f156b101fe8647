/**
 * What the server reports as it works, for /metrics: plain callbacks, so the domain code that calls them knows nothing
 * of Prometheus. Every member is optional; without an observer nothing is reported.
 */
export interface Observer {
  /** A sync run ended (ok, partial or failed), with what its SyncRun row records. */
  syncRun?(run: { cluster: string; source: string | null; status: string; jobCount: number; startedAt: Date; finishedAt: Date | null }): void;
  /** Receipts created, or marked paid. */
  receipts?(event: 'created' | 'paid', count: number): void;
  /** A scheduled round found the sync held (by another replica, or an admin's run). */
  syncLockBusy?(): void;
}
