import type { Db } from './client.ts';

/**
 * Every table, parents before the rows that refer to them, with the fields that order (and page) it: an installation
 * moved from one database to another keeps every row as it was, ids included, so receipts, audit entries and their
 * hash chain read the same afterwards. Tables whose key holds an instant written by the rollups' own SQL are paged by
 * offset: Prisma's cursor compares the instant in its own text form and finds no row. They are small (a row per day or
 * month and group).
 */
const TABLES: ReadonlyArray<{ model: string; key: readonly string[]; autoincrement?: boolean; byOffset?: boolean }> = [
  { model: 'user', key: ['id'], autoincrement: true },
  { model: 'rate', key: ['tier'] },
  { model: 'rateHistory', key: ['id'], autoincrement: true },
  { model: 'jobRecord', key: ['key'] },
  { model: 'syncRun', key: ['id'], autoincrement: true },
  { model: 'session', key: ['id'] },
  { model: 'apiToken', key: ['id'], autoincrement: true },
  { model: 'receipt', key: ['id'], autoincrement: true },
  { model: 'receiptItem', key: ['id'], autoincrement: true },
  { model: 'auditEntry', key: ['id'], autoincrement: true },
  { model: 'loginThrottle', key: ['key'] },
  { model: 'slurmAccount', key: ['name'] },
  { model: 'accountMember', key: ['id'], autoincrement: true },
  { model: 'budget', key: ['id'], autoincrement: true },
  { model: 'budgetAlert', key: ['id'], autoincrement: true },
  { model: 'invoiceCounter', key: ['scope'] },
  { model: 'rateRule', key: ['id'], autoincrement: true },
  { model: 'usageRollup', key: ['id'], autoincrement: true },
  { model: 'usageRollupDay', key: ['bucket', 'cluster', 'account', 'partition', 'state', 'tier', 'billed'], byOffset: true },
  { model: 'usageRollupMonth', key: ['bucket', 'cluster', 'user', 'account', 'partition', 'state', 'tier', 'billed'], byOffset: true },
  { model: 'usageMarginalDay', key: ['dim', 'bucket', 'value', 'billed'], byOffset: true },
  { model: 'usageMarginalMonth', key: ['dim', 'bucket', 'value', 'billed'], byOffset: true },
  { model: 'rollupCalendar', key: ['day'], byOffset: true },
];

/** The tables `copyDatabase` moves, by their model names. */
export const COPIED_MODELS = TABLES.map((t) => t.model);

type Delegate = {
  count(): Promise<number>;
  findMany(args: object): Promise<Array<Record<string, unknown>>>;
  createMany(args: { data: Array<Record<string, unknown>> }): Promise<{ count: number }>;
};

export class CopyError extends Error {}

export interface CopyProgress {
  model: string;
  copied: number;
  total: number;
}

/**
 * Copies every row of `from` into `to`, table by table in pages of `batch` rows, each page in one statement. `to` must
 * hold no rows at all (its migrations applied): a copy never merges into a live ledger. Afterwards each table's row
 * count is compared, and `afterTable` can reset what the target needs for the ids it was given (PostgreSQL's
 * sequences).
 */
export async function copyDatabase(
  from: Db,
  to: Db,
  opts: { batch?: number; onProgress?: (p: CopyProgress) => void; afterTable?: (model: string, autoincrement: boolean) => Promise<void> } = {},
): Promise<Record<string, number>> {
  const batch = opts.batch ?? 5000;
  const delegate = (db: Db, model: string) => (db as unknown as Record<string, Delegate>)[model];
  for (const { model } of TABLES) {
    const n = await delegate(to, model).count();
    if (n > 0) throw new CopyError(`the target database is not empty: ${model} has ${n} rows; copy into a new, empty database`);
  }
  const counts: Record<string, number> = {};
  for (const { model, key, autoincrement = false, byOffset = false } of TABLES) {
    const source = delegate(from, model);
    const target = delegate(to, model);
    const total = await source.count();
    const orderBy = key.map((k) => ({ [k]: 'asc' }));
    let copied = 0;
    let cursor: Record<string, unknown> | undefined;
    while (copied < total) {
      const rows = await source.findMany({
        orderBy,
        take: batch,
        ...(byOffset ? { skip: copied } : cursor ? { cursor, skip: 1 } : {}),
      });
      if (rows.length === 0) break;
      await target.createMany({ data: rows });
      copied += rows.length;
      const last = rows[rows.length - 1];
      cursor = Object.fromEntries(key.map((k) => [k, last[k]]));
      opts.onProgress?.({ model, copied, total });
    }
    await opts.afterTable?.(model, autoincrement);
    const landed = await target.count();
    if (landed !== total) throw new CopyError(`${model}: ${total} rows in the source, ${landed} in the target after the copy`);
    counts[model] = total;
  }
  return counts;
}

/**
 * After rows were given their ids, PostgreSQL's sequence of an autoincrement id still starts at 1: move it past the
 * highest id copied, so the next insert does not collide. (SQLite takes the next id from the table itself.)
 */
export async function resetPostgresSequence(db: Db, model: string, autoincrement: boolean): Promise<void> {
  if (!autoincrement) return;
  const table = `"${model[0].toUpperCase()}${model.slice(1)}"`;
  await db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
}
