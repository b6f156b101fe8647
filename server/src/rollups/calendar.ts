/**
 * Calendar buckets in an IANA time zone, as UTC instants: the start of a local hour, day, ISO week
 * (Monday), month, quarter or year, and the next one. Plain TypeScript on `Intl`, so a day in
 * Asia/Bangkok is the local calendar day, and a day across a DST change is 23 or 25 hours long.
 */
export const SERIES_BUCKETS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The bucket for Grafana's `$__interval_ms`: the smallest calendar bucket at least that long. */
export function bucketForInterval(ms: number): SeriesBucket {
  if (ms <= HOUR_MS) return 'HOUR';
  if (ms <= DAY_MS) return 'DAY';
  if (ms <= 7 * DAY_MS) return 'WEEK';
  if (ms <= 31 * DAY_MS) return 'MONTH';
  if (ms <= 92 * DAY_MS) return 'QUARTER';
  return 'YEAR';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Local {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The zone's offset from UTC at an instant, in ms (local = UTC + offset), from the runtime's time zone data. */
function offsetFromIntl(instant: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** A UTC day's offsets: `before` until `change` (if the offset changes that day), `after` from then on. */
interface DayOffsets {
  before: number;
  change?: number;
  after?: number;
}

const MAX_CACHED_DAYS = 500_000;
const offsetCache = new Map<string, Map<number, DayOffsets>>();

/**
 * The offset at an instant. Intl is slow (a series of a year by day asks for thousands of local
 * times), so each zone's offsets are learnt once per UTC day: the offset at its start and at its
 * end, and where they differ, the minute the clocks changed (offsets change at most once a day).
 */
function offsetAt(instant: number, zone: string): number {
  let days = offsetCache.get(zone);
  if (!days) offsetCache.set(zone, (days = new Map()));
  const day = Math.floor(instant / DAY_MS);
  let known = days.get(day);
  if (!known) {
    const start = day * DAY_MS;
    const before = offsetFromIntl(start, zone);
    const after = offsetFromIntl(start + DAY_MS, zone);
    known = { before };
    if (after !== before) {
      // The first minute of the day at the new offset.
      let lo = start;
      let hi = start + DAY_MS;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetFromIntl(mid, zone) === before) lo = mid;
        else hi = mid;
      }
      known = { before, change: hi, after };
    }
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    days.set(day, known);
  }
  return known.change !== undefined && instant >= known.change ? known.after! : known.before;
}

function localParts(instant: number, zone: string): Local {
  const local = new Date(Math.floor(instant / 1000) * 1000 + offsetAt(instant, zone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The local calendar year of an instant in `zone`. */
export const localYear = (instant: number, zone: string) => localParts(instant, zone).year;

/** `YYYY-MM`, the local month of an instant in `zone`. */
export function localMonth(instant: number, zone: string) {
  const l = localParts(instant, zone);
  return `${String(l.year).padStart(4, '0')}-${String(l.month).padStart(2, '0')}`;
}

/**
 * The instant a local wall-clock time names. A time that a DST gap skips resolves to the
 * instant just after the gap; a repeated one to its first occurrence.
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, zone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  // Offset changes are rare and far apart: the offsets half a day either side are the only candidates.
  const before = wall - offsetAt(wall - DAY_MS / 2, zone);
  const after = wall - offsetAt(wall + DAY_MS / 2, zone);
  const names = (t: number) => {
    const l = localParts(t, zone);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour) === wall;
  };
  const valid = [before, after].filter(names);
  // Repeated (both valid): the first; skipped by a gap (neither): the instant the clock jumped to.
  return valid.length > 0 ? Math.min(...valid) : before;
}

const MAX_MEMO = 200_000;
const memo = new Map<string, Map<number, number>>();

/** Bucket boundaries are asked for again and again (every refresh of a dashboard): each is computed once per zone. */
function remembered(kind: string, zone: string, instant: number, compute: () => number): number {
  const key = `${kind}|${zone}`;
  let known = memo.get(key);
  if (!known) memo.set(key, (known = new Map()));
  let value = known.get(instant);
  if (value === undefined) {
    if (known.size >= MAX_MEMO) known.clear();
    known.set(instant, (value = compute()));
  }
  return value;
}

/** The start of the bucket that holds `instant`, in `zone`. */
export function bucketStart(instant: number, bucket: SeriesBucket, zone: string): number {
  return remembered(bucket, zone, instant, () => computeBucketStart(instant, bucket, zone));
}

function computeBucketStart(instant: number, bucket: SeriesBucket, zone: string): number {
  const l = localParts(instant, zone);
  switch (bucket) {
    case 'HOUR':
      // Offsets are whole quarter hours, so the local hour began this many local minutes ago.
      return Math.floor(instant / 1000) * 1000 - (l.minute * 60 + l.second) * 1000;
    case 'DAY':
      return zonedInstant(l.year, l.month, l.day, 0, zone);
    case 'WEEK': {
      // ISO weeks start on Monday.
      const weekday = (new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay() + 6) % 7;
      const monday = new Date(Date.UTC(l.year, l.month - 1, l.day - weekday));
      return zonedInstant(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, zone);
    }
    case 'MONTH':
      return zonedInstant(l.year, l.month, 1, 0, zone);
    case 'QUARTER':
      return zonedInstant(l.year, l.month - ((l.month - 1) % 3), 1, 0, zone);
    case 'YEAR':
      return zonedInstant(l.year, 1, 1, 0, zone);
  }
}

/** The start of the bucket after the one that starts at `start`. */
export function nextBucketStart(start: number, bucket: SeriesBucket, zone: string): number {
  return remembered(`next ${bucket}`, zone, start, () => computeNextBucketStart(start, bucket, zone));
}

function computeNextBucketStart(start: number, bucket: SeriesBucket, zone: string): number {
  const l = localParts(start, zone);
  const local = (y: number, m: number, d: number, h = 0) => {
    const date = new Date(Date.UTC(y, m - 1, d, h));
    return zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), zone);
  };
  switch (bucket) {
    case 'HOUR':
      // Stepping in UTC keeps a repeated DST hour as a bucket of its own; after a half-hour offset change the
      // next local hour may come sooner.
      return bucketStart(start + HOUR_MS, 'HOUR', zone);
    case 'DAY':
      return local(l.year, l.month, l.day + 1);
    case 'WEEK':
      return local(l.year, l.month, l.day + 7);
    case 'MONTH':
      return local(l.year, l.month + 1, 1);
    case 'QUARTER':
      return local(l.year, l.month + 3, 1);
    case 'YEAR':
      return local(l.year + 1, 1, 1);
  }
}

/**
 * The buckets that cover [from, to): the first starts at or before `from`, the last ends at or
 * after `to`. Null when there would be more than `max`.
 */
export function bucketsBetween(from: number, to: number, bucket: SeriesBucket, zone: string, max: number): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  let start = bucketStart(from, bucket, zone);
  while (start < to) {
    if (out.length >= max) return null;
    const end = nextBucketStart(start, bucket, zone);
    out.push([start, end]);
    start = end;
  }
  return out;
}
