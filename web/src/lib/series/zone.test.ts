import { describe, expect, it } from 'vitest';
import { addDays, localDate, nextMonth, zoneSide } from './zone';

/** Local midnight of `day` in `zone`, as the API would answer a bucket start. */
function midnight(day: string, zone: string): string {
  // Walk the UTC instants around the day until the zone's clock reads 00:00 on it.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const base = Date.parse(`${day}T00:00:00Z`);
  for (let m = -15 * 60; m <= 15 * 60; m += 15) {
    const at = base + m * 60_000;
    if (format.format(at) === `${day}, 00:00`) return new Date(at).toISOString();
  }
  throw new Error(`no midnight for ${day} in ${zone}`);
}

describe('bucket dates without the zone’s name', () => {
  const zones = ['Asia/Bangkok', 'UTC', 'America/New_York', 'Pacific/Honolulu', 'Pacific/Auckland', 'Pacific/Kiritimati', 'Europe/London', 'Asia/Kolkata', 'Pacific/Pago_Pago'];
  const days = ['2026-01-01', '2026-03-29', '2026-06-15', '2026-10-25', '2026-11-01', '2026-12-31'];

  it.each(zones)('reads local dates back in %s from one month start', (zone) => {
    for (const probe of ['2026-01-01', '2026-07-01']) {
      const side = zoneSide(midnight(probe, zone));
      for (const day of days) expect(localDate(midnight(day, zone), side), `${day} (side from ${probe})`).toBe(day);
    }
  });

  it('tells the side from where local midnight of a 1st falls in UTC', () => {
    expect(zoneSide('2026-11-30T17:00:00.000Z')).toBe('ahead'); // Bangkok, 1 Dec
    expect(zoneSide('2026-12-01T10:00:00.000Z')).toBe('behind'); // Honolulu
    expect(zoneSide('2026-12-01T00:00:00.000Z')).toBe('utc');
  });

  it('counts days and months in the calendar', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(nextMonth('2026-12-15')).toBe('2027-01-01');
    expect(nextMonth('2026-01-31')).toBe('2026-02-01');
  });
});
