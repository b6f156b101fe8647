import { bucketStart, nextBucketStart } from './calendar.ts';

/**
 * Which rollup table answers which part of a window. The quarter-hour rows answer any window in
 * any zone; the day rows (no user) and the month rows (every field) are kept in the calendar of
 * one zone, the rollup zone, and answer the whole local days and months a window holds. Reading
 * a year by day for everyone then sums a year of day rows instead of every quarter hour's.
 */
export type RollupLevel = 'slot' | 'day' | 'month' | 'dayDim' | 'monthDim';

/**
 * What a query needs of the rows: `marginal` when it groups or filters by at most one field (the
 * marginal rows answer days and months), `noUser` when it names several but not the user (day and
 * month rows), `user` otherwise (month rows and quarter hours).
 */
export type PlanMode = 'marginal' | 'noUser' | 'user';

/** A window `[from, to)` in ms; null is open on that side. `key` labels the rows it produces (a series' bucket start). */
export interface KeyedWindow {
  key: number;
  from: number | null;
  to: number | null;
}

export interface RollupPart extends KeyedWindow {
  level: RollupLevel;
}

/** The first boundary of `unit` at or after `t`. */
function ceilTo(t: number, unit: 'DAY' | 'MONTH', zone: string) {
  const start = bucketStart(t, unit, zone);
  return start === t ? t : nextBucketStart(start, unit, zone);
}

/**
 * The parts of each window that each level answers exactly: whole local months from the month
 * (or marginal month) rows, whole local days from the day (or marginal day) rows, which the
 * `user` mode leaves out (day rows carry no user), the rest from the quarter hours. Open sides belong to the month rows, which hold every job there is.
 */
export function planParts(windows: readonly KeyedWindow[], zone: string, mode: PlanMode): RollupPart[] {
  const useDays = mode !== 'user';
  const dayLevel: RollupLevel = mode === 'marginal' ? 'dayDim' : 'day';
  const monthLevel: RollupLevel = mode === 'marginal' ? 'monthDim' : 'month';
  const out: RollupPart[] = [];
  const push = (key: number, level: RollupLevel, from: number | null, to: number | null) => {
    if (from === null || to === null || from < to) out.push({ key, level, from, to });
  };
  const fine = (key: number, from: number, to: number) => {
    if (!(from < to)) return;
    if (useDays) {
      const d1 = ceilTo(from, 'DAY', zone);
      const d2 = bucketStart(to, 'DAY', zone);
      if (d1 < d2) {
        push(key, 'slot', from, d1);
        push(key, dayLevel, d1, d2);
        push(key, 'slot', d2, to);
        return;
      }
    }
    push(key, 'slot', from, to);
  };
  for (const w of windows) {
    const m1 = w.from === null ? null : ceilTo(w.from, 'MONTH', zone);
    const m2 = w.to === null ? null : bucketStart(w.to, 'MONTH', zone);
    if (m1 === null || m2 === null || m1 < m2) {
      if (w.from !== null) fine(w.key, w.from, m1!);
      push(w.key, monthLevel, m1, m2);
      if (w.to !== null) fine(w.key, m2!, w.to);
    } else {
      fine(w.key, w.from!, w.to!);
    }
  }
  return out;
}

/** Every local day of `year` in `zone`: its start and the start of its month. */
export function daysOfYear(year: number, zone: string): Array<{ day: number; month: number }> {
  const out: Array<{ day: number; month: number }> = [];
  let month = bucketStart(Date.UTC(year, 0, 1, 12), 'YEAR', zone);
  for (let m = 0; m < 12; m++) {
    const nextMonth = nextBucketStart(month, 'MONTH', zone);
    for (let day = month; day < nextMonth; day = nextBucketStart(day, 'DAY', zone)) out.push({ day, month });
    month = nextMonth;
  }
  return out;
}
