import { badInput } from './errors.ts';

// Date, time with seconds, optional fraction, and an offset: RFC 3339's `date-time`, with the
// year in four digits so that instants stored as text also compare in order.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A full ISO 8601 instant, or a BAD_INPUT error naming what was sent. `new Date()` alone would
 * take `"1"` as the year 2001 and roll `2026-02-30` over into March.
 */
export function parseInstant(value: unknown, field = 'DateTime'): Date {
  const text = typeof value === 'string' ? value : null;
  const m = text ? INSTANT.exec(text) : null;
  const shown = JSON.stringify(value)?.slice(0, 60);
  if (!m) throw badInput(`${field} must be an ISO 8601 instant with date, time and offset, such as "2026-10-31T17:00:00Z", got ${shown}`);
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
