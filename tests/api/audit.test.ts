import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, systemMeta, verifyAuditChain } from '../../server/src/audit/recorder.ts';
import { startTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('audit chain in the database', () => {
  it('never forks under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        t.app.db.$transaction((tx) => recordAudit(tx, { action: 'jobs.sync', target: `w${i}`, extra: { i } }, systemMeta())),
      ),
    );
    const entries = await t.app.db.auditEntry.findMany({ orderBy: { id: 'asc' } });
    const prevs = new Set(entries.map((e) => e.prevHash));
    expect(prevs.size).toBe(entries.length);
    expect(await verifyAuditChain(t.app.db)).toMatchObject({ ok: true, checked: entries.length });
  });

  it('refuses, at the database, a second entry after the same one', async () => {
    const last = await t.app.db.auditEntry.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await expect(
      t.app.db.auditEntry.create({
        data: { ts: new Date(), action: 'forged', status: 'ok', prevHash: last.prevHash, hash: 'f'.repeat(64) },
      }),
    ).rejects.toThrow(/Unique constraint/);
  });

  it('finds one changed byte in one entry among thousands, through GraphQL and the CLI', async () => {
    for (let i = 0; i < 30; i++) {
      await t.app.db.$transaction(async (tx) => {
        for (let j = 0; j < 100; j++) await recordAudit(tx, { action: 'rates.update', target: 'mu', extra: { old: i, new: j } }, systemMeta('admin'));
      });
    }
    const admin = await t.cookieFor('admin', 'admin');
    const before = await t.gql('{ verifyAuditChain { ok checked firstBrokenId } }', {}, admin);
    expect(before.data.verifyAuditChain).toMatchObject({ ok: true, firstBrokenId: null });
    expect(before.data.verifyAuditChain.checked).toBeGreaterThan(3000);

    const victim = await t.app.db.auditEntry.findFirstOrThrow({ where: { action: 'rates.update' }, skip: 1777, orderBy: { id: 'asc' } });
    // One byte, behind the application's back: "mu" becomes "mv" in the target of a single entry.
    await t.app.db.$executeRaw`UPDATE "AuditEntry" SET "target" = 'mv' WHERE "id" = ${victim.id}`;

    const after = await t.gql('{ verifyAuditChain { ok checked firstBrokenId reason } }', {}, admin);
    expect(after.data.verifyAuditChain).toMatchObject({ ok: false, firstBrokenId: victim.id });
    expect(after.data.verifyAuditChain.reason).toMatch(/changed/);

    let out = '';
    let code = 0;
    try {
      execFileSync(path.resolve(import.meta.dirname, '../../server/node_modules/.bin/tsx'), ['server/src/cli.ts', 'audit', 'verify'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, DATABASE_URL: t.app.deps.config.databaseUrl, INSTANCE_DIR: t.dir, ADMIN_PASSWORD: 'x' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      code = (error as { status: number }).status;
      out = String((error as { stderr: string }).stderr);
    }
    expect(code).toBe(1);
    expect(out).toContain(`BROKEN at entry ${victim.id}`);
  }, 60_000);
});
