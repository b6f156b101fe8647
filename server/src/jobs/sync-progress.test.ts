import { describe, expect, it } from 'vitest';
import { progressEvents, progressLine, progressWriter } from './sync-progress.ts';
import type { SyncProgress } from './sync.ts';

const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const report = (done: number, stored: number, status?: 'ok' | 'failed', failed = 0): SyncProgress => ({
  chunks: { done, total: 4, failed },
  stored,
  chunk: { index: Math.max(0, done - 1), from: day(done), to: day(done + 1), jobs: 10, source: 'sacct', status, reason: status === 'failed' ? 'sacct: timed out' : undefined },
});

describe('sync progress', () => {
  it('writes chunks done, jobs, the rate and the time left from the mean chunk so far', () => {
    expect(progressLine(report(1, 2000, 'ok'), 2000)).toBe('[#####...............] 1/4 chunks · 2,000 jobs · 1,000 jobs/s · ETA 6 s');
    expect(progressLine(report(4, 8000, 'ok', 1), 8000)).toBe('[####################] 4/4 chunks · 1 failed · 8,000 jobs · 1,000 jobs/s');
  });

  it('redraws one line on a terminal and writes a line per ended chunk elsewhere, naming a failed one', () => {
    let t = 0;
    const tty = { isTTY: true, text: '', write(s: string) { this.text += s; } };
    const onTty = progressWriter(tty, () => t, 200);
    t = 100;
    onTty.update(report(0, 500));
    t = 150;
    onTty.update(report(0, 600)); // within 200 ms of the last draw: skipped
    t = 1000;
    onTty.update(report(1, 1000, 'failed', 1));
    onTty.end();
    expect(tty.text.split('\r\x1b[2K')).toHaveLength(3);
    expect(tty.text).toContain('failed: sacct: timed out\n');

    const log = { isTTY: false, text: '', write(s: string) { this.text += s; } };
    const onLog = progressWriter(log, () => t);
    onLog.update(report(0, 500));
    onLog.update(report(1, 1000, 'ok'));
    onLog.end();
    expect(log.text.split('\n').filter(Boolean)).toEqual([expect.stringContaining('1/4 chunks')]);
  });

  it('turns each report into an event with the rate and the seconds left', () => {
    let t = 0;
    const events: unknown[] = [];
    const emit = progressEvents({ from: day(1), to: day(5), trigger: 'admin' }, (e) => events.push(e), () => t);
    t = 3000;
    emit(report(1, 3000, 'ok'));
    t = 4000;
    emit(report(1, 3500));
    expect(events).toEqual([
      expect.objectContaining({ trigger: 'admin', chunksDone: 1, chunksTotal: 4, jobsStored: 3000, jobsPerSecond: 1000, etaSeconds: 9, chunkStatus: 'ok', source: 'sacct' }),
      expect.objectContaining({ chunksDone: 1, jobsStored: 3500, chunkStatus: null, chunkFrom: day(1), chunkTo: day(2) }),
    ]);
  });
});
