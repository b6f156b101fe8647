import { describe, expect, it } from 'vitest';
import { createLedgerCache } from './response-cache.ts';

const answer = (chars: number) => ({ data: { text: 'x'.repeat(chars) } });

describe('the answer cache', () => {
  it('keeps no answer larger than its per-entry bound, and drops the oldest to stay within its byte budget', () => {
    const cache = createLedgerCache(100, 1000, 400);
    cache.set('huge', answer(500), [], 60_000);
    expect(cache.get('huge')).toBeUndefined();
    for (const key of ['a', 'b', 'c']) cache.set(key, answer(300), [], 60_000);
    // Three of about 320 bytes fit 1,000; a fourth pushes the oldest out.
    expect(cache.size).toBe(3);
    cache.set('d', answer(300), [], 60_000);
    expect(cache.size).toBe(3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('d')).toEqual(answer(300));
    cache.invalidate([]);
    expect(cache.size).toBe(0);
    // The budget is whole again after a clear.
    for (const key of ['e', 'f', 'g']) cache.set(key, answer(300), [], 60_000);
    expect(cache.size).toBe(3);
  });
});
