import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralize, toCsv } from './export.ts';

const CMD = "=cmd|' /C calc'!A0";

/** The cells a spreadsheet would read back, BOM and CRLF as written. */
const read = (csv: string): string[][] => parse(csv, { bom: true, record_delimiter: '\r\n' });

/** One data row through toCsv, parsed back. */
const roundTrip = (...cells: unknown[]) => {
  const csv = toCsv(cells.map((_, i) => `c${i}`), [cells]);
  const rows = read(csv);
  expect(rows).toHaveLength(2);
  return { csv, cells: rows[1] };
};

// What a spreadsheet starts a formula with, once it skips what it skips.
const startsFormula = (cell: string) => /^[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u.test(cell);

describe('line breaks in a cell', () => {
  it.each([
    ['a lone LF', `\n${CMD}`],
    ['a lone CR', `\r${CMD}`],
    ['CRLF', `\r\n${CMD}`],
    ['an LF mid-cell', `job\n${CMD}`],
    ['a CR mid-cell', `job\r${CMD}`],
  ])('never start a new row: %s', (_, name) => {
    const csv = toCsv(['job id', 'job name', 'cost'], [['100', name, '1.00'], ['101', 'train', '2.00']]);
    const rows = read(csv);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r[0])).toEqual(['job id', '100', '101']);
    for (const row of rows) for (const cell of row) expect(startsFormula(cell)).toBe(false);
    // the only line breaks left are the record delimiters
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(startsFormula(line)).toBe(false);
    }
  });

  it('are written as visible escapes, so the cell still shows what was there', () => {
    expect(roundTrip(`job\n${CMD}`).cells[0]).toBe(`job\\u000A${CMD}`);
    expect(roundTrip('a\r\nb').cells[0]).toBe('a\\u000D\\u000Ab');
    // a leading break is itself a formula start (OWASP lists CR; LF likewise)
    expect(roundTrip(`\n${CMD}`).cells[0]).toBe(`'\\u000A${CMD}`);
    expect(roundTrip(`\r${CMD}`).cells[0]).toBe(`'\\u000D${CMD}`);
  });
});

describe('formula starts', () => {
  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '\n=1', '\u0000=1'])('get an apostrophe: %j', (value) => {
    expect(neutralize(value).startsWith("'")).toBe(true);
  });

  it.each([' =1+2', '   =1+2', '\u00A0=1', '\u3000=1', ' \t =1', '\u200B=1', '\u202E=1'])(
    'get an apostrophe behind leading whitespace or invisibles: %j',
    (value) => {
      const { cells } = roundTrip(value);
      expect(cells[0].startsWith("'")).toBe(true);
    },
  );

  it.each([
    ['＝', '\uFF1D'],
    ['＋', '\uFF0B'],
    ['－', '\uFF0D'],
    ['＠', '\uFF20'],
  ])('get an apostrophe in the fullwidth form %s', (_, c) => {
    expect(neutralize(`${c}SUM(A1)`)).toBe(`'${c}SUM(A1)`);
    expect(neutralize(` ${c}SUM(A1)`)).toBe(`' ${c}SUM(A1)`);
  });

  it('leave formula characters later in a cell, and characters OWASP does not list, alone', () => {
    for (const value of ['relax, then run', 'a=b', 'x+y', 'run-2', 'me@example.org', '|pipe', '%20', ' leading space']) {
      expect(neutralize(value)).toBe(value);
    }
  });
});

describe('control characters', () => {
  it.each([
    ['NUL', '\u0000', '\\u0000'],
    ['ESC', '\u001B', '\\u001B'],
    ['tab', '\t', '\\u0009'],
    ['DEL', '\u007F', '\\u007F'],
    ['C1 CSI', '\u009B', '\\u009B'],
    ['RLO', '\u202E', '\\u202E'],
    ['LRE', '\u202A', '\\u202A'],
    ['RLI', '\u2067', '\\u2067'],
    ['PDI', '\u2069', '\\u2069'],
    ['LRM', '\u200E', '\\u200E'],
    ['RLM', '\u200F', '\\u200F'],
    ['ALM', '\u061C', '\\u061C'],
    ['line separator', '\u2028', '\\u2028'],
  ])('are written as visible text: %s', (_, c, shown) => {
    const { csv, cells } = roundTrip(`job${c}name`);
    expect(cells[0]).toBe(`job${shown}name`);
    expect(csv).not.toContain(c);
  });

  it('are escaped inside objects too', () => {
    const { cells } = roundTrip({ reason: 'x\u202Ey' });
    expect(cells[0]).toBe('{"reason":"x\\u202Ey"}');
  });
});

describe('ordinary cells', () => {
  it('keep Thai text, emoji and other printable Unicode unchanged', () => {
    const names = ['ยาวนาน', 'จำลองโมเลกุล รอบที่ 2', '👨‍👩‍👧 family', 'naïve résumé', 'مرحبا', 'שלום', '計算'];
    const { cells } = roundTrip(...names);
    expect(cells).toEqual(names);
  });

  it('keep numbers unchanged, negative ones included', () => {
    const csv = toCsv(['elapsed (s)', 'delta', 'rate', 'cost (THB)'], [[7200, -12.5, 0.75, '35.80']]);
    expect(csv).toBe('\uFEFFelapsed (s),delta,rate,cost (THB)\r\n7200,-12.5,0.75,35.80\r\n');
  });

  it('keep the BOM, CRLF record delimiters and ordinary quoting', () => {
    const csv = toCsv(['name', 'cost'], [['relax, then run', 12.5], ['say "hi"', 1]]);
    expect(csv).toBe('\uFEFFname,cost\r\n"relax, then run",12.5\r\n"say ""hi""",1\r\n');
  });
});
