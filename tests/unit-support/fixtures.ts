import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's copy of the Slurm payloads (tests never read ../shared). */
export const SLURM_FIXTURES = fileURLToPath(new URL('../fixtures/slurm/', import.meta.url));

export function slurmFixturePath(rel: string): string {
  return join(SLURM_FIXTURES, rel);
}

export function slurmFixtureText(rel: string): string {
  return readFileSync(slurmFixturePath(rel), 'utf8');
}

export function slurmFixtureJson(rel: string): unknown {
  return JSON.parse(slurmFixtureText(rel));
}

/** Paths (relative to the Slurm fixtures) under `dir` whose names match `pattern`, sorted. */
export function listSlurmFixtures(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push(relative(SLURM_FIXTURES, p));
    }
  };
  walk(slurmFixturePath(dir));
  return out.sort();
}
