import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { RollupLevel, RollupPart } from './plan.ts';
import { ROLLUP_SUMS } from './store.ts';

const TABLE: Record<RollupLevel, string> = { slot: '"UsageRollup"', day: '"UsageRollupDay"', month: '"UsageRollupMonth"' };

/** A grouping column of the answer: its name (`g_<name>`) and what it reads from a row `r` of each level. */
export interface RollupColumn {
  name: string;
  at: (level: RollupLevel) => Prisma.Sql;
}

/**
 * Sums the rollup rows each part covers, per part key (`t`, zero-padded so that it sorts as a number) and grouping column, on the reader:
 * the aggregate columns bucketsOf reads, ordered by key then groups, at most `limit` rows.
 * `where` narrows rows `r` of every level alike, so it names only fields all of them carry.
 * CROSS JOIN keeps the parts the outer loop (SQLite does not reorder it), so each part is one
 * range of an index on the bucket, `(user, bucket)` when a user is asked for.
 */
export async function sumRollups(db: Db, parts: readonly RollupPart[], columns: readonly RollupColumn[], where: readonly Prisma.Sql[], limit: number) {
  const text = (ms: number | null, open: string) => (ms === null ? open : dialect.instant(new Date(ms)));
  const branches: Prisma.Sql[] = [];
  const ranges: Prisma.Sql[] = [];
  for (const level of ['slot', 'day', 'month'] as const) {
    const mine = parts.filter((p) => p.level === level);
    if (mine.length === 0) continue;
    const name = Prisma.raw(`"p_${level}"`);
    // Materialized: the ends are read once from the JSON, not again for every row compared with them.
    ranges.push(
      Prisma.sql`${name} AS MATERIALIZED ${dialect.keyedRanges(mine.map((p) => [String(p.key).padStart(16, '0'), text(p.from, dialect.earliest), text(p.to, dialect.latest)]))}`,
    );
    const cols = columns.map((c) => Prisma.sql`${c.at(level)} AS ${Prisma.raw(`"g_${c.name}"`)}`);
    branches.push(Prisma.sql`
      SELECT ${Prisma.join([Prisma.sql`p."k" AS "t"`, ...cols], ', ')},
        r."jobs", r."elapsedSec", r."cpuSec", r."gpuSec", r."memMiBSec", r."costSatang"
      FROM ${name} p CROSS JOIN ${Prisma.raw(TABLE[level])} r ON r."bucket" >= p."s" AND r."bucket" < p."e"
      WHERE ${Prisma.join(where.length ? where : [Prisma.sql`1 = 1`], ' AND ')}`);
  }
  if (branches.length === 0) return [];
  const keys = [Prisma.raw('"t"'), ...columns.map((c) => Prisma.raw(`"g_${c.name}"`))];
  return readQuery(
    db,
    Prisma.sql`
    WITH ${Prisma.join(ranges, ', ')}
    SELECT ${Prisma.join(keys, ', ')}, 1 AS "one", ${ROLLUP_SUMS}
    FROM (${Prisma.join(branches, ' UNION ALL ')}) r
    GROUP BY ${Prisma.join(keys, ', ')}
    ORDER BY ${Prisma.join(keys, ', ')}
    LIMIT ${limit}`,
  );
}
