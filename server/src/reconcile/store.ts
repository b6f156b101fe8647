import type { Db } from '../db/client.ts';
import { dialect } from '../db/dialect.ts';
import { readQuery } from '../db/reader.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { HourTotals } from './compare.ts';

/**
 * Per account, the hours the ledger's finished jobs of a cluster held inside [from, to): each job's share is the
 * part of its run inside the window, as sreport counts usage hour by hour (a job that started the month before counts
 * from the window's start). Jobs without an account are under ''.
 */
export async function ledgerHoursInWindow(db: Db, cluster: string, from: Date, to: Date): Promise<Map<string, HourTotals>> {
  const rows = await readQuery<{ account: string | null; start: Date | string | null; end: Date | string; cpus: number; gpus: number; memMiB: number }>(
    db,
    Prisma.sql`SELECT j."account", j."start", j."end", j."cpus", j."gpus", j."memMiB" FROM "JobRecord" j
      WHERE j."cluster" = ${cluster} AND j."end" IS NOT NULL AND j."end" > ${dialect.instant(from)} AND j."start" < ${dialect.instant(to)}
        AND j."elapsedSeconds" > 0`,
  );
  const totals = new Map<string, HourTotals>();
  const lo = from.getTime();
  const hi = to.getTime();
  for (const r of rows) {
    if (r.start == null) continue;
    const start = Math.max(new Date(r.start).getTime(), lo);
    const end = Math.min(new Date(r.end).getTime(), hi);
    if (end <= start) continue;
    const hours = (end - start) / 3_600_000;
    const key = r.account ?? '';
    const t = totals.get(key) ?? { cpuHours: 0, gpuHours: 0, memGBHours: 0 };
    t.cpuHours += Number(r.cpus) * hours;
    t.gpuHours += Number(r.gpus) * hours;
    t.memGBHours += (Number(r.memMiB) / 1024) * hours;
    totals.set(key, t);
  }
  return totals;
}
