import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'serialized-'));
const db = openDatabase(path.join(dir, 't.db'));
afterAll(async () => {
  await db.$disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('one SQLite connection shared by transactions and plain queries', () => {
  it('keeps a write made while another request’s transaction is open when that transaction rolls back', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((r) => {
      inside = r;
    });
    const failing = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { username: 'rolled-back' } });
        inside();
        await new Promise((r) => setTimeout(r, 200));
        throw new Error('the receipt failed');
      })
      .catch((e: Error) => e.message);
    await opened;
    const outside = db.user.create({ data: { username: 'kept' } });
    expect(await failing).toBe('the receipt failed');
    await outside;
    const names = (await db.user.findMany({ orderBy: { username: 'asc' } })).map((u) => u.username);
    expect(names).toEqual(['kept']);
  });

  it('does not let a plain read see another transaction’s uncommitted rows', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((r) => {
      inside = r;
    });
    const tx = db.$transaction(async (t) => {
      await t.user.create({ data: { username: 'pending' } });
      inside();
      await new Promise((r) => setTimeout(r, 100));
      throw new Error('rollback');
    });
    await opened;
    const seen = await db.user.findUnique({ where: { username: 'pending' } });
    await tx.catch(() => {});
    expect(seen).toBeNull();
  });
});
