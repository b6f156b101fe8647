import { createHash } from 'node:crypto';

/**
 * The audit log is a hash chain: each entry's hash covers a canonical encoding of its fields
 * and the previous entry's hash, so changing, removing or reordering any entry breaks every
 * hash after it.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  ts: Date;
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  path: string | null;
  action: string;
  target: string | null;
  status: string;
  /** JSON text */
  extra: string;
}

/** JSON with object keys sorted at every depth: the same value always encodes to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(fields: AuditFields, prevHash: string): string {
  const body = canonicalJson({
    ts: fields.ts.toISOString(),
    actor: fields.actor,
    ip: fields.ip,
    userAgent: fields.userAgent,
    method: fields.method,
    path: fields.path,
    action: fields.action,
    target: fields.target,
    status: fields.status,
    extra: JSON.parse(fields.extra),
    prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

export interface ChainStatus {
  ok: boolean;
  checked: number;
  /** The first entry whose hash or link does not hold. */
  firstBrokenId: number | null;
  reason: string | null;
}

/** Walks entries in id order; `entries` may be any iterable so large logs stream in pages. */
export async function verifyChain(
  entries: AsyncIterable<AuditFields & { id: number; prevHash: string; hash: string }>,
): Promise<ChainStatus> {
  let prev = GENESIS_HASH;
  let checked = 0;
  for await (const e of entries) {
    if (e.prevHash !== prev) {
      return { ok: false, checked, firstBrokenId: e.id, reason: `entry ${e.id} does not link to the entry before it` };
    }
    let expected: string;
    try {
      expected = entryHash(e, e.prevHash);
    } catch {
      return { ok: false, checked, firstBrokenId: e.id, reason: `entry ${e.id} has unreadable extra data` };
    }
    if (expected !== e.hash) {
      return { ok: false, checked, firstBrokenId: e.id, reason: `entry ${e.id} was changed after it was written` };
    }
    prev = e.hash;
    checked++;
  }
  return { ok: true, checked, firstBrokenId: null, reason: null };
}
