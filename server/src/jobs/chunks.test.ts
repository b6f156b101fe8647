import { describe, expect, it } from 'vitest';
import { chunkWindow, coveredUntil, HOUR_MS } from './chunks.ts';

const at = (iso: string) => new Date(iso);
const iso = (chunks: ReturnType<typeof chunkWindow>) => chunks.map((c) => [c.index, c.from.toISOString(), c.to.toISOString()]);

describe('chunkWindow', () => {
  it('splits a window into day chunks from its start, the last one partial', () => {
    const chunks = chunkWindow(at('2026-01-01T06:00:00Z'), at('2026-01-03T12:30:00Z'), 24 * HOUR_MS);
    expect(iso(chunks)).toEqual([
      [0, '2026-01-01T06:00:00.000Z', '2026-01-02T06:00:00.000Z'],
      [1, '2026-01-02T06:00:00.000Z', '2026-01-03T06:00:00.000Z'],
      [2, '2026-01-03T06:00:00.000Z', '2026-01-03T12:30:00.000Z'],
    ]);
  });

  it('gives one chunk for a window shorter than a chunk, none for an empty one, and exact multiples no sliver', () => {
    expect(iso(chunkWindow(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:05:00Z'), 24 * HOUR_MS))).toEqual([
      [0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:05:00.000Z'],
    ]);
    expect(chunkWindow(at('2026-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), HOUR_MS)).toEqual([]);
    expect(chunkWindow(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 6 * HOUR_MS)).toHaveLength(4);
  });

  it('counts hours as elapsed time across a daylight-saving change (Europe changed on 2026-03-29)', () => {
    const chunks = chunkWindow(at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00Z'), 24 * HOUR_MS);
    expect(chunks.map((c) => c.to.getTime() - c.from.getTime())).toEqual([24 * HOUR_MS, 24 * HOUR_MS]);
    expect(chunks[1].from.toISOString()).toBe('2026-03-29T12:00:00.000Z');
  });

  it('tiles a year without gaps or overlaps', () => {
    const from = at('2025-11-26T00:00:00Z');
    const to = at('2026-11-26T00:00:00Z');
    const chunks = chunkWindow(from, to, 24 * HOUR_MS);
    expect(chunks).toHaveLength(365);
    chunks.slice(1).forEach((c, i) => expect(c.from).toEqual(chunks[i].to));
    expect(chunks[0].from).toEqual(from);
    expect(chunks.at(-1)!.to).toEqual(to);
  });

  it('refuses a chunk length that is not positive', () => {
    expect(() => chunkWindow(at('2026-01-01T00:00:00Z'), at('2026-01-02T00:00:00Z'), 0)).toThrow(/positive/);
  });
});

describe('coveredUntil', () => {
  const chunks = chunkWindow(at('2026-01-01T00:00:00Z'), at('2026-01-05T00:00:00Z'), 24 * HOUR_MS);
  it('ends at the last done chunk of the run that starts the window', () => {
    expect(coveredUntil(chunks, () => true)).toEqual(at('2026-01-05T00:00:00Z'));
    expect(coveredUntil(chunks, (c) => c.index !== 2)).toEqual(at('2026-01-03T00:00:00Z'));
    expect(coveredUntil(chunks, (c) => c.index !== 0)).toBeNull();
    expect(coveredUntil([], () => true)).toBeNull();
  });
});
