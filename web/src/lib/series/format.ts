import type { SeriesBucket } from '$lib/graphql/generated/graphql';
import { formatMoney } from '../format';

/**
 * Labels in the page's language. Bucket dates are local calendar dates already (zone.ts), so they are formatted as
 * UTC dates: the same text on the server and in any browser, whatever its zone. Thai dates come in the Buddhist era,
 * as Thai readers expect them.
 */
export function bucketLabel(date: string, bucket: SeriesBucket, locale: string, style: 'short' | 'long'): string {
  const at = new Date(`${date}T00:00:00Z`);
  const options: Intl.DateTimeFormatOptions =
    bucket === 'MONTH'
      ? style === 'short'
        ? { month: 'short', year: '2-digit' }
        : { month: 'long', year: 'numeric' }
      : style === 'short'
        ? { day: 'numeric', month: 'short' }
        : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(at);
}

/** Axis ticks, short ("12K", "2.5"): one decimal below ten, where steps of half a unit occur. */
export function formatTick(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: value !== 0 && Math.abs(value) < 10 ? 1 : 0 }).format(value);
}

/** Hours to two decimals with the language's separators. */
export function formatHoursIn(hours: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(hours);
}

/**
 * A value's exact text for a table: money as the API wrote it, grouped ("12,345.60", never through a float; English
 * and Thai group and point alike), hours to two decimals.
 */
export function formatValue(text: string, money: boolean, locale: string): string {
  return money ? formatMoney(text) : formatHoursIn(Number(text), locale);
}
