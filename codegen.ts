import { createRequire } from 'node:module';
import type { CodegenConfig } from '@graphql-codegen/cli';

// The codegen packages are dependencies of `web`, not of the root (pnpm keeps them out of the root's
// node_modules), so load the preset from there instead of by the name 'client', which codegen would look
// up from the current directory.
const requireFromWeb = createRequire(new URL('./web/package.json', import.meta.url));
const { preset: clientPreset } = requireFromWeb('@graphql-codegen/client-preset');
// The client preset emits only the enums its operations use, so the schema's enums (ErrorCode: no field returns
// it) come from the `typescript` plugin too, in a file of their own.

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,svelte}', '!web/src/lib/graphql/generated/**'],
  ignoreNoDocuments: true,
  pluginLoader: (name: string) => requireFromWeb(name),
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
    // Every enum of the schema as a value too (`Object.values(ErrorCode)`), for code and tests that list them.
    'web/src/lib/graphql/generated/enums.ts': {
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsConst: true, namingConvention: { enumValues: 'keep' } },
    },
  },
};

export default config;
