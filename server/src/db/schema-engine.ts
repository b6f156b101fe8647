import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

/**
 * Prisma's schema engine compiled to WebAssembly. The CLI's native engine is downloaded from
 * Prisma's servers on first use, which fails offline (and on air-gapped clusters); the wasm build
 * ships in an npm package and produces the same SQL.
 * Node 20 cannot `import` a .wasm module, so it is instantiated by hand.
 */
export async function loadSchemaEngine(schemaPath: string, databaseUrl = ':memory:') {
  // The engine reports a Rust panic's message here before it throws; without it the message is lost.
  const registry = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(m: string): void } };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m) => console.error(`schema engine panicked: ${m}`) };
  const bg = await (wasm ??= instantiate());

  // On PostgreSQL the engine needs a live server even for a diff from empty: it asks the server for its version.
  const adapter = bindMigrationAwareSqlAdapterFactory(
    /^postgres(ql)?:\/\//.test(databaseUrl) ? new PrismaPg({ connectionString: databaseUrl }) : new PrismaBetterSqlite3({ url: databaseUrl }),
  );
  const content = readFileSync(schemaPath, 'utf8');
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, content]] },
    () => {},
    adapter,
  );
  return { engine, schema: { files: [{ path: schemaPath, content }] } };
}

// The glue module caches views of the wasm memory: a second instance under it reads the first one's memory.
let wasm: Promise<any> | undefined;

async function instantiate() {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const bg = await import(path.join(pkgDir, 'schema_engine_bg.js'));
  const bytes = readFileSync(path.join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return bg;
}
