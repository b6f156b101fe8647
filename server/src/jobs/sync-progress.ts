import type { SyncProgress, SyncRequest } from './sync.ts';

/**
 * A sync's progress as one line of text: chunks done of all, jobs stored, jobs per second and the time left
 * (from the mean time of a chunk so far). Pure, so the CLI's display is tested without a terminal.
 */
export function progressLine(p: SyncProgress, elapsedMs: number): string {
  const { done, total, failed } = p.chunks;
  const width = 20;
  const filled = total ? Math.round((done / total) * width) : width;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const { jobsPerSecond: rate, etaMs } = progressRate(p, elapsedMs);
  const eta = etaMs !== null ? ` · ETA ${duration(etaMs)}` : '';
  const failures = failed ? ` · ${failed} failed` : '';
  return `${bar} ${done}/${total} chunks${failures} · ${p.stored.toLocaleString('en-US')} jobs · ${rate.toLocaleString('en-US')} jobs/s${eta}`;
}

/** Jobs stored per second so far, and the time left from the mean time of a chunk so far (null before the first ends or after the last). */
export function progressRate(p: SyncProgress, elapsedMs: number): { jobsPerSecond: number; etaMs: number | null } {
  const { done, total } = p.chunks;
  return {
    jobsPerSecond: elapsedMs > 0 ? Math.round(p.stored / (elapsedMs / 1000)) : 0,
    etaMs: done > 0 && done < total ? ((total - done) * elapsedMs) / done : null,
  };
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Writes progress lines to a stream: redrawn in place on a terminal (at most every `everyMs`), and on anything else
 * one plain line per finished chunk, so a log file gets a readable history instead of carriage returns.
 */
export function progressWriter(out: { isTTY?: boolean; write(s: string): unknown }, now = () => performance.now(), everyMs = 200) {
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(p: SyncProgress) {
      const t = now();
      const ended = p.chunk.status !== undefined;
      if (out.isTTY) {
        if (!ended && t - lastDraw < everyMs) return;
        lastDraw = t;
        drawn = true;
        out.write(`\r\x1b[2K${progressLine(p, t - started)}`);
        if (ended && p.chunk.status !== 'ok') out.write(`\n  chunk ${p.chunk.from.toISOString()}/${p.chunk.to.toISOString()} ${p.chunk.status}: ${p.chunk.reason}\n`);
        return;
      }
      if (!ended) return;
      out.write(`${progressLine(p, t - started)}\n`);
      if (p.chunk.status !== 'ok') out.write(`  chunk ${p.chunk.from.toISOString()}/${p.chunk.to.toISOString()} ${p.chunk.status}: ${p.chunk.reason}\n`);
    },
    end() {
      if (out.isTTY && drawn) out.write('\n');
    },
  };
}

/** A sync's progress after each chunk it asked Slurm for (and while one is stored), for staff watching it run. */
export interface SyncProgressEvent {
  trigger: string;
  /** The cluster synced ('' for a run that names none). */
  cluster: string;
  from: Date;
  to: Date;
  chunksDone: number;
  chunksTotal: number;
  chunksFailed: number;
  jobsStored: number;
  jobsPerSecond: number;
  /** null until a chunk has ended, and after the last. */
  etaSeconds: number | null;
  chunkFrom: Date;
  chunkTo: Date;
  /** The chunk's outcome once it has ended ('ok', 'partial', 'failed'); null while it is being stored. */
  chunkStatus: string | null;
  source: string | null;
}

/**
 * An onProgress for syncJobs that hands each report on as a SyncProgressEvent (rate and time left included), for a
 * run asked for this window by this trigger.
 */
export function progressEvents(req: Pick<SyncRequest, 'from' | 'to' | 'trigger' | 'cluster'>, emit: (e: SyncProgressEvent) => void, now = () => performance.now()) {
  const started = now();
  return (p: SyncProgress) => {
    const { jobsPerSecond, etaMs } = progressRate(p, now() - started);
    emit({
      trigger: req.trigger,
      cluster: req.cluster ?? '',
      from: req.from,
      to: req.to,
      chunksDone: p.chunks.done,
      chunksTotal: p.chunks.total,
      chunksFailed: p.chunks.failed,
      jobsStored: p.stored,
      jobsPerSecond,
      etaSeconds: etaMs === null ? null : Math.round(etaMs / 1000),
      chunkFrom: p.chunk.from,
      chunkTo: p.chunk.to,
      chunkStatus: p.chunk.status ?? null,
      source: p.chunk.source ?? null,
    });
  };
}
