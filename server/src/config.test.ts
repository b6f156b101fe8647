import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const base = { DATABASE_URL: 'file:/tmp/never-opened.db', INIT_CWD: '/srv' };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env });

describe('clusters', () => {
  it('without CLUSTERS, one cluster from the plain variables, as before', () => {
    const { clusters } = load({ CLUSTER_NAME: 'hpc', SLURM_SOURCES: 'sacct,csv', SACCT_PATH: '/usr/bin/sacct', JOBS_CSV: 'jobs.csv', SLURM_TIMEOUT_MS: '5000' });
    expect(clusters).toEqual([
      {
        name: 'hpc',
        sources: { order: ['sacct', 'csv'], csvPath: '/srv/jobs.csv', sacct: { path: '/usr/bin/sacct', allUsers: true }, restd: null, timeoutMs: 5000 },
      },
    ]);
    expect(load({}).clusters).toEqual([{ name: 'cluster', sources: expect.objectContaining({ order: ['restd', 'sacct', 'csv'], csvPath: null }) }]);
    // An empty CLUSTERS (an env file's `CLUSTERS=`) is no list.
    expect(load({ CLUSTERS: '', CLUSTER_NAME: 'hpc' }).clusters.map((c) => c.name)).toEqual(['hpc']);
  });

  it('with CLUSTERS, each cluster from its own CLUSTER_<NAME>_ variables', () => {
    const { clusters } = load({
      CLUSTERS: 'alpha, gpu-2',
      SLURM_TIMEOUT_MS: '7000',
      CLUSTER_ALPHA_SLURMRESTD_URL: 'https://alpha:6820',
      CLUSTER_ALPHA_SLURMRESTD_TOKEN_FILE: '/etc/alpha.jwt',
      CLUSTER_GPU_2_SLURM_SOURCES: 'sacct',
      CLUSTER_GPU_2_SACCT_PATH: '/opt/gpu/bin/sacct',
      CLUSTER_GPU_2_SACCT_ALL_USERS: '0',
      CLUSTER_GPU_2_SLURM_TIMEOUT_MS: '90000',
    });
    expect(clusters.map((c) => c.name)).toEqual(['alpha', 'gpu-2']);
    expect(clusters[0].sources).toMatchObject({
      order: ['restd', 'sacct', 'csv'],
      restd: { baseUrl: 'https://alpha:6820', tokenFile: '/etc/alpha.jwt', token: null, userName: 'slurm' },
      sacct: null,
      csvPath: null,
      timeoutMs: 7000,
    });
    expect(clusters[1].sources).toMatchObject({ order: ['sacct'], restd: null, sacct: { path: '/opt/gpu/bin/sacct', allUsers: false }, timeoutMs: 90000 });
  });

  it('refuses, naming the variable: a bad or repeated name, a cluster without a source, a plain source variable', () => {
    const err = (env: Record<string, string>) => {
      try {
        load(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('no ConfigError');
    };
    const csv = { CLUSTER_A_JOBS_CSV: 'a.csv', CLUSTER_B_JOBS_CSV: 'b.csv' };
    expect(err({ CLUSTERS: ',' })).toMatch(/CLUSTERS must name at least one cluster/);
    expect(err({ CLUSTERS: 'a,b:c', ...csv })).toMatch(/CLUSTERS lists "b:c", which is not a cluster name/);
    expect(err({ CLUSTERS: 'a,b,a', ...csv })).toMatch(/CLUSTERS lists "a" twice/);
    expect(err({ CLUSTERS: 'a-b,a_b', CLUSTER_A_B_JOBS_CSV: 'x.csv' })).toMatch(/"a-b" and "a_b", which would both read the CLUSTER_A_B_\* variables/);
    expect(err({ CLUSTERS: 'a,b', CLUSTER_A_JOBS_CSV: 'a.csv' })).toMatch(
      /cluster "b" has no source .*CLUSTER_B_SLURMRESTD_URL, CLUSTER_B_SACCT_PATH \(or CLUSTER_B_SACCT_ENABLED=1\) or CLUSTER_B_JOBS_CSV/,
    );
    // A source that is set up but not in the cluster's cascade serves nothing.
    expect(err({ CLUSTERS: 'a,b', ...csv, CLUSTER_B_SLURM_SOURCES: 'restd' })).toMatch(/cluster "b" has no source among CLUSTER_B_SLURM_SOURCES \(restd\)/);
    expect(err({ CLUSTERS: 'a,b', ...csv, CLUSTER_B_SLURM_SOURCES: 'csv,slurmdbd' })).toMatch(/CLUSTER_B_SLURM_SOURCES lists unknown source "slurmdbd"/);
    expect(err({ CLUSTERS: 'a,b', ...csv, CLUSTER_A_SLURMRESTD_URL: 'alpha:6820' })).toMatch(/CLUSTER_A_SLURMRESTD_URL must start with http/);
    expect(err({ CLUSTERS: 'a,b', ...csv, SLURMRESTD_TOKEN: 'jwt' })).toMatch(/SLURMRESTD_TOKEN sets up the single cluster, but CLUSTERS is set: .*CLUSTER_A_SLURMRESTD_TOKEN/);
    expect(err({ CLUSTERS: 'a,b', ...csv, CLUSTER_NAME: 'hpc' })).toMatch(/CLUSTER_NAME names the single cluster/);
  });
});

describe('REDIS_URL', () => {
  it('is off without it, and with it shares the replicas’ events and sync under a prefix', () => {
    expect(load({}).redis).toBeNull();
    expect(load({ REDIS_URL: 'redis://cache.example:6380/2' }).redis).toEqual({ url: 'redis://cache.example:6380/2', prefix: 'hpc-accounting:' });
    expect(load({ REDIS_URL: 'rediss://:pw@cache.example', REDIS_PREFIX: 'site-b:' }).redis).toEqual({ url: 'rediss://:pw@cache.example', prefix: 'site-b:' });
  });

  it('refuses what is no Redis URL, naming the variable and never the password', () => {
    for (const bad of ['localhost:6379', 'http://cache.example', 'redis://', 'redis://cache.example/db', 'not a url']) {
      expect(() => load({ REDIS_URL: bad })).toThrow(/REDIS_URL must be a Redis URL/);
    }
    let message = '';
    try {
      load({ REDIS_URL: 'http://user:s3cret@cache.example' });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toMatch(/s3cret/);
    expect(() => load({ REDIS_URL: 'redis://cache.example', REDIS_PREFIX: 'a b' })).toThrow(/REDIS_PREFIX/);
  });
});
