import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { formatDocumentNumber, parseNumberPattern, sequenceScope } from './numbering.ts';

const BKK = 'Asia/Bangkok';
const dec3 = new Date('2026-12-03T05:00:00Z');

describe('formatDocumentNumber', () => {
  it.each([
    ['INV-{YYYY}-{SEQ:6}', 42, 'INV-2026-000042'],
    ['INV-{BE}-{SEQ:6}', 42, 'INV-2569-000042'],
    ['RC{YY}{MM}-{SEQ:4}', 7, 'RC2612-0007'],
    ['{BE}/{MM}/{SEQ}', 123, '2569/12/123'],
    ['ใบแจ้งหนี้ {SEQ:3}', 5, 'ใบแจ้งหนี้ 005'],
    ['INV-{SEQ:3}', 123_456, 'INV-123456'],
    ['{SEQ:12}', 9_007_199_254_740_993n, '9007199254740993'],
  ] as const)('%s with %s → %s', (pattern, seq, number) => {
    expect(formatDocumentNumber(pattern, { date: dec3, seq, timeZone: BKK })).toBe(number);
  });

  it('takes the year and month in the time zone', () => {
    const newYearInBangkok = new Date('2026-12-31T17:30:00Z');
    expect(formatDocumentNumber('INV-{YYYY}{MM}-{SEQ:4}', { date: newYearInBangkok, seq: 1, timeZone: BKK })).toBe('INV-202701-0001');
    expect(formatDocumentNumber('INV-{YYYY}{MM}-{SEQ:4}', { date: newYearInBangkok, seq: 1, timeZone: 'UTC' })).toBe('INV-202612-0001');
  });

  it('accepts a parsed pattern', () => {
    const pattern = parseNumberPattern('INV-{YYYY}-{SEQ:6}');
    expect(formatDocumentNumber(pattern, { date: dec3, seq: 1n, timeZone: BKK })).toBe('INV-2026-000001');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the sequence number %s', (seq) => {
    expect(() => formatDocumentNumber('INV-{SEQ}', { date: dec3, seq, timeZone: BKK })).toThrow(/sequence number/);
  });
});

describe('parseNumberPattern', () => {
  it('reads the parts and whether the sequence is yearly', () => {
    expect(parseNumberPattern('INV-{YYYY}-{SEQ:6}')).toEqual({
      source: 'INV-{YYYY}-{SEQ:6}',
      parts: [{ kind: 'text', text: 'INV-' }, { kind: 'year' }, { kind: 'text', text: '-' }, { kind: 'seq', width: 6 }],
      yearly: true,
    });
    expect(parseNumberPattern('INV-{MM}-{SEQ}').yearly).toBe(false);
    expect(parseNumberPattern('{BE}{SEQ}').yearly).toBe(true);
    expect(parseNumberPattern('{YY}{SEQ}').yearly).toBe(true);
  });

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['INV-{YYYY}', /has no \{SEQ\} token/],
    ['INV-2026-0001', /has no \{SEQ\} token/],
    ['{SEQ}-{SEQ:4}', /more than one \{SEQ\}/],
    ['INV-{YEAR}-{SEQ}', /unknown token \{YEAR\}; the tokens are \{YYYY\}/],
    ['INV-{yyyy}-{SEQ}', /unknown token \{yyyy\}/],
    ['INV-{}-{SEQ}', /unknown token \{\}/],
    ['INV-{SEQ:0}', /pads to 0 digits; use 1 to 12/],
    ['INV-{SEQ:13}', /pads to 13 digits/],
    ['INV-{SEQ:x}', /unknown token \{SEQ:x\}/],
    ['INV-{YYYY-{SEQ}', /"\{" is never closed at "\{YYYY-\{SEQ\}"/],
    ['INV-{SEQ', /"\{" is never closed/],
    ['INV-}{SEQ}', /"\}" without a matching "\{"/],
    ['INV\n{SEQ}', /control character/],
    [`${'X'.repeat(60)}{SEQ}`, /longer than 64 characters/],
  ])('refuses %j', (pattern, problem) => {
    let error: unknown;
    try {
      parseNumberPattern(pattern);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_INPUT');
    expect((error as DomainError).message).toMatch(problem);
  });
});

describe('sequenceScope', () => {
  const jan = new Date('2027-01-02T05:00:00Z');

  it('restarts a yearly pattern each year, in the time zone', () => {
    expect(sequenceScope('INV-{YYYY}-{SEQ:6}', dec3, BKK)).toBe('INV-{YYYY}-{SEQ}@2026');
    expect(sequenceScope('INV-{YYYY}-{SEQ:6}', jan, BKK)).toBe('INV-{YYYY}-{SEQ}@2027');
    expect(sequenceScope('INV-{BE}-{SEQ}', new Date('2026-12-31T17:30:00Z'), BKK)).toBe('INV-{BE}-{SEQ}@2027');
    expect(sequenceScope('INV-{BE}-{SEQ}', new Date('2026-12-31T17:30:00Z'), 'UTC')).toBe('INV-{BE}-{SEQ}@2026');
  });

  it('keeps counting within the year across months, even when the month is printed', () => {
    expect(sequenceScope('INV-{YYYY}{MM}-{SEQ}', new Date('2026-02-01T05:00:00Z'), BKK)).toBe(sequenceScope('INV-{YYYY}{MM}-{SEQ}', dec3, BKK));
  });

  it('never restarts a pattern without a year', () => {
    expect(sequenceScope('INV-{SEQ:6}', dec3, BKK)).toBe('INV-{SEQ}');
    expect(sequenceScope('INV-{MM}-{SEQ}', jan, BKK)).toBe(sequenceScope('INV-{MM}-{SEQ}', dec3, BKK));
  });

  it('counts per pattern, but not per padding', () => {
    expect(sequenceScope('INV-{YYYY}-{SEQ:6}', dec3, BKK)).toBe(sequenceScope('INV-{YYYY}-{SEQ:8}', dec3, BKK));
    expect(sequenceScope('INV-{YYYY}-{SEQ}', dec3, BKK)).not.toBe(sequenceScope('RC-{YYYY}-{SEQ}', dec3, BKK));
  });
});
