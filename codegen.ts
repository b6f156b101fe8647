import { createRequire } from 'node:module';
import type { CodegenConfig } from '@graphql-codegen/cli';

// The codegen packages are dependencies of `web`, not of the root (pnpm keeps them out of the root's
// node_modules), so load the preset from there instead of by the name 'client', which codegen would look
// up from the current directory.
const requireFromWeb = createRequire(new URL('./web/package.json', import.meta.url));
const { preset: clientPreset } = requireFromWeb('@graphql-codegen/client-preset');

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,svelte}', '!web/src/lib/graphql/generated/**'],
  ignoreNoDocuments: true,
  generates: {
    'web/src/lib/graphql/generated/': {
      preset: clientPreset,
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        scalars: {
          ID: { input: 'string | number', output: 'string' },
          DateTime: { input: 'string', output: 'string' },
          Decimal: { input: 'string', output: 'string' },
        },
      },
    },
  },
};

export default config;
