// Fails when prisma/schema.prisma has changes that no migration in prisma/migrations carries:
// the database the migrations build must have the same structure as the one Prisma's engine
// builds straight from the schema. (The engine's own migrations-vs-schema diff needs a shadow
// database through the native engine, which is a download that fails offline.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations } from '../db/migrate.ts';
import { loadSchemaEngine } from '../db/schema-engine.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'migrate-check-'));

function structure(file: string) {
  const db = new Database(file, { readonly: true });
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name`)
    .all() as Array<{ name: string }>;
  const out = Object.fromEntries(
    tables.map(({ name }) => [
      name,
      {
        columns: db.prepare(`PRAGMA table_info("${name}")`).all(),
        indexes: (db.prepare(`PRAGMA index_list("${name}")`).all() as Array<{ name: string; unique: number }>)
          .map((i) => ({ name: i.name, unique: i.unique, columns: db.prepare(`PRAGMA index_info("${i.name}")`).all().map((c) => (c as { name: string }).name) }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        foreignKeys: db.prepare(`PRAGMA foreign_key_list("${name}")`).all(),
      },
    ]),
  );
  db.close();
  return out;
}

try {
  const fromMigrations = path.join(dir, 'migrations.db');
  applyMigrations(fromMigrations, path.join(root, 'prisma/migrations'));

  const { engine, schema } = await loadSchemaEngine(path.join(root, 'prisma/schema.prisma'));
  const diff = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', ...schema },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  const fromSchema = path.join(dir, 'schema.db');
  const db = new Database(fromSchema);
  db.exec((diff as { stdout: string }).stdout);
  db.close();

  const a = JSON.stringify(structure(fromMigrations), null, 1);
  const b = JSON.stringify(structure(fromSchema), null, 1);
  if (a !== b) {
    console.error('prisma/migrations do not match prisma/schema.prisma: create a migration with');
    console.error('  pnpm --filter @hpc-accounting/server exec tsx src/scripts/migrate-new.ts <name>');
    process.exitCode = 1;
  } else {
    console.log('prisma/migrations match prisma/schema.prisma');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
