import type { Config } from '../config.ts';
import { DomainError } from '../errors.ts';
import type { AssociationSnapshot } from './membership.ts';

/** Reads Slurm's accounts and associations the way the configuration says. */
export function associationsFromConfig(_config: Config): () => Promise<AssociationSnapshot> {
  return async () => {
    throw new DomainError('SLURM_UNAVAILABLE', 'no source of Slurm accounts is configured');
  };
}
