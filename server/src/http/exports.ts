import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionViewer } from '../auth/sessions.ts';
import { auditCsv, paidCsv, receiptCsv, usageCsv } from '../billing/export.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../config.ts';
import { receiptPdf } from '../invoices/receipt-pdf.ts';
import { managedAccounts } from '../accounts/store.ts';
import { mayReadReceipt } from '../billing/receipt-store.ts';
import { parseInstant } from '../time.ts';
import { sendError } from './respond.ts';

function sendCsv(res: ServerResponse, filename: string, csv: string) {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(csv);
}

/** The same instants the GraphQL DateTime takes; a bad one answers BAD_INPUT naming the parameter. */
const date = (v: string | null, name: string) => (v ? parseInstant(v, name) : undefined);

/** GET /export/*.csv: the same authorization as the GraphQL fields they mirror. Returns false when not an export path. */
export async function handleExport(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  viewer: SessionViewer | null,
  defaultTier = 'mu',
  config?: Config,
) {
  if (!url.pathname.startsWith('/export/')) return false;
  if (req.method !== 'GET') return sendError(res, 'BAD_INPUT', 'exports are read with GET'), true;
  if (!viewer) return sendError(res, 'UNAUTHENTICATED', 'Log in first'), true;
  const staff = viewer.role !== 'user';
  const receiptMatch = /^\/export\/receipts\/(\d+)\.(csv|pdf)$/.exec(url.pathname);
  if (receiptMatch) {
    const id = Number(receiptMatch[1]);
    const owner = await db.receipt.findUnique({ where: { id }, select: { userId: true, account: true } });
    if (!owner) return sendError(res, 'NOT_FOUND', `no receipt ${id}`), true;
    if (!(await mayReadReceipt(viewer, owner, () => managedAccounts(db, viewer.username)))) {
      return sendError(res, 'FORBIDDEN', 'This receipt belongs to someone else'), true;
    }
    if (receiptMatch[2] === 'pdf') {
      if (!config) return sendError(res, 'NOT_FOUND', 'invoices are not configured'), true;
      const lang = url.searchParams.get('lang') ?? config.invoice.locale;
      if (lang !== 'th' && lang !== 'en') return sendError(res, 'BAD_INPUT', `lang must be th or en, got "${lang}"`), true;
      const { pdf, number } = await receiptPdf(db, id, config, lang);
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${number.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`,
        'cache-control': 'no-store',
      });
      res.end(pdf);
      return true;
    }
    const { csv } = await receiptCsv(db, id);
    return sendCsv(res, `receipt-${id}.csv`, csv), true;
  }
  if (url.pathname === '/export/my.csv') {
    const endedBefore = date(url.searchParams.get('completedBefore'), 'completedBefore') ?? new Date();
    const cluster = url.searchParams.get('cluster') || undefined;
    return sendCsv(res, `usage-${viewer.username}.csv`, await usageCsv(db, { user: viewer.username, endedBefore, cluster }, defaultTier)), true;
  }
  if (url.pathname === '/export/usage.csv') {
    const p = url.searchParams;
    const account = p.get('account');
    // A coordinator (or PI) exports their account's usage, as the `jobs` query lets them read it.
    if (!staff && !(account && (await managedAccounts(db, viewer.username)).includes(account))) {
      return sendError(res, 'FORBIDDEN', "Only staff export everyone's usage"), true;
    }
    const csv = await usageCsv(db, {
      user: p.get('user') || undefined,
      account: p.get('account') || undefined,
      partition: p.get('partition') || undefined,
      cluster: p.get('cluster') || undefined,
      endedAfter: date(p.get('endedAfter'), 'endedAfter'),
      endedBefore: date(p.get('endedBefore'), 'endedBefore'),
      billed: p.get('billed') === 'true' ? true : p.get('billed') === 'false' ? false : undefined,
    }, defaultTier);
    return sendCsv(res, 'usage.csv', csv), true;
  }
  if (url.pathname === '/export/audit.csv') {
    if (!staff) return sendError(res, 'FORBIDDEN', 'Only staff export the audit log'), true;
    const p = url.searchParams;
    const filter = { action: p.get('action') ?? undefined, actor: p.get('actor') ?? undefined, from: date(p.get('from'), 'from'), to: date(p.get('to'), 'to') };
    return sendCsv(res, 'audit.csv', await auditCsv(db, filter)), true;
  }
  if (url.pathname === '/export/paid.csv') {
    if (!staff) return sendError(res, 'FORBIDDEN', 'Only staff export payments'), true;
    return sendCsv(res, 'paid.csv', await paidCsv(db)), true;
  }
  sendError(res, 'NOT_FOUND', `no export at ${url.pathname}`);
  return true;
}
