import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { parseInstant } from './time.ts';

const refusal = (value: unknown, field?: string) => {
  try {
    parseInstant(value, field);
  } catch (error) {
    return error;
  }
  throw new Error(`parseInstant accepted ${JSON.stringify(value)}`);
};

describe('parseInstant', () => {
  it.each([
    ['2026-10-31T17:00:00Z', '2026-10-31T17:00:00.000Z'],
    ['2026-10-31T17:00:00.123+07:00', '2026-10-31T10:00:00.123Z'],
    ['2026-10-31T17:00:00.5Z', '2026-10-31T17:00:00.500Z'],
    ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['2026-10-31T17:00:00+14:00', '2026-10-31T03:00:00.000Z'],
    ['2026-10-31T17:00:00-12:00', '2026-11-01T05:00:00.000Z'],
    ['2026-10-31t17:00:00z', '2026-10-31T17:00:00.000Z'],
    ['2026-10-31t17:00:00+00:00', '2026-10-31T17:00:00.000Z'],
    ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59.000Z'],
    // a string of digits is epoch milliseconds (Grafana's "${__timeFrom}"), never a year
    ['1', '1970-01-01T00:00:00.001Z'],
    ['2026', '1970-01-01T00:00:02.026Z'],
    ['0', '1970-01-01T00:00:00.000Z'],
    ['1767225600000', '2026-01-01T00:00:00.000Z'],
    ['253402300799999', '9999-12-31T23:59:59.999Z'],
  ])('accepts %s as %s', (text, iso) => {
    const d = parseInstant(text);
    expect(d).toBeInstanceOf(Date);
    expect(d.toISOString()).toBe(iso);
  });

  it.each([
    ['a date without a time', '2026-10-31'],
    ['February 30th', '2026-02-30T00:00:00Z'],
    ['February 29th of a common year', '2027-02-29T00:00:00Z'],
    ['month 13', '2026-13-01T00:00:00Z'],
    ['month 0', '2026-00-10T00:00:00Z'],
    ['day 0', '2026-10-00T00:00:00Z'],
    ['April 31st', '2026-04-31T00:00:00Z'],
    ['a five-digit year', '10000-01-01T00:00:00Z'],
    ['an expanded year', '+002026-10-31T17:00:00Z'],
    ['a time without an offset', '2026-10-31T17:00:00'],
    ['a time without seconds', '2026-10-31T17:00Z'],
    ['hour 24', '2026-10-31T24:00:00Z'],
    ['minute 60', '2026-10-31T17:60:00Z'],
    ['a space for the T', '2026-10-31 17:00:00Z'],
    ['an offset without a colon', '2026-10-31T17:00:00+0700'],
    ['surrounding whitespace', ' 2026-10-31T17:00:00Z'],
    ['the empty string', ''],
    ['an RFC 2822 date', 'Sat, 31 Oct 2026 17:00:00 GMT'],
    ['negative epoch milliseconds', '-1'],
    ['epoch milliseconds past 9999', '253402300800000'],
    ['far too many digits', '99999999999999999999999'],
    ['a fraction', '12.5'],
    ['an exponent', '1e3'],
    ['hexadecimal', '0x10'],
    ['digits with a sign', '+1767225600000'],
    ['digits with whitespace', ' 1767225600000'],
    ['digits with a unit', '1767225600000ms'],
  ])('refuses %s (%s) with BAD_INPUT', (_what, text) => {
    const error = refusal(text);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_INPUT');
    expect((error as DomainError).message).toContain(JSON.stringify(text));
  });

  it.each([
    [12345, '1970-01-01T00:00:12.345Z'],
    [0, '1970-01-01T00:00:00.000Z'],
    [1767225600000, '2026-01-01T00:00:00.000Z'],
    [253402300799999, '9999-12-31T23:59:59.999Z'],
  ])('accepts the number %s as epoch milliseconds, %s', (ms, iso) => {
    expect(parseInstant(ms).toISOString()).toBe(iso);
  });

  it.each([
    ['a negative number', -1],
    ['a number past 9999', 253402300800000],
    ['a fraction', 12.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['an object', { year: 2026 }],
    ['a Date object', new Date('2026-10-31T17:00:00Z')],
    ['an array', ['2026-10-31T17:00:00Z']],
  ])('refuses %s with BAD_INPUT', (_what, value) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_INPUT');
  });

  it('names the field and an example in its message', () => {
    const error = refusal('2026-10', 'completedBefore') as DomainError;
    expect(error.message).toMatch(/^completedBefore /);
    expect(error.message).toContain('2026-10-31T17:00:00Z');
    expect(error.message).toContain('epoch milliseconds');
  });

  it('names the range when epoch milliseconds are out of it', () => {
    for (const value of [-1, '-1', 253402300800000, '253402300800000']) {
      const error = refusal(value, 'from') as DomainError;
      expect(error.message).toMatch(/^from /);
      expect(error.message).toContain('253402300799999');
    }
  });
});
