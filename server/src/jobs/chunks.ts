/**
 * A sync window split into chunks, so that a year is never one sacct call or one REST answer: each chunk is asked
 * on its own, fails on its own, and is recorded as done on its own. Plain millisecond arithmetic on UTC instants:
 * a chunk of 24 hours is 24 hours even across a daylight-saving change, since Slurm's times are instants too.
 */
export interface Chunk {
  index: number;
  from: Date;
  to: Date;
}

export const HOUR_MS = 3_600_000;

/** `[from, to)` in chunks of `chunkMs` from `from`; the last one ends at `to` and may be shorter. */
export function chunkWindow(from: Date, to: Date, chunkMs: number): Chunk[] {
  if (!(chunkMs > 0) || !Number.isFinite(chunkMs)) throw new Error(`chunk length must be a positive number of ms, got ${chunkMs}`);
  const end = to.getTime();
  const chunks: Chunk[] = [];
  for (let start = from.getTime(), index = 0; start < end; start += chunkMs, index++) {
    chunks.push({ index, from: new Date(start), to: new Date(Math.min(start + chunkMs, end)) });
  }
  return chunks;
}

/**
 * How far the window is covered from its start: the end of the run of done chunks that begins at the first chunk,
 * or null when the first is not done. A failed chunk stops it, even when later chunks are done.
 */
export function coveredUntil(chunks: readonly Chunk[], done: (chunk: Chunk) => boolean): Date | null {
  let covered: Date | null = null;
  for (const chunk of chunks) {
    if (!done(chunk)) break;
    covered = chunk.to;
  }
  return covered;
}
