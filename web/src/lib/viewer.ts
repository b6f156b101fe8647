export type Role = 'user' | 'operator' | 'admin';
export type Tier = 'mu' | 'gov' | 'private';

/** The logged-in user, as the server puts it on the request (or as `query Viewer` returns it in `vite dev`). */
export interface Viewer {
  id: number;
  username: string;
  role: Role;
  tier: Tier;
}

export const TIERS: readonly Tier[] = ['mu', 'gov', 'private'];

/** Operators and admins: they read everyone's usage, receipts and audit log. */
export function isStaff(viewer: Pick<Viewer, 'role'>): boolean {
  return viewer.role === 'operator' || viewer.role === 'admin';
}
