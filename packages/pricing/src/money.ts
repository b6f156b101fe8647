/**
 * Exact money: rates are decimal text (THB, up to 6 decimal places), amounts integer satang.
 * Quantities (hours) are exact fractions, so a cost is rounded once, half-up, at the end.
 */
import { MAX_RATE_THB_PER_HOUR } from './limits.js';

export interface Fraction {
  num: bigint;
  den: bigint;
}

const RATE_SCALE = 1_000_000n;
const MAX_RATE_MICRO = BigInt(MAX_RATE_THB_PER_HOUR) * RATE_SCALE;
const DECIMAL_RE = /^\d{1,9}(\.\d{1,6})?$/;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/** "12.5" → 12_500_000n (micro-THB). Negative, exponent and over-precise values are refused. */
export function parseRate(text: string, field = 'rate'): bigint {
  const s = text.trim();
  if (!DECIMAL_RE.test(s)) {
    throw new MoneyError(`${field} must be a non-negative decimal with at most 6 decimal places, got "${text}"`);
  }
  const [int, frac = ''] = s.split('.');
  return BigInt(int) * RATE_SCALE + BigInt(frac.padEnd(6, '0'));
}

/**
 * A rate someone sets, refused above MAX_RATE_THB_PER_HOUR. Reading stays unbounded (parseRate), so a rate an
 * older version stored still prices until an admin lowers it, instead of breaking every usage query.
 */
export function parseNewRate(text: string, field = 'rate'): bigint {
  const micro = parseRate(text, field);
  if (micro > MAX_RATE_MICRO) {
    throw new MoneyError(
      `${field} must be at most ${MAX_RATE_THB_PER_HOUR} THB per hour (so the largest job the ledger holds still fits in 64-bit satang), got "${text}"`,
    );
  }
  return micro;
}

/** Canonical text of a rate: "12.5", "0.0125", "3". */
export function formatRate(micro: bigint): string {
  const int = micro / RATE_SCALE;
  const frac = (micro % RATE_SCALE).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** The canonical text of a rate being set, within the bound. */
export function normalizeRate(text: string, field?: string): string {
  return formatRate(parseNewRate(text, field));
}

/** Satang → "1234.50" */
export function formatSatang(satang: number | bigint): string {
  const v = BigInt(satang);
  const sign = v < 0n ? '-' : '';
  const abs = v < 0n ? -v : v;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export const frac = (num: bigint | number, den: bigint | number = 1n): Fraction => ({
  num: BigInt(num),
  den: BigInt(den),
});

export function mulRate(hours: Fraction, rateMicro: bigint): Fraction {
  return { num: hours.num * rateMicro, den: hours.den * RATE_SCALE };
}

export function addFractions(...fs: Fraction[]): Fraction {
  return fs.reduce((a, b) => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den }), frac(0));
}

/** THB fraction → satang, rounded half-up (away from zero for the non-negative amounts we bill). */
export function toSatang(thb: Fraction): bigint {
  const num = thb.num * 100n;
  return (2n * num + thb.den) / (2n * thb.den);
}

export const toNumber = (f: Fraction): number => Number(f.num) / Number(f.den);

/** A finite non-negative JS number as an exact fraction of its shortest decimal text. */
export function fromNumber(n: number, field = 'value'): Fraction {
  if (!Number.isFinite(n) || n < 0) throw new MoneyError(`${field} must be a finite number >= 0, got ${n}`);
  const [mant, exp = '0'] = n.toString().split('e');
  const [i, f = ''] = mant.split('.');
  let num = BigInt(i + f);
  let den = 10n ** BigInt(f.length);
  const e = Number(exp);
  if (e > 0) num *= 10n ** BigInt(e);
  else if (e < 0) den *= 10n ** BigInt(-e);
  return { num, den };
}
