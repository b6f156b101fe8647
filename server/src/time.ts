import { badInput } from './errors.ts';

// Date, time with seconds, optional fraction, and an offset: RFC 3339's `date-time`, with the
// year in four digits so that instants stored as text also compare in order.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** The last millisecond of 9999-12-31 UTC: epoch milliseconds cover the years 1970 to 9999, as the text form does. */
export const MAX_EPOCH_MS = 253_402_300_799_999;

const INTEGER = /^-?\d+$/;

/**
 * An instant as the API takes it, or a BAD_INPUT error naming the field and what was sent:
 * - a full ISO 8601 / RFC 3339 instant with date, time and offset, such as "2026-10-31T17:00:00Z";
 * - epoch milliseconds from 0 to MAX_EPOCH_MS, as an integer number or a string of digits, which is
 *   what Grafana sends for `${__from}`, `"${__timeFrom}"` and the `$from` variable of its GraphQL
 *   datasources (https://grafana.com/docs/grafana/latest/visualizations/dashboards/variables/global-variables/#__from-and-__to).
 *
 * A string of digits is always milliseconds: "1" is 1970-01-01T00:00:00.001Z and "2026" two seconds
 * after the epoch, never a year (`new Date("1")` would be 2001, and `new Date()` alone would roll
 * `2026-02-30` over into March). Negative, fractional ("12.5"), exponent ("1e3") and empty values
 * are refused.
 */
export function parseInstant(value: unknown, field = 'DateTime'): Date {
  // String(), not JSON, for numbers: JSON would show NaN and Infinity as null.
  const shown = typeof value === 'number' ? String(value) : JSON.stringify(value)?.slice(0, 60);
  const integer = typeof value === 'number' ? Number.isInteger(value) : typeof value === 'string' && INTEGER.test(value);
  if (integer) {
    const ms = Number(value);
    if (String(value).startsWith('-') || ms > MAX_EPOCH_MS) {
      throw badInput(`${field} ${shown} is not an instant: epoch milliseconds run from 0 (1970) to ${MAX_EPOCH_MS} (the end of 9999)`);
    }
    return new Date(ms);
  }
  const text = typeof value === 'string' ? value : null;
  const m = text ? INSTANT.exec(text) : null;
  if (!m) {
    throw badInput(
      `${field} must be an ISO 8601 instant with date, time and offset, such as "2026-10-31T17:00:00Z", or epoch milliseconds such as 1793466000000, got ${shown}`,
    );
  }
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const calendar = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    y < 1 || calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== d ||
    h > 23 || mi > 59 || s > 59
  ) {
    throw badInput(`${field} ${shown} is not a real date and time`);
  }
  const instant = new Date(text!);
  if (Number.isNaN(instant.getTime())) throw badInput(`${field} ${shown} is not a real date and time`);
  return instant;
}
