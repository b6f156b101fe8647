import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { calendarDateIn, formatDocumentDate } from './thai-date.ts';

const BKK = 'Asia/Bangkok';

describe('formatDocumentDate', () => {
  it('writes the Thai date with the full month name and the Buddhist-era year', () => {
    expect(formatDocumentDate(new Date('2026-12-03T05:00:00Z'), 'th', BKK)).toBe('3 ธันวาคม 2569');
    expect(formatDocumentDate(new Date('2027-01-15T05:00:00Z'), 'th', BKK)).toBe('15 มกราคม 2570');
  });

  it('writes the English date with the common-era year', () => {
    expect(formatDocumentDate(new Date('2026-12-03T05:00:00Z'), 'en', BKK)).toBe('3 December 2026');
  });

  it.each([
    [1, 'มกราคม', 'January'], [2, 'กุมภาพันธ์', 'February'], [3, 'มีนาคม', 'March'], [4, 'เมษายน', 'April'],
    [5, 'พฤษภาคม', 'May'], [6, 'มิถุนายน', 'June'], [7, 'กรกฎาคม', 'July'], [8, 'สิงหาคม', 'August'],
    [9, 'กันยายน', 'September'], [10, 'ตุลาคม', 'October'], [11, 'พฤศจิกายน', 'November'], [12, 'ธันวาคม', 'December'],
  ])('names month %i', (month, th, en) => {
    const d = new Date(Date.UTC(2026, month - 1, 10, 12));
    expect(formatDocumentDate(d, 'th', BKK)).toBe(`10 ${th} 2569`);
    expect(formatDocumentDate(d, 'en', BKK)).toBe(`10 ${en} 2026`);
  });

  it('dates the instant by the calendar of the time zone, across the Bangkok midnight', () => {
    // Bangkok is UTC+7 all year: 16:59:59 UTC is still the 3rd there, 17:00 UTC is already the 4th.
    expect(formatDocumentDate(new Date('2026-12-03T16:59:59Z'), 'th', BKK)).toBe('3 ธันวาคม 2569');
    expect(formatDocumentDate(new Date('2026-12-03T17:00:00Z'), 'th', BKK)).toBe('4 ธันวาคม 2569');
    expect(formatDocumentDate(new Date('2026-12-03T17:00:00Z'), 'en', 'UTC')).toBe('3 December 2026');
  });

  it('turns the year in the time zone, not in UTC', () => {
    const newYearInBangkok = new Date('2026-12-31T17:30:00Z');
    expect(formatDocumentDate(newYearInBangkok, 'th', BKK)).toBe('1 มกราคม 2570');
    expect(formatDocumentDate(newYearInBangkok, 'en', 'UTC')).toBe('31 December 2026');
    expect(calendarDateIn(newYearInBangkok, BKK)).toEqual({ year: 2027, month: 1, day: 1 });
  });

  it('refuses an unknown time zone and an invalid date', () => {
    expect(() => formatDocumentDate(new Date(), 'th', 'Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => formatDocumentDate(new Date(Number.NaN), 'th', BKK)).toThrow(DomainError);
  });
});
