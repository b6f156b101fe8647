import type { AccountRoleSource, Role } from '../auth/roles.ts';
import type { Tier } from '../billing/money.ts';
import { EMPTY_BUCKET, type UsageBucket, type UsageFilter, usageTotals } from '../billing/usage.ts';
import type { Db } from '../db/client.ts';
import { usageFromRollups } from '../rollups/totals.ts';
import { finishedJobCounts, type UserFilter, usernames, userRows } from './store.ts';

/** One user as the staff's user list shows them. */
export interface UserSummary {
  username: string;
  tier: Tier;
  /** No tier is recorded (they never logged in, and no admin set one): billed at the server's DEFAULT_TIER. */
  tierIsDefault: boolean;
  role: Role;
  /** What set the role; null on an account that has not logged in since this was recorded. */
  roleSource: AccountRoleSource | null;
  lastLoginAt: Date | null;
  /** All their finished jobs, billed or not. */
  finishedJobs: number;
  /** Their finished jobs on no receipt yet, at their tier's current rates. */
  unbilled: UsageBucket;
}

export interface UserPage {
  nodes: UserSummary[];
  hasNextPage: boolean;
  /** The last username of the page: `after` for the next one. */
  endCursor: string | null;
}

/** The same totals `jobs(filter).totals` answers: from the rollups, as the whole ledger is a window they answer exactly. */
async function totalsOf(db: Db, filter: UsageFilter, defaultTier: string) {
  const rolled = await usageFromRollups(db, filter, []);
  if (!rolled) return usageTotals(db, filter, defaultTier);
  return rolled[0] ?? EMPTY_BUCKET;
}

/**
 * A page of every user the logins or the ledger know, by username: tier, role and where it came from, last login,
 * finished jobs and the unbilled total. A user only the ledger knows holds the default tier and the plain user role.
 */
export async function listUsers(db: Db, filter: UserFilter, first: number, after: string | null | undefined, defaultTier: string): Promise<UserPage> {
  const names = await usernames(db, filter, first + 1, after);
  const page = names.slice(0, first);
  const [rowList, finished] = await Promise.all([userRows(db, page), finishedJobCounts(db, page)]);
  const rows = new Map(rowList.map((r) => [r.username, r]));
  const nodes = await Promise.all(
    page.map(async (username): Promise<UserSummary> => {
      const row = rows.get(username);
      const unbilled = await totalsOf(db, { user: username, billed: false }, defaultTier);
      return {
        username,
        tier: (row?.tier ?? defaultTier) as Tier,
        tierIsDefault: !row,
        role: (row?.role ?? 'user') as Role,
        roleSource: row ? ((row.roleSource as AccountRoleSource | null) ?? null) : 'default',
        lastLoginAt: row?.lastLoginAt ?? null,
        finishedJobs: finished.get(username) ?? 0,
        unbilled,
      };
    }),
  );
  return { nodes, hasNextPage: names.length > first, endCursor: page.at(-1) ?? null };
}
