import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`hpc-accounting: configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const app = await buildApp(config);
const { port } = await app.start();
console.log(`hpc-accounting listening on http://localhost:${port} (GraphQL at /graphql)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.stop().then(() => process.exit(0)));
}
