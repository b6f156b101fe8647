// Prints the schema to schema.graphql; `--check` fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { schema } from '../schema/index.ts';

const file = path.resolve(import.meta.dirname, '../../../schema.graphql');
const text = `${printSchema(schema)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('schema.graphql is stale: run `pnpm generate` and commit it');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else {
  writeFileSync(file, text);
  console.log('wrote schema.graphql');
}
