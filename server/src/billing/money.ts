export const TIERS = ['mu', 'gov', 'private'] as const;
export type Tier = (typeof TIERS)[number];
export const isTier = (t: string): t is Tier => (TIERS as readonly string[]).includes(t);
