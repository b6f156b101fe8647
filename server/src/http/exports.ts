import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionViewer } from '../auth/sessions.ts';
import { auditCsv, paidCsv, receiptCsv, usageCsv } from '../billing/export.ts';
import type { Db } from '../db/client.ts';
import { sendJson } from './util.ts';

function sendCsv(res: ServerResponse, filename: string, csv: string) {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  });
  res.end(csv);
}

const date = (v: string | null, name: string) => {
  if (!v) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new Error(`${name} must be a date (ISO 8601), got "${v}"`);
  return d;
};

/** GET /export/*.csv: the same authorization as the GraphQL fields they mirror. Returns false when not an export path. */
export async function handleExport(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  viewer: SessionViewer | null,
  defaultTier = 'mu',
) {
  if (!url.pathname.startsWith('/export/')) return false;
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'METHOD_NOT_ALLOWED' }), true;
  if (!viewer) return sendJson(res, 401, { error: 'UNAUTHENTICATED', message: 'Log in first' }), true;
  const staff = viewer.role !== 'user';
  try {
    const receiptMatch = /^\/export\/receipts\/(\d+)\.csv$/.exec(url.pathname);
    if (receiptMatch) {
      const id = Number(receiptMatch[1]);
      const owner = await db.receipt.findUnique({ where: { id }, select: { userId: true } });
      if (!owner) return sendJson(res, 404, { error: 'NOT_FOUND', message: `no receipt ${id}` }), true;
      if (!staff && owner.userId !== viewer.id) return sendJson(res, 403, { error: 'FORBIDDEN', message: 'This receipt belongs to someone else' }), true;
      const { csv } = await receiptCsv(db, id);
      return sendCsv(res, `receipt-${id}.csv`, csv), true;
    }
    if (url.pathname === '/export/my.csv') {
      const endedBefore = date(url.searchParams.get('completedBefore'), 'completedBefore') ?? new Date();
      return sendCsv(res, `usage-${viewer.username}.csv`, await usageCsv(db, { user: viewer.username, endedBefore }, defaultTier)), true;
    }
    if (url.pathname === '/export/usage.csv') {
      if (!staff) return sendJson(res, 403, { error: 'FORBIDDEN', message: "Only staff export everyone's usage" }), true;
      const p = url.searchParams;
      const csv = await usageCsv(db, {
        user: p.get('user') || undefined,
        account: p.get('account') || undefined,
        partition: p.get('partition') || undefined,
        endedAfter: date(p.get('endedAfter'), 'endedAfter'),
        endedBefore: date(p.get('endedBefore'), 'endedBefore'),
        billed: p.get('billed') === 'true' ? true : p.get('billed') === 'false' ? false : undefined,
      }, defaultTier);
      return sendCsv(res, 'usage.csv', csv), true;
    }
    if (url.pathname === '/export/audit.csv') {
      if (!staff) return sendJson(res, 403, { error: 'FORBIDDEN', message: 'Only staff export the audit log' }), true;
      const p = url.searchParams;
      return sendCsv(res, 'audit.csv', await auditCsv(db, { action: p.get('action') ?? undefined, actor: p.get('actor') ?? undefined })), true;
    }
    if (url.pathname === '/export/paid.csv') {
      if (!staff) return sendJson(res, 403, { error: 'FORBIDDEN', message: 'Only staff export payments' }), true;
      return sendCsv(res, 'paid.csv', await paidCsv(db)), true;
    }
  } catch (error) {
    if (error instanceof Error && /must be a date/.test(error.message)) {
      return sendJson(res, 400, { error: 'BAD_INPUT', message: error.message }), true;
    }
    throw error;
  }
  sendJson(res, 404, { error: 'NOT_FOUND' });
  return true;
}
