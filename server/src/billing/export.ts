import { stringify } from 'csv-stringify/sync';
import { type AuditFilter, auditWhere, checkAuditFilter } from '../audit/recorder.ts';
import type { Db } from '../db/client.ts';
import { accountTiers } from '../accounts/store.ts';
import { costOfUnits } from '@hpc-accounting/pricing/cost';
import { formatSatang } from '@hpc-accounting/pricing/money';
import { activeOverrides, jobWhere, type UsageFilter } from './usage.ts';
import { gpuTypesOf, pickRate } from './rate-rules.ts';

// OWASP's formula starts (= + - @ tab CR), plus line feed and NUL (ASVS 1.2.10); behind leading
// whitespace or invisibles too, since some spreadsheets trim those, and in the fullwidth forms that
// Apple Numbers folds to ASCII. Not `|` or `%`: OWASP does not list them.
const FORMULA_START = /^(?:[\t\r\n\0]|[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

// C0, DEL, C1, the line/paragraph separators and the bidi controls: invisible, yet a spreadsheet,
// terminal or editor acts on them (breaks a row, overwrites a line, reorders what is shown).
// Zero-width joiners stay: emoji and some scripts need them.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

const visible = (c: string) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Text from users (a job name, a login name, a user agent) made inert for a spreadsheet: a cell that
 * would start a formula, even behind leading spaces or invisibles, gets a leading apostrophe (shown
 * as text, never evaluated: OWASP "CSV injection"), and control characters are written as `\uXXXX`
 * so the export shows what was there instead of acting on it.
 */
export const neutralize = (value: string) => {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return guarded.replace(CONTROL, visible);
};

/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (Excel otherwise reads Thai as mojibake),
 * CRLF line ends, and quoting by csv-stringify. Strings and objects go through `neutralize`; numbers
 * (and dates, booleans) keep csv-stringify's casts, so `-12.5` stays a number.
 */
export function toCsv(header: string[], rows: unknown[][]): string {
  return `\uFEFF${stringify([header, ...rows], {
    record_delimiter: 'windows',
    // With a custom record delimiter csv-stringify only quotes cells holding that whole delimiter,
    // so a lone LF or CR would end the row. neutralize() escapes them already; this keeps any line
    // break that still gets through (a future cast) inside its cell.
    quoted_match: /[\r\n]/,
    cast: {
      string: neutralize,
      object: (value) => neutralize(JSON.stringify(value)),
    },
  })}`;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '');
const hours = (n: number) => n.toFixed(4);

export async function receiptCsv(db: Db, id: number) {
  const receipt = await db.receipt.findUniqueOrThrow({ where: { id }, include: { user: true, items: { orderBy: [{ end: 'asc' }, { id: 'asc' }] } } });
  const header = ['receipt', 'user', 'tier', 'job key', 'job id', 'job name', 'account', 'partition', 'state', 'end (UTC)', 'elapsed (s)', 'CPU-hours', 'GPU-hours', 'memory GB-hours', 'THB per CPU-hour', 'THB per GPU-hour', 'THB per GB-hour', 'cost (THB)'];
  const rows: unknown[][] = receipt.items.map((i) => [
    receipt.id, receipt.user?.username ?? '', receipt.tier, i.billingKey, i.jobId, i.jobName ?? '', i.account ?? '', i.partition ?? '', i.state, iso(i.end), i.elapsedSeconds,
    hours(i.cpuHours), hours(i.gpuHours), hours(i.memGBHours), i.cpuPerHour, i.gpuPerHour, i.memGBPerHour, formatSatang(i.costSatang),
  ]);
  rows.push([receipt.id, receipt.user?.username ?? '', receipt.tier, 'TOTAL', '', '', '', '', receipt.status, iso(receipt.cutoff), '', '', '', '', '', '', '', formatSatang(receipt.totalSatang)]);
  return { receipt, csv: toCsv(header, rows) };
}

/** Every job of a filter with its cost at the owner's current rate (what "my usage" shows). */
export async function usageCsv(db: Db, filter: UsageFilter, defaultTier = 'mu') {
  const [jobs, users, rates] = await Promise.all([
    db.jobRecord.findMany({
      where: jobWhere(filter),
      orderBy: [{ end: 'desc' }, { key: 'asc' }],
      include: { receiptItem: { select: { receiptId: true, cpuPerHour: true, gpuPerHour: true, memGBPerHour: true } } },
    }),
    db.user.findMany({ select: { username: true, tier: true } }),
    db.rate.findMany(),
  ]);
  const tierOf = new Map(users.map((u) => [u.username, u.tier]));
  const overrides = await activeOverrides(db);
  const accountTier = await accountTiers(db, [...new Set(jobs.map((j) => j.account).filter((a): a is string => a !== null))]);
  const rateOf = new Map(rates.map((r) => [r.tier, r]));
  const header = ['job key', 'job id', 'user', 'tier', 'job name', 'account', 'partition', 'state', 'start (UTC)', 'end (UTC)', 'elapsed (s)', 'CPUs', 'GPUs', 'memory (MiB)', 'CPU-hours', 'GPU-hours', 'memory GB-hours', 'cost (THB)', 'receipt'];
  const rows = jobs.map((j) => {
    const tier = (j.account ? accountTier.get(j.account) : undefined) ?? tierOf.get(j.user) ?? defaultTier;
    // A billed job costs what its receipt charged; the rest is priced at the current rate.
    const c = costOfUnits(j, j.elapsedSeconds, j.receiptItem ?? pickRate(overrides, rateOf.get(tier)!, { tier, partition: j.partition, gpuTypes: gpuTypesOf(j.allocTres) }));
    return [j.key, j.jobId, j.user, tier, j.name ?? '', j.account ?? '', j.partition ?? '', j.state, iso(j.start), iso(j.end), j.elapsedSeconds, j.cpus, j.gpus, j.memMiB,
      hours(c.cpuHours), hours(c.gpuHours), hours(c.memGBHours), formatSatang(c.costSatang), j.receiptItem?.receiptId ?? ''];
  });
  return toCsv(header, rows);
}

export async function paidCsv(db: Db) {
  const receipts = await db.receipt.findMany({
    where: { status: 'paid' },
    include: { user: true, _count: { select: { items: true } } },
    orderBy: { paidAt: 'asc' },
  });
  const header = ['receipt', 'user', 'tier', 'cut-off (UTC)', 'created (UTC)', 'created by', 'jobs', 'total (THB)', 'paid (UTC)', 'paid by'];
  return toCsv(
    header,
    receipts.map((r) => [r.id, r.user?.username ?? `account ${r.account}`, r.tier, iso(r.cutoff), iso(r.createdAt), r.createdBy, r._count.items, formatSatang(r.totalSatang), iso(r.paidAt), r.paidBy ?? '']),
  );
}

export async function auditCsv(db: Db, filter: AuditFilter) {
  const entries = await db.auditEntry.findMany({ where: auditWhere(checkAuditFilter(filter)), orderBy: { id: 'asc' } });
  const header = ['id', 'time (UTC)', 'actor', 'ip', 'user agent', 'method', 'path', 'action', 'target', 'status', 'extra', 'prev hash', 'hash'];
  return toCsv(
    header,
    entries.map((e) => [e.id, iso(e.ts), e.actor ?? '', e.ip ?? '', e.userAgent ?? '', e.method ?? '', e.path ?? '', e.action, e.target ?? '', e.status, e.extra, e.prevHash, e.hash]),
  );
}
