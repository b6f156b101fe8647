// Typed GraphQL documents for the web app: schema.graphql + web/src/**/*.{ts,svelte} → web/src/lib/graphql/generated/.
// Runs from the repository root; the codegen packages are resolved from web/, which depends on them.
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const requireFromWeb = createRequire(new URL('../web/package.json', import.meta.url));
const { generate, loadCodegenConfig } = await import(pathToFileURL(requireFromWeb.resolve('@graphql-codegen/cli')).href);

process.chdir(root);
const loaded = await loadCodegenConfig({ configFilePath: fileURLToPath(new URL('../codegen.ts', import.meta.url)) });
if (!loaded?.config) {
  console.error('codegen: codegen.ts not found or empty');
  process.exit(1);
}
try {
  await generate({ ...loaded.config, cwd: root, silent: process.argv.includes('--silent') }, true);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
