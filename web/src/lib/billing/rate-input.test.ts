import { MAX_RATE_THB_PER_HOUR } from '@hpc-accounting/pricing/limits';
import { describe, expect, it } from 'vitest';
import { rateInputError } from './rate-input';

const tooLarge = { key: 'rate_too_large', values: { max: MAX_RATE_THB_PER_HOUR } };
const malformed = { key: 'rate_invalid_decimal' };

describe('rateInputError', () => {
  it('takes what the server takes, up to the bound', () => {
    for (const text of ['0', '12.5', ' 0.000001 ', '1000', '1000.000000', '0999.5']) expect(rateInputError(text), text).toBeNull();
  });

  it('names the bound for a rate over it', () => {
    expect(MAX_RATE_THB_PER_HOUR).toBe(1000);
    for (const text of ['1000.000001', '1001', '999999999.999999', '12345678901', '12345678901.5']) {
      expect(rateInputError(text), text).toEqual(tooLarge);
    }
  });

  it('refuses what is not a plain decimal with at most 6 places', () => {
    for (const text of ['', ' ', '-1', '1e3', '1,5', '.5', '5.', '0.0000001', 'abc', '1000.0000001']) {
      expect(rateInputError(text), text).toEqual(malformed);
    }
  });
});
