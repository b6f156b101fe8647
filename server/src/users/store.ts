import type { Db, Tx } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** Which users a listing covers; every field narrows it. */
export interface UserFilter {
  /** Part of the username, in any case. */
  search?: string | null;
  /** Only users with jobs in this Slurm account. */
  account?: string | null;
}

/** `%` and `_` typed into a search are letters, not wildcards. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const where = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty);

/**
 * One page of usernames in order, after `after`: everyone with a User row (they logged in, or an admin set their tier)
 * and everyone the ledger has a job of. At most `limit` names; on the reader, as it scans the jobs' owners.
 */
export async function usernames(db: Db, filter: UserFilter, limit: number, after?: string | null): Promise<string[]> {
  const search = filter.search?.trim() ? likeText(filter.search.trim()) : null;
  const account = filter.account?.trim() || null;
  const narrow = (column: Prisma.Sql) => [
    ...(after ? [Prisma.sql`${column} > ${after}`] : []),
    // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE is that.
    ...(search ? [Prisma.sql`${column} ${Prisma.raw(dialect.name === 'postgresql' ? 'ILIKE' : 'LIKE')} ${search} ESCAPE '\\'`] : []),
  ];
  const ofJobs = [...narrow(Prisma.sql`j."user"`), ...(account ? [Prisma.sql`j."account" = ${account}`] : [])];
  const branches = [Prisma.sql`SELECT DISTINCT j."user" AS "name" FROM "JobRecord" j ${where(ofJobs)}`];
  // A login with no job in the account is not a user of it.
  if (!account) branches.push(Prisma.sql`SELECT u."username" AS "name" FROM "User" u ${where(narrow(Prisma.sql`u."username"`))}`);
  const rows = await readQuery<{ name: string }>(
    db,
    Prisma.sql`SELECT "name" FROM (${Prisma.join(branches, ' UNION ')})${dialect.name === 'postgresql' ? Prisma.raw(' AS "names"') : Prisma.empty} ORDER BY "name" LIMIT ${limit}`,
  );
  return rows.map((r) => r.name);
}

/** How many finished jobs each of these users has (users without any are absent): from the index on the jobs' owner and end. */
export async function finishedJobCounts(db: Db, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await readQuery<{ user: string; jobs: number | bigint }>(
    db,
    Prisma.sql`SELECT j."user", COUNT(*) AS "jobs" FROM "JobRecord" j WHERE j."end" IS NOT NULL AND j."user" IN ${dialect.valuesOf(names)} GROUP BY j."user"`,
  );
  return new Map(rows.map((r) => [r.user, Number(r.jobs)]));
}

/** The User rows of these names (names without one are absent). */
export const userRows = (db: Db | Tx, names: readonly string[]) =>
  db.user.findMany({
    where: { username: { in: [...names] } },
    select: { username: true, tier: true, role: true, roleSource: true, lastLoginAt: true },
  });

/** Whether a login or a job of the ledger knows this name. */
export async function isKnownUser(tx: Db | Tx, username: string): Promise<boolean> {
  const [row, job] = await Promise.all([
    tx.user.findUnique({ where: { username }, select: { id: true } }),
    tx.jobRecord.findFirst({ where: { user: username }, select: { key: true } }),
  ]);
  return row !== null || job !== null;
}

/** Everyone with a job in this Slurm account, in order. */
export async function usersOfAccount(tx: Db | Tx, account: string): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ user: string }>>`SELECT DISTINCT "user" FROM "JobRecord" WHERE "account" = ${account} ORDER BY "user"`;
  return rows.map((r) => r.user);
}

/**
 * Sets these users' tier, creating the rows of those only the ledger knew (`known` holds the names that have one): a
 * cluster account, which logs in through PAM and whose role is decided at that login.
 */
export async function writeTiers(tx: Tx, usernames: readonly string[], tier: string, known: ReadonlySet<string>) {
  const existing = usernames.filter((u) => known.has(u));
  const created = usernames.filter((u) => !known.has(u));
  if (existing.length) await tx.user.updateMany({ where: { username: { in: existing } }, data: { tier } });
  if (created.length) await tx.user.createMany({ data: created.map((username) => ({ username, tier, origin: 'pam', role: 'user', roleSource: 'default' })) });
}
