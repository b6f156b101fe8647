import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.ts';
import { loadSchemaEngine } from './schema-engine.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const migrationsDir = path.join(root, 'prisma/migrations');
const dir = mkdtempSync(path.join(tmpdir(), 'migrate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const migrationsList = () => {
  const names = readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: readFileSync(path.join(migrationsDir, 'migration_lock.toml'), 'utf8') },
    shadowDbInitScript: '',
    migrationDirectories: names.map((n) => ({
      path: n,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, n, 'migration.sql'), 'utf8') } },
    })),
  };
};

describe('migrations at start-up', () => {
  it('applies each migration once, and nothing on a second start', () => {
    const file = path.join(dir, 'twice.db');
    expect(applyMigrations(file, migrationsDir).length).toBeGreaterThan(0);
    expect(applyMigrations(file, migrationsDir)).toEqual([]);
  });

  it("leaves a history that Prisma's own schema engine takes as fully applied", async () => {
    const file = path.join(dir, 'engine.db');
    applyMigrations(file, migrationsDir);
    const { engine } = await loadSchemaEngine(path.join(root, 'prisma/schema.prisma'), `file:${file}`);
    const filters = { externalTables: [], externalEnums: [] };
    const diagnosis = await engine.diagnoseMigrationHistory({ migrationsList: migrationsList(), optInToShadowDatabase: false, filters });
    expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], history: null });
    expect(await engine.applyMigrations({ migrationsList: migrationsList(), filters })).toEqual({ appliedMigrationNames: [] });
  }, 30_000);
});
