export const TIERS = ['mu', 'gov', 'private'] as const;
export type Tier = (typeof TIERS)[number];
export const isTier = (t: string): t is Tier => (TIERS as readonly string[]).includes(t);

// The money math lives in @hpc-accounting/pricing/money. Kept importable from here only for modules that are
// being changed in parallel (billing/rates.ts, usage.ts, export.ts; app.ts; schema/rate.ts, receipt.ts):
// drop this line once they import the package.
export { formatSatang, MoneyError, normalizeRate, parseRate } from '@hpc-accounting/pricing/money';
