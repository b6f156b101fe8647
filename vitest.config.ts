import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships .mjs and .js builds; without one resolved path vitest loads both and
// Pothos fails with "Cannot use GraphQLSchema from another module or realm".
const require = createRequire(new URL('./server/package.json', import.meta.url));
const graphql = require.resolve('graphql');

const shared = {
  resolve: { alias: { graphql } },
};

// CI asks for a JSON report beside the console output, to print one closing summary line.
const reporters = process.env.VITEST_JSON ? ['default', 'json'] : ['default'];
const outputFile = process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined;

// Sized for two suites at once on a 2-core machine, where a test that takes a second alone can take ten.
const unitTimeouts = { testTimeout: 20_000, hookTimeout: 20_000 };
const apiTimeouts = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    reporters,
    outputFile,
    projects: [
      { ...shared, test: { name: 'unit', include: ['server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'], environment: 'node', ...unitTimeouts } },
      { ...shared, test: { name: 'web', include: ['web/src/**/*.test.ts'], environment: 'node', ...unitTimeouts } },
      {
        ...shared,
        test: { name: 'api', include: ['tests/api/**/*.test.ts'], environment: 'node', ...apiTimeouts },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          name: 'system',
          include: ['tests/system/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
