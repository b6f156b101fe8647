import type { SeriesBucket } from '$lib/graphql/generated/graphql';
import { addDays, localDate, nextMonth, zoneSide } from './zone';

/** The windows a chart offers: the last 30 days by day, the last 12 months by month, or two chosen days. */
export const RANGES = ['30d', '12m', 'custom'] as const;
export type Range = (typeof RANGES)[number];

export interface WindowChoice {
  range: Range;
  /** YYYY-MM-DD, both set for a custom window. */
  from: string | null;
  to: string | null;
}

/** A custom window of up to this many days goes by day, a longer one by month. */
export const MAX_DAILY_DAYS = 92;
/** About ten years of months: a custom window longer than this is refused rather than sent. */
export const MAX_CUSTOM_DAYS = 3700;

const DAY = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string | null): value is string {
  if (!value || !DAY_PATTERN.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

const spanDays = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;

/**
 * ?range=30d|12m, or ?range=custom&from=YYYY-MM-DD&to=YYYY-MM-DD; from and to without a range are a custom window too
 * (the staff page's filter has them). A custom window that cannot be read (a missing or impossible day, from after
 * to, too long) falls back to the default, and `invalid` says so, for the page to tell.
 */
export function parseWindow(params: URLSearchParams): { choice: WindowChoice; invalid: boolean } {
  const range = params.get('range') ?? (params.get('from') && params.get('to') ? 'custom' : null);
  if (range === '12m') return { choice: { range, from: null, to: null }, invalid: false };
  if (range === 'custom') {
    const from = params.get('from');
    const to = params.get('to');
    if (isDay(from) && isDay(to) && from <= to && spanDays(from, to) <= MAX_CUSTOM_DAYS) {
      return { choice: { range, from, to }, invalid: false };
    }
    return { choice: { range: '30d', from: null, to: null }, invalid: true };
  }
  return { choice: { range: '30d', from: null, to: null }, invalid: false };
}

export function bucketOf(choice: WindowChoice): SeriesBucket {
  if (choice.range === '30d') return 'DAY';
  if (choice.range === '12m') return 'MONTH';
  return spanDays(choice.from!, choice.to!) <= MAX_DAILY_DAYS ? 'DAY' : 'MONTH';
}

export interface SeriesRequest {
  from: string;
  to: string;
  bucket: SeriesBucket;
  /** The one-month probe of the zone's side (see zone.ts). */
  now: string;
  nowEnd: string;
}

/**
 * What to ask usageSeries for. The zone is not known here, so the window asked for is a little wider than the one
 * shown, by more than any zone's offset, and `selectBuckets` keeps the buckets that belong to it.
 */
export function seriesRequest(choice: WindowChoice, now: Date): SeriesRequest {
  const bucket = bucketOf(choice);
  const at = now.getTime();
  const probe = { now: new Date(at).toISOString(), nowEnd: new Date(at + 1).toISOString() };
  if (choice.range !== 'custom') {
    const back = choice.range === '30d' ? 32 * DAY : 400 * DAY;
    return { bucket, from: new Date(at - back).toISOString(), to: new Date(at + 1).toISOString(), ...probe };
  }
  // One bucket past the window too: its start is where the window ends.
  const after = bucket === 'DAY' ? addDays(choice.to!, 1) : nextMonth(choice.to!);
  return {
    bucket,
    from: new Date(Date.parse(`${choice.from}T00:00:00Z`) - DAY).toISOString(),
    to: new Date(Date.parse(`${after}T00:00:00Z`) + DAY).toISOString(),
    ...probe,
  };
}

export interface BucketSlot {
  /** The bucket's start, as the API answered it. */
  time: string;
  /** Its local calendar date, YYYY-MM-DD (the 1st for a month). */
  date: string;
}

export interface SelectedWindow {
  bucket: SeriesBucket;
  buckets: BucketSlot[];
  /** The instants the shown buckets span: [start, end). The last bucket of a relative window ends now. */
  start: string | null;
  end: string | null;
}

/** The buckets of `times` (sorted, repeated per group) that make up the chosen window. */
export function selectBuckets(
  times: readonly string[],
  monthStart: string,
  choice: WindowChoice,
  request: SeriesRequest,
): SelectedWindow {
  const bucket = request.bucket;
  const side = zoneSide(monthStart);
  const all: BucketSlot[] = [];
  for (const time of times) {
    if (all.at(-1)?.time !== time) all.push({ time, date: localDate(time, side) });
  }
  let buckets: BucketSlot[];
  let end: string | null;
  if (choice.range === 'custom') {
    const key = (day: string) => (bucket === 'MONTH' ? day.slice(0, 7) : day);
    const first = key(choice.from!);
    const last = key(choice.to!);
    buckets = all.filter((b) => key(b.date) >= first && key(b.date) <= last);
    end = all.find((b) => key(b.date) > last)?.time ?? null;
  } else {
    buckets = all.slice(-(choice.range === '30d' ? 30 : 12));
    end = buckets.length ? request.now : null;
  }
  return { bucket, buckets, start: buckets[0]?.time ?? null, end };
}
