import { afterEach, describe, expect, it } from 'vitest';
import { relieveHeap } from './heap.ts';

const g = globalThis as { gc?: () => void };
const original = g.gc;

describe('relieveHeap', () => {
  afterEach(() => {
    g.gc = original;
  });

  it('does nothing where Node runs without --expose-gc', () => {
    g.gc = undefined;
    expect(relieveHeap(0)).toBe(false);
  });

  it('collects once the heap grew past the slack since the last collection, and not before', () => {
    let collections = 0;
    g.gc = () => void collections++;
    // No slack: the heap always holds more than nothing past what was kept.
    expect(relieveHeap(-1)).toBe(true);
    expect(collections).toBe(1);
    // A slack far larger than the heap: nothing to collect yet.
    expect(relieveHeap(2 ** 40)).toBe(false);
    expect(collections).toBe(1);
  });
});
