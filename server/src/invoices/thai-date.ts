import { badInput } from '../errors.ts';

/** A day of the Gregorian calendar; `month` runs 1 to 12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export type DocumentLocale = 'th' | 'en';

const TH_MONTHS = [
  'มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน',
  'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม',
];
const EN_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** The Thai solar calendar counts years of the Buddhist era, 543 ahead of the common era. */
export const BUDDHIST_ERA_OFFSET = 543;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      // Gregorian and Latin digits pinned: the runtime's default calendar or numbering must not leak in.
      f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      throw badInput(`unknown time zone "${timeZone}"; use an IANA name such as "Asia/Bangkok"`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar day an instant falls on in a time zone (an invoice issued at 23:30 UTC is dated the next day in Bangkok). */
export function calendarDateIn(d: Date, timeZone: string): CalendarDate {
  if (Number.isNaN(d.getTime())) throw badInput('the document date is not a valid date');
  const parts = formatterFor(timeZone).formatToParts(d);
  const num = (type: 'year' | 'month' | 'day') => Number(parts.find((p) => p.type === type)?.value);
  return { year: num('year'), month: num('month'), day: num('day') };
}

/**
 * "3 ธันวาคม 2569" (th, Buddhist era) or "3 December 2026" (en). Only the numbers come from Intl; the words are
 * ours, so a different ICU version cannot change a printed document.
 */
export function formatDocumentDate(d: Date, locale: DocumentLocale, timeZone: string): string {
  const { year, month, day } = calendarDateIn(d, timeZone);
  return locale === 'th'
    ? `${day} ${TH_MONTHS[month - 1]} ${year + BUDDHIST_ERA_OFFSET}`
    : `${day} ${EN_MONTHS[month - 1]} ${year}`;
}
