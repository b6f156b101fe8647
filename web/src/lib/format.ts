/** Display helpers. Amounts of money are already exact decimal strings and are shown as they are. */

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as YYYY-MM-DD HH:MM: unambiguous in both languages, sortable, no Buddhist-era surprise. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${formatDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatDate(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Slurm's elapsed format, [D-]HH:MM:SS. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const clock = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}-${clock}` : clock;
}

const HOURS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Resource hours (Float in the API) to two decimals with thousands separators, for display only. */
export function formatHours(hours: number): string {
  return HOURS.format(hours);
}

/** An exact Decimal string from the API ("12345.6") with thousands separators ("12,345.60"); never via a float. */
export function formatMoney(amount: string | null | undefined): string {
  const match = amount ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim()) : null;
  if (!match) return amount ?? '—';
  const [, sign, int, frac = ''] = match;
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac.padEnd(2, '0')}`;
}

/** A yyyy-mm-dd date input → the start of that day in the browser's time zone, as an ISO instant. */
export function startOfLocalDay(value: string | null): string | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The end of a yyyy-mm-dd day in the browser's time zone (the start of the next day), as an ISO instant. */
export function endOfLocalDay(value: string | null): string | null {
  const start = startOfLocalDay(value);
  if (!start) return null;
  const date = new Date(start);
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/**
 * The billing cut-off for a "completed on or before" day: the end of that day, but never later than now (only
 * finished usage can be billed). Without a day it is now.
 */
export function cutoffFor(day: string | null, now: Date = new Date()): string {
  const end = endOfLocalDay(day);
  return end && Date.parse(end) < now.getTime() ? end : now.toISOString();
}

/** Today (or `date`) as yyyy-mm-dd in the browser's time zone, for `max` on date inputs. */
export function localDay(date: Date = new Date()): string {
  return formatDate(date);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago" / "5 นาทีที่แล้ว"; under a minute reads as "now". */
export function timeAgo(iso: string | null | undefined, locale: string, now: number = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return '—';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/**
 * An instant in the page's language, to the minute: "14 Oct 2026, 10:30" or "14 ต.ค. 2569 10:30". Thai dates come in
 * the Buddhist era, as the charts write them.
 */
export function formatDateTimeIn(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A yyyy-mm-dd day in the page's language ("14 October 2026", "14 ตุลาคม 2569"); null for anything else. */
export function formatDayIn(day: string | null | undefined, locale: string, style: 'long' | 'medium' = 'long'): string | null {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!match) return null;
  // A calendar date, not an instant: formatted in UTC, it reads the same in every time zone.
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(match[3])) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: 'UTC' }).format(date);
}

/**
 * Exact decimal text ("451070000000.5") with the language's digit grouping and decimal sign ("451,070,000,000.5"),
 * never through a float; `places` pads the fraction. Text that is not a plain decimal comes back as it is.
 */
export function formatDecimalIn(text: string | null | undefined, locale: string, places = 0): string {
  const match = text ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim()) : null;
  if (!match) return text ?? '—';
  const [, sign, int, frac = ''] = match;
  const parts = new Intl.NumberFormat(locale).formatToParts(11111.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const grouped = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const fraction = frac.padEnd(places, '0');
  return `${sign}${grouped}${fraction ? `${decimal}${fraction}` : ''}`;
}
