import type { SeriesRow, TopUser } from '$lib/graphql/series';
import { hoursText, type SeriesGroupField } from './shape';
import type { BucketSlot } from './window';

// The same rules as the server's exports (server/src/billing/export.ts): a cell that a spreadsheet would read as a
// formula (OWASP "CSV injection"), even behind leading blanks or invisibles, gets a leading apostrophe, and
// control characters are written out as \uXXXX instead of acting on the sheet.
const FORMULA_START = /^(?:[\t\r\n\0]|[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

export function neutralize(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return guarded.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

type Cell = string | number;

const cell = (value: Cell) => {
  const text = typeof value === 'number' ? String(value) : neutralize(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** UTF-8 with a byte-order mark (Excel reads Thai as mojibake without one) and CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

const GROUP_HEADERS: Record<SeriesGroupField, string> = { account: 'account', partition: 'partition', tier: 'tier', cluster: 'cluster' };

/** The series rows of the shown buckets, one line per bucket (and group), exact money as the API gave it. */
export function seriesCsv(rows: readonly SeriesRow[], buckets: readonly BucketSlot[], group: SeriesGroupField | null): string {
  const dates = new Map(buckets.map((b) => [b.time, b.date]));
  const header = [
    'bucket start (UTC)',
    'date',
    ...(group ? [GROUP_HEADERS[group]] : []),
    'jobs',
    'CPU-hours',
    'GPU-hours',
    'memory GB-hours',
    'elapsed hours',
    'CPU cost (THB)',
    'GPU cost (THB)',
    'memory cost (THB)',
    'cost (THB)',
  ];
  const lines = rows
    .filter((r) => dates.has(r.time))
    .map((r) => [
      r.time,
      dates.get(r.time)!,
      ...(group ? [r[group] ?? ''] : []),
      r.jobs,
      hoursText(r.cpuHours),
      hoursText(r.gpuHours),
      hoursText(r.memGBHours),
      hoursText(r.elapsedHours),
      r.cpuCost,
      r.gpuCost,
      r.memCost,
      r.cost,
    ]);
  return toCsv(header, lines);
}

export function topUsersCsv(users: readonly TopUser[]): string {
  const header = ['rank', 'user', 'jobs', 'CPU-hours', 'GPU-hours', 'cost (THB)'];
  return toCsv(
    header,
    users.map((u, i) => [i + 1, u.user ?? '', u.totals.jobs, hoursText(u.totals.cpuHours), hoursText(u.totals.gpuHours), u.totals.cost]),
  );
}
