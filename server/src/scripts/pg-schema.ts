// Writes prisma/postgres/schema.prisma, the PostgreSQL twin of prisma/schema.prisma: the same models with the
// datasource provider and the client's output swapped (Prisma 7 generates one client per provider). With --check
// it only fails when the committed twin is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const source = path.join(root, 'prisma/schema.prisma');
const twin = path.join(root, 'prisma/postgres/schema.prisma');

export function postgresSchema(text: string): string {
  const out = text
    .replace(/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/(generator client \{[^}]*output\s*=\s*)"\.\.\/server\/src\/generated\/prisma"/, '$1"../../server/src/generated/prisma-pg"');
  if (!out.includes('"postgresql"') || !out.includes('generated/prisma-pg"')) throw new Error('prisma/schema.prisma: datasource or generator not found');
  return `// Generated from prisma/schema.prisma by server/src/scripts/pg-schema.ts: edit that file, not this one.\n${out}`;
}

const wanted = postgresSchema(readFileSync(source, 'utf8'));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(twin, 'utf8');
  } catch {}
  if (current !== wanted) {
    console.error('prisma/postgres/schema.prisma is stale: run pnpm --filter @hpc-accounting/server exec tsx src/scripts/pg-schema.ts');
    process.exit(1);
  }
  console.log('prisma/postgres/schema.prisma matches prisma/schema.prisma');
} else {
  writeFileSync(twin, wanted);
}
