import { describe, expect, it } from 'vitest';
import { cutoffFor, endOfLocalDay, formatDateTimeIn, formatDayIn, formatDecimalIn, formatMoney, startOfLocalDay, timeAgo } from './format';

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

describe('in the chosen language', () => {
  it('writes instants with Thai dates in the Buddhist era', () => {
    const at = '2026-10-14T05:30:00Z';
    expect(formatDateTimeIn(at, 'th')).toMatch(/ต\.ค\. 2569/);
    expect(formatDateTimeIn(at, 'en')).toMatch(/Oct 14, 2026/);
    expect(formatDateTimeIn('nonsense', 'en')).toBe('—');
    expect(formatDateTimeIn(null, 'th')).toBe('—');
  });

  it('writes a calendar day the same in every time zone', () => {
    expect(formatDayIn('2026-10-14', 'en')).toBe('October 14, 2026');
    expect(formatDayIn('2026-10-14', 'th')).toBe('14 ตุลาคม 2569');
    expect(formatDayIn('2026-10-14', 'th', 'medium')).toBe('14 ต.ค. 2569');
    expect(formatDayIn('2026-02-30', 'en')).toBeNull();
    expect(formatDayIn('14/10/2026', 'en')).toBeNull();
    expect(formatDayIn(null, 'en')).toBeNull();
  });

  it('groups exact decimals without a float', () => {
    expect(formatDecimalIn('451070000000.00', 'th')).toBe('451,070,000,000.00');
    expect(formatDecimalIn('451070000000.00', 'en')).toBe('451,070,000,000.00');
    expect(formatDecimalIn('12345678901234567890.125', 'en')).toBe('12,345,678,901,234,567,890.125');
    expect(formatDecimalIn('1000', 'en', 2)).toBe('1,000.00');
    expect(formatDecimalIn('0012', 'en')).toBe('12');
    expect(formatDecimalIn('-1000.5', 'en')).toBe('-1,000.5');
    // German groups with a dot and points with a comma: the language decides, not the code
    expect(formatDecimalIn('1234.5', 'de')).toBe('1.234,5');
    expect(formatDecimalIn('1e9', 'en')).toBe('1e9');
  });
});
