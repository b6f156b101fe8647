/**
 * Exact decimal arithmetic on BigInt, enough for money: value = units / 10^scale.
 * Floats never touch an amount (0.1 + 0.2 must stay 0.3 when it becomes satang).
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

export const ZERO: Decimal = { units: 0n, scale: 0 };

/** "12", "12.50", ".5", "1e3" → Decimal; anything else (empty, "1,5", "abc") → null. */
export function parseDecimal(text: string | number): Decimal | null {
  const match = NUMBER.exec(String(text).trim());
  if (!match) return null;
  const [, sign, int, frac = '', exp] = match;
  if (int === '' && frac === '') return null;
  let units = BigInt(`${int || '0'}${frac}`);
  if (sign === '-') units = -units;
  let scale = frac.length - (exp ? Number(exp) : 0);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

function rescale(value: Decimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = add(total, value);
  return total;
}

export function isNegative(value: Decimal): boolean {
  return value.units < 0n;
}

/** Round half away from zero ("half-up" as money rounds it) to `places` decimals. */
export function roundHalfUp(value: Decimal, places: number): Decimal {
  if (value.scale <= places) return { units: rescale(value, places), scale: places };
  const divisor = 10n ** BigInt(value.scale - places);
  const magnitude = value.units < 0n ? -value.units : value.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return { units: value.units < 0n ? -quotient : quotient, scale: places };
}

function render(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Fixed decimals, rounded half-up: toFixed(x, 2) → "12.35". */
export function toFixed(value: Decimal, places: number): string {
  const rounded = roundHalfUp(value, places);
  return render(rounded.units, rounded.scale);
}

/** Shortest exact form: 2.500 → "2.5", 3.0 → "3". */
export function toPlain(value: Decimal): string {
  return render(value.units, value.scale).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
