import { badInput } from '../errors.ts';
import { BUDDHIST_ERA_OFFSET, calendarDateIn } from './thai-date.ts';

/**
 * Document numbers from a configured pattern such as `INV-{YYYY}-{SEQ:6}` → "INV-2026-000042".
 * Tokens: {YYYY} the year, {YY} its last two digits, {BE} the Buddhist-era year, {MM} the month (01–12), and
 * exactly one {SEQ} or {SEQ:n} (the sequence number, zero-padded to n digits).
 */
export type NumberPart =
  | { kind: 'text'; text: string }
  | { kind: 'year' }
  | { kind: 'year2' }
  | { kind: 'buddhistYear' }
  | { kind: 'month' }
  | { kind: 'seq'; width: number };

export interface NumberPattern {
  /** The pattern as configured. */
  source: string;
  parts: NumberPart[];
  /** With a year token the sequence restarts each year; without one it never restarts. */
  yearly: boolean;
}

export interface NumberContext {
  /** When the document is issued; its calendar date in `timeZone` gives the year and month. */
  date: Date;
  /** 1 or more, as counted under `sequenceScope`. */
  seq: number | bigint;
  timeZone: string;
}

const MAX_PATTERN_LENGTH = 64;
const MAX_SEQ_WIDTH = 12;
const TOKENS: Record<string, NumberPart> = {
  YYYY: { kind: 'year' },
  YY: { kind: 'year2' },
  BE: { kind: 'buddhistYear' },
  MM: { kind: 'month' },
};
const KNOWN = '{YYYY}, {YY}, {BE}, {MM}, {SEQ} and {SEQ:n}';
// Control characters would print as nothing or break a line of the document.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Reads and checks a pattern; every mistake is a BAD_INPUT error that names it. */
export function parseNumberPattern(text: string): NumberPattern {
  const fail = (problem: string) => badInput(`document number pattern "${text}": ${problem}`);
  if (text.trim() === '') throw badInput('document number pattern is empty; write one such as "INV-{YYYY}-{SEQ:6}"');
  if (text.length > MAX_PATTERN_LENGTH) throw fail(`longer than ${MAX_PATTERN_LENGTH} characters`);
  if (CONTROL.test(text)) throw fail('contains a control character');
  const parts: NumberPart[] = [];
  let rest = text;
  while (rest) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (close !== -1 && (open === -1 || close < open)) throw fail(`"}" without a matching "{" at "${rest}"`);
    if (open === -1) {
      parts.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) parts.push({ kind: 'text', text: rest.slice(0, open) });
    if (close === -1) throw fail(`"{" is never closed at "${rest.slice(open)}"`);
    const name = rest.slice(open + 1, close);
    if (name.includes('{')) throw fail(`"{" is never closed at "${rest.slice(open)}"`);
    parts.push(tokenPart(name, fail));
    rest = rest.slice(close + 1);
  }
  const seqs = parts.filter((p) => p.kind === 'seq').length;
  if (seqs === 0) throw fail('has no {SEQ} token, so two documents could get the same number; add {SEQ} or {SEQ:6}');
  if (seqs > 1) throw fail('has more than one {SEQ} token; use exactly one');
  const yearly = parts.some((p) => p.kind === 'year' || p.kind === 'year2' || p.kind === 'buddhistYear');
  return { source: text, parts, yearly };
}

function tokenPart(name: string, fail: (problem: string) => Error): NumberPart {
  const known = TOKENS[name];
  if (known) return known;
  const seq = /^SEQ(?::(\d+))?$/.exec(name);
  if (!seq) throw fail(`unknown token {${name}}; the tokens are ${KNOWN}`);
  const width = seq[1] === undefined ? 1 : Number(seq[1]);
  if (width < 1 || width > MAX_SEQ_WIDTH) throw fail(`{${name}} pads to ${seq[1]} digits; use 1 to ${MAX_SEQ_WIDTH}`);
  return { kind: 'seq', width };
}

const asPattern = (pattern: string | NumberPattern) => (typeof pattern === 'string' ? parseNumberPattern(pattern) : pattern);

function checkSeq(seq: number | bigint): bigint {
  if (typeof seq === 'number' && !Number.isSafeInteger(seq)) throw badInput(`sequence number must be a whole number, got ${seq}`);
  const n = BigInt(seq);
  if (n < 1n) throw badInput(`sequence number must be 1 or more, got ${n}`);
  return n;
}

/**
 * The number of one document. A sequence number wider than its padding is printed whole, never cut, so numbers
 * stay unique past 999999.
 */
export function formatDocumentNumber(pattern: string | NumberPattern, { date, seq, timeZone }: NumberContext): string {
  const { parts } = asPattern(pattern);
  const n = checkSeq(seq);
  const { year, month } = calendarDateIn(date, timeZone);
  return parts
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'year':
          return String(year).padStart(4, '0');
        case 'year2':
          return String(year % 100).padStart(2, '0');
        case 'buddhistYear':
          return String(year + BUDDHIST_ERA_OFFSET);
        case 'month':
          return String(month).padStart(2, '0');
        case 'seq':
          return n.toString().padStart(p.width, '0');
      }
    })
    .join('');
}

/**
 * The key a store keeps one counter under: the pattern (with the {SEQ} padding left out, so widening it keeps
 * counting) and, for a yearly pattern, the year in `timeZone`. Documents that share a pattern share a counter,
 * which is what keeps their numbers apart; a different pattern prints different numbers and counts on its own.
 */
export function sequenceScope(pattern: string | NumberPattern, date: Date, timeZone: string): string {
  const p = asPattern(pattern);
  const shape = p.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'year':
          return '{YYYY}';
        case 'year2':
          return '{YY}';
        case 'buddhistYear':
          return '{BE}';
        case 'month':
          return '{MM}';
        case 'seq':
          return '{SEQ}';
      }
    })
    .join('');
  return p.yearly ? `${shape}@${calendarDateIn(date, timeZone).year}` : shape;
}
