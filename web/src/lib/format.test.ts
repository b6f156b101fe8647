import { describe, expect, it } from 'vitest';
import { cutoffFor, endOfLocalDay, formatMoney, startOfLocalDay, timeAgo } from './format';

describe('formatMoney', () => {
  it('groups thousands and keeps the exact decimals', () => {
    expect(formatMoney('1234567.5')).toBe('1,234,567.50');
    expect(formatMoney('0.01')).toBe('0.01');
    expect(formatMoney('999')).toBe('999.00');
    expect(formatMoney('-1000.25')).toBe('-1,000.25');
  });
  it('leaves what is not a decimal alone', () => {
    expect(formatMoney('abc')).toBe('abc');
    expect(formatMoney(null)).toBe('—');
  });
});

describe('cut-off', () => {
  it('is the end of the chosen local day', () => {
    const start = new Date(startOfLocalDay('2026-01-10')!);
    const end = new Date(endOfLocalDay('2026-01-10')!);
    expect(end.getTime() - start.getTime()).toBe(24 * 3600 * 1000);
    expect(cutoffFor('2026-01-10', new Date('2030-01-01T00:00:00Z'))).toBe(end.toISOString());
  });
  it('is never in the future', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(cutoffFor('2026-01-11', now)).toBe(now.toISOString());
    expect(cutoffFor(null, now)).toBe(now.toISOString());
    expect(cutoffFor('not a day', now)).toBe(now.toISOString());
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it('reads in the locale', () => {
    expect(timeAgo('2026-01-10T11:55:00Z', 'en', now)).toBe('5 minutes ago');
    expect(timeAgo('2026-01-10T11:59:50Z', 'en', now)).toBe('now');
    expect(timeAgo('2026-01-09T12:00:00Z', 'en', now)).toBe('yesterday');
    expect(timeAgo('2026-01-10T11:55:00Z', 'th', now)).toMatch(/5/);
  });
});
