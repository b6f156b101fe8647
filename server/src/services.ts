import type { Config } from './config.ts';
import { sourcesFromConfig } from './slurm/cascade.ts';

/** What the server builds once from its configuration and hands to every request. */
export function createServices(config: Config) {
  const sources = sourcesFromConfig(
    {
      order: config.sources.order,
      cluster: config.cluster,
      csv: config.sources.csvPath ? { path: config.sources.csvPath } : null,
      sacct: config.sources.sacct,
      restd: config.sources.restd,
    },
    {},
  );
  return { sources, slurmTimeoutMs: config.sources.timeoutMs };
}

export type Services = ReturnType<typeof createServices>;
