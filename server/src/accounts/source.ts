import type { ClusterConfig, Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import { type AccountTree, fetchAssociations, fetchRestdAssociations } from '../slurm/assoc.ts';
import type { RestdOptions } from '../slurm/restd-client.ts';
import { SlurmSourceError } from '../slurm/types.ts';
import type { AssociationSnapshot } from './membership.ts';

/** A cluster's slurmrestd settings as the Slurm clients take them; null when it has none. */
export function restdOptionsOf(cluster: ClusterConfig): Omit<RestdOptions, 'cluster'> | null {
  const { restd, timeoutMs } = cluster.sources;
  if (!restd) return null;
  return {
    baseUrl: restd.baseUrl,
    token: restd.token ?? undefined,
    tokenFile: restd.tokenFile ?? undefined,
    userName: restd.userName,
    verifyTls: restd.verifyTls,
    caFile: restd.caFile ?? undefined,
    version: restd.version ?? undefined,
    timeoutMs,
  };
}

/** Several clusters' trees as one: accounts are slurmdbd's (one per name), associations each cluster's. */
export function mergeTrees(trees: readonly AccountTree[]): AssociationSnapshot {
  const accounts = new Map<string, AccountTree['accounts'][number]>();
  for (const tree of trees) {
    for (const a of tree.accounts) {
      const seen = accounts.get(a.name);
      accounts.set(a.name, seen ? { ...seen, coordinators: [...new Set([...seen.coordinators, ...a.coordinators])].sort() } : a);
    }
  }
  return { accounts: [...accounts.values()], associations: trees.flatMap((t) => t.associations) };
}

/**
 * Reads Slurm's accounts and associations the way ACCOUNTS_SOURCE says, for every configured cluster. One cluster
 * that cannot be read fails the whole read: memberships are closed only on a complete answer.
 */
export function associationsFromConfig(config: Config): () => Promise<AssociationSnapshot> {
  const how = config.accounts;
  return async () => {
    if (!how) throw new DomainError('SLURM_UNAVAILABLE', 'no source of Slurm accounts is configured (set ACCOUNTS_SOURCE to sacctmgr or restd)');
    try {
      const trees = await Promise.all(
        config.clusters.map((c) => {
          if (how.source === 'sacctmgr') return fetchAssociations({ sacctmgrPath: how.path, timeoutMs: how.timeoutMs, cluster: c.name });
          const restd = restdOptionsOf(c);
          if (!restd) throw new SlurmSourceError('restd', `cluster "${c.name}" has no SLURMRESTD_URL to read its accounts from`);
          return fetchRestdAssociations({ ...restd, cluster: c.name });
        }),
      );
      return mergeTrees(trees);
    } catch (error) {
      if (error instanceof SlurmSourceError) throw new DomainError('SLURM_UNAVAILABLE', `the accounts could not be read from Slurm: ${error.message}`);
      throw error;
    }
  };
}
