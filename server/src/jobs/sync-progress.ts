import type { SyncProgress } from './sync.ts';

/**
 * A sync's progress as one line of text: chunks done of all, jobs stored, jobs per second and the time left
 * (from the mean time of a chunk so far). Pure, so the CLI's display is tested without a terminal.
 */
export function progressLine(p: SyncProgress, elapsedMs: number): string {
  const { done, total, failed } = p.chunks;
  const width = 20;
  const filled = total ? Math.round((done / total) * width) : width;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const rate = elapsedMs > 0 ? Math.round(p.stored / (elapsedMs / 1000)) : 0;
  const eta = done > 0 && done < total ? ` · ETA ${duration(((total - done) * elapsedMs) / done)}` : '';
  const failures = failed ? ` · ${failed} failed` : '';
  return `${bar} ${done}/${total} chunks${failures} · ${p.stored.toLocaleString('en-US')} jobs · ${rate.toLocaleString('en-US')} jobs/s${eta}`;
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
