import { describe, expect, it } from 'vitest';
import { type AuditFields, canonicalJson, entryHash, GENESIS_HASH, verifyChain } from './chain.ts';

function chain(n: number) {
  const out: Array<AuditFields & { id: number; prevHash: string; hash: string }> = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const f: AuditFields = {
      ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actor: i % 2 ? 'alice' : 'admin',
      ip: '127.0.0.1',
      userAgent: 'test',
      method: 'POST',
      path: '/graphql',
      action: 'rates.update',
      target: 'mu',
      status: 'ok',
      extra: JSON.stringify({ n: i, note: 'ค่าบริการ' }),
    };
    const hash = entryHash(f, prev);
    out.push({ ...f, id: i, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

async function* iter<T>(xs: T[]) {
  yield* xs;
}

describe('audit chain', () => {
  it('encodes objects canonically', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
  it('verifies an intact chain', async () => {
    expect(await verifyChain(iter(chain(50)))).toEqual({ ok: true, checked: 50, firstBrokenId: null, reason: null });
  });
  it('finds one changed byte among thousands of entries', async () => {
    const entries = chain(3000);
    entries[1733].extra = entries[1733].extra.replace('"n":1734', '"n":1735');
    const status = await verifyChain(iter(entries));
    expect(status).toMatchObject({ ok: false, firstBrokenId: 1734, checked: 1733 });
  });
  it('finds a removed entry', async () => {
    const entries = chain(20);
    entries.splice(10, 1);
    expect((await verifyChain(iter(entries))).firstBrokenId).toBe(12);
  });
});
