import { MAX_RATE_THB_PER_HOUR } from '@hpc-accounting/pricing/limits';
import { MoneyError, parseNewRate, parseRate } from '@hpc-accounting/pricing/money';
import type { ErrorMessage } from '../graphql/errors';

/** More digits before the point than parseRate reads: refused as malformed, but far over the bound. */
const LONG_NUMBER = /^\d{10,}(\.\d+)?$/;

const refuses = (parse: (text: string) => bigint, text: string): boolean => {
  try {
    parse(text);
    return false;
  } catch (error) {
    if (error instanceof MoneyError) return true;
    throw error;
  }
};

/**
 * Why the server would refuse a rate an admin typed, or null when it would take it. The check is the one the
 * server runs on `updateRate` (parseNewRate), so the form refuses exactly what the server refuses.
 */
export function rateInputError(text: string): ErrorMessage | null {
  if (!refuses(parseNewRate, text)) return null;
  // parseNewRate refuses what parseRate reads only for being over the bound
  return refuses(parseRate, text) && !LONG_NUMBER.test(text.trim())
    ? { key: 'rate_invalid_decimal' }
    : { key: 'rate_too_large', values: { max: MAX_RATE_THB_PER_HOUR } };
}
