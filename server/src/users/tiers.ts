import { recordAudit, type RequestMeta } from '../audit/recorder.ts';
import { isTier, type Tier, TIERS } from '../billing/money.ts';
import { EMPTY_BUCKET, unbilledByUser, type UsageBucket } from '../billing/usage.ts';
import type { Db, Tx } from '../db/client.ts';
import { badInput, notFound } from '../errors.ts';
import { rebuildRollups } from '../rollups/store.ts';
import { isKnownUser, usersOfAccount, userRows, writeTiers } from './store.ts';

/** Whose tier to set: one user, or everyone with jobs in a Slurm account. Exactly one of the two. */
export type TierTarget = { username: string } | { account: string };

export interface TierMove {
  username: string;
  from: Tier;
  to: Tier;
  /** false: the user already had the tier, and nothing of theirs changes. */
  changed: boolean;
}

/** What a tier change does (or did): who moves, and what their unbilled jobs are worth before and after. */
export interface TierChangeImpact {
  tier: Tier;
  account: string | null;
  users: TierMove[];
  /** The unbilled finished jobs of the users who change, at their tier before and after; billed jobs keep their receipt's cost. */
  unbilledBefore: UsageBucket;
  unbilledAfter: UsageBucket;
}

// As long as a rate change may take: a large account reprices many users' rollups.
const TIMEOUT_MS = 120_000;

function checkTier(tier: string): Tier {
  if (!isTier(tier)) throw badInput(`unknown tier "${tier}" (known: ${TIERS.join(', ')})`);
  return tier;
}

function checkName(value: string, what: 'username' | 'account') {
  const name = value.trim();
  if (!name) throw badInput(`${what} must not be empty`);
  return name;
}

function add(a: UsageBucket, b: UsageBucket): UsageBucket {
  return {
    key: {},
    sums: {
      jobs: a.sums.jobs + b.sums.jobs,
      elapsedSeconds: a.sums.elapsedSeconds + b.sums.elapsedSeconds,
      cpuSeconds: a.sums.cpuSeconds + b.sums.cpuSeconds,
      gpuSeconds: a.sums.gpuSeconds + b.sums.gpuSeconds,
      memMiBSeconds: a.sums.memMiBSeconds + b.sums.memMiBSeconds,
    },
    costSatang: a.costSatang + b.costSatang,
  };
}

/** Each user's unbilled finished jobs priced as the ledger prices them, inside the transaction (so at the tiers it has written). */
async function unbilledOf(tx: Tx, users: readonly string[], defaultTier: string) {
  const buckets = await unbilledByUser(tx, users, defaultTier);
  return new Map(buckets.map((b) => [b.key.user!, b]));
}

async function targetUsers(tx: Db | Tx, target: TierTarget): Promise<string[]> {
  if ('username' in target) {
    const username = checkName(target.username, 'username');
    if (!(await isKnownUser(tx, username))) throw notFound(`no user named "${username}": nobody of that name has logged in or run a job`);
    return [username];
  }
  const account = checkName(target.account, 'account');
  const users = await usersOfAccount(tx, account);
  if (users.length === 0) throw notFound(`no jobs in the ledger were run in the Slurm account "${account}"`);
  return users;
}

/**
 * Moves the target's users to `tier` inside `tx`: each changed user's row, their rollups repriced and one audit entry
 * per user. Users already at the tier are left alone.
 */
/** Who the target's users are, and which of them a move to `tier` changes (someone without a row is at the default tier). */
async function planMove(db: Db | Tx, target: TierTarget, tier: Tier, defaultTier: string) {
  const names = await targetUsers(db, target);
  const rows = new Map((await userRows(db, names)).map((r) => [r.username, r.tier]));
  const users = names.map((username): TierMove => {
    // Someone without a row is billed at the default tier (see tierSql in billing/usage.ts).
    const from = (rows.get(username) ?? defaultTier) as Tier;
    return { username, from, to: tier, changed: from !== tier };
  });
  return { users, rows, moving: users.filter((u) => u.changed).map((u) => u.username) };
}

async function moveUsers(tx: Tx, target: TierTarget, tier: Tier, defaultTier: string, meta: RequestMeta): Promise<TierChangeImpact> {
  const { users, rows, moving } = await planMove(tx, target, tier, defaultTier);
  const changed = users.filter((u) => u.changed);
  const before = await unbilledOf(tx, moving, defaultTier);
  await writeTiers(tx, moving, tier, new Set(rows.keys()));
  const after = await unbilledOf(tx, moving, defaultTier);

  await rebuildRollups(tx, defaultTier, { users: moving });
  const account = 'account' in target ? target.account.trim() : undefined;
  for (const u of changed) {
    const was = before.get(u.username) ?? EMPTY_BUCKET;
    const now = after.get(u.username) ?? EMPTY_BUCKET;
    await recordAudit(
      tx,
      {
        action: 'user.tier.update',
        target: u.username,
        extra: {
          old: u.from,
          new: u.to,
          ...(account ? { account } : {}),
          unbilledJobs: now.sums.jobs,
          unbilledSatangBefore: was.costSatang.toString(),
          unbilledSatangAfter: now.costSatang.toString(),
        },
      },
      meta,
    );
  }
  return {
    tier,
    account: 'account' in target ? target.account.trim() : null,
    users,
    unbilledBefore: [...before.values()].reduce(add, EMPTY_BUCKET),
    unbilledAfter: [...after.values()].reduce(add, EMPTY_BUCKET),
  };
}

/**
 * Sets the tier of one user, or of everyone with jobs in a Slurm account, in one transaction: the rows, the rollups of
 * the users who changed (so series and totals price their unbilled jobs at the new tier at once) and an audit entry
 * per user. Billed jobs keep what their receipt charged.
 */
export async function setTier(db: Db, target: TierTarget, tier: string, meta: RequestMeta, defaultTier: string) {
  const next = checkTier(tier);
  return db.$transaction((tx) => moveUsers(tx, target, next, defaultTier, meta), { timeout: TIMEOUT_MS });
}

/**
 * The impact setTier would have now, changing nothing: the moving users' unbilled jobs priced at their tiers and
 * as if they were on the new one, by the pricing the change itself uses. Reads only (on the reader thread where the
 * ledger has one), so a preview of a large account holds no write lock and leaves the event loop free.
 */
export async function previewTier(db: Db, target: TierTarget, tier: string, defaultTier: string): Promise<TierChangeImpact> {
  const next = checkTier(tier);
  const { users, moving } = await planMove(db, target, next, defaultTier);
  const before = await unbilledByUser(db, moving, defaultTier);
  const after = await unbilledByUser(db, moving, defaultTier, next);
  return {
    tier: next,
    account: 'account' in target ? target.account.trim() : null,
    users,
    unbilledBefore: before.reduce(add, EMPTY_BUCKET),
    unbilledAfter: after.reduce(add, EMPTY_BUCKET),
  };
}
