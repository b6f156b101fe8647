/**
 * Calendar dates of series buckets. usageSeries buckets in the server's TIME_ZONE and answers each bucket's start as
 * a UTC instant, but does not say which zone that is, and the offset (under a day either way) can put local
 * midnight on the previous UTC date. One month start is enough to tell: local midnight of a 1st falls on the 1st in
 * UTC only when the zone is at or behind UTC.
 */

const DAY = 86_400_000;

export type ZoneSide = 'ahead' | 'behind' | 'utc';

export function zoneSide(monthStart: string): ZoneSide {
  const ms = Date.parse(monthStart);
  if (new Date(ms).getUTCDate() !== 1) return 'ahead';
  return ms % DAY === 0 ? 'utc' : 'behind';
}

/**
 * The local calendar date (YYYY-MM-DD) of a bucket that starts at local midnight. Its UTC clock time is the offset
 * taken from a day; `side` says whether that offset is ahead (+) or behind (-). A zone at UTC when the side was
 * taken (London in winter) can be an hour either way in another season, never twelve.
 */
export function localDate(start: string, side: ZoneSide): string {
  const ms = Date.parse(start);
  const clock = ((ms % DAY) + DAY) % DAY;
  const ahead = side === 'ahead' || (side === 'utc' && clock > DAY / 2);
  const offset = clock === 0 ? 0 : ahead ? DAY - clock : -clock;
  return new Date(ms + offset).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day plus `days` days, as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The first day of the month after the one holding `day`, as YYYY-MM-DD. */
export function nextMonth(day: string): string {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}
