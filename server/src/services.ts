import type { Config } from './config.ts';
import { sourcesFromConfig } from './slurm/cascade.ts';

/** What the server builds once from its configuration and hands to every request. */
export function createServices(config: Config) {
  const { restd, sacct, csvPath, order, timeoutMs } = config.sources;
  const sources = sourcesFromConfig({
    order,
    cluster: config.cluster,
    csv: csvPath ? { path: csvPath } : null,
    sacct: sacct ? { sacctPath: sacct.path, allUsers: sacct.allUsers, timeoutMs } : null,
    restd: restd
      ? {
          baseUrl: restd.baseUrl,
          token: restd.token ?? undefined,
          tokenFile: restd.tokenFile ?? undefined,
          userName: restd.userName,
          verifyTls: restd.verifyTls,
          caFile: restd.caFile ?? undefined,
          version: restd.version ?? undefined,
          timeoutMs,
        }
      : null,
  });
  return { sources, slurmTimeoutMs: timeoutMs };
}

export type Services = ReturnType<typeof createServices>;
