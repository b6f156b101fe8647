import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '$lib/graphql/sync';
import { createLiveSyncs, fractionDone, syncKey } from './progress.svelte';

const report = (fields: Partial<SyncProgress> = {}): SyncProgress => ({
  trigger: 'admin',
  cluster: 'beta',
  from: '2026-11-28T00:00:00.000Z',
  to: '2026-12-03T00:00:00.000Z',
  chunksDone: 0,
  chunksTotal: 5,
  chunksFailed: 0,
  jobsStored: 0,
  jobsPerSecond: 0,
  etaSeconds: null,
  chunkStatus: null,
  source: null,
  ...fields,
});

describe('live syncs', () => {
  it('keeps the latest report of each run, and says once when a run has done its last chunk', () => {
    const ended: string[] = [];
    const live = createLiveSyncs((sync) => ended.push(sync.key));
    live.report(report());
    live.report(report({ chunksDone: 2, chunkStatus: 'ok', jobsStored: 40 }));
    live.report(report({ cluster: 'alpha', chunksDone: 1, chunksTotal: 1, chunkStatus: null }));
    expect(live.list.map((s) => [s.progress.cluster, s.progress.chunksDone, s.ended])).toEqual([
      ['beta', 2, false],
      ['alpha', 1, false],
    ]);
    // While its last chunk is stored a run has not ended; once that chunk has a status it has.
    live.report(report({ chunksDone: 5, chunkStatus: 'ok' }));
    live.report(report({ chunksDone: 5, chunkStatus: 'ok' }));
    expect(ended).toEqual([syncKey(report())]);
    live.forgetCluster('beta');
    live.forgetCluster('alpha');
    expect(live.list.map((s) => s.progress.cluster)).toEqual(['alpha']);
  });

  it('measures the share of chunks done; a run of no chunks is done', () => {
    expect(fractionDone({ chunksDone: 2, chunksTotal: 5 })).toBe(0.4);
    expect(fractionDone({ chunksDone: 0, chunksTotal: 0 })).toBe(1);
  });
});
