import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of server/src, read from the import statements: no file may reach itself again through its imports
 * (`import type` counts: a type-only cycle still ties the layers together), the Slurm cascade stands on lib/ alone,
 * and the pure billing and audit modules stay free of GraphQL, HTTP and Prisma.
 * TypeScript's own parser reads the statements, so comments, strings and multi-line imports cannot fool it.
 */

const SRC = import.meta.dirname;
const GENERATED = path.join(SRC, 'generated');
const SLURM = path.join(SRC, 'slurm');
const LIB = path.join(SRC, 'lib');
const FIXTURES = path.resolve(SRC, '../../tests/unit-support');

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const under = (file: string, dir: string) => !path.relative(dir, file).startsWith('..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return full === GENERATED ? [] : tsFiles(full);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
    })
    .sort();
}

/** The specifiers of a file's static `import … from` and `export … from` statements, type-only ones included. */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)
      ? [s.moduleSpecifier.text]
      : [],
  );
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A relative specifier → the file; `.ts` specifiers are the rule here, the other forms are tried for safety. */
function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  return [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')].find(isFile) ?? null;
}

interface Edges {
  /** Resolved relative imports. */
  files: string[];
  /** Node built-ins and npm packages, as written. */
  packages: string[];
}

const files = tsFiles(SRC);
const unresolved: string[] = [];
const graph = new Map<string, Edges>(
  files.map((file) => {
    const edges: Edges = { files: [], packages: [] };
    for (const spec of specifiersOf(file)) {
      if (!spec.startsWith('.')) {
        edges.packages.push(spec);
        continue;
      }
      const target = resolve(file, spec);
      if (target) edges.files.push(target);
      else unresolved.push(`${rel(file)}: ${spec}`);
    }
    return [file, edges];
  }),
);

/** One cycle per back edge of a depth-first walk, each as a chain of paths that starts and ends at one file. */
function findCycles(): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string>();
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file)?.files ?? []) {
      if (!graph.has(next)) continue; // outside server/src or in generated/
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next)).map(rel);
        // The same loop reached from another file is one cycle: key it by its rotation that starts lowest.
        const start = loop.indexOf([...loop].sort()[0]);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.set(rotated.join('\n'), [...rotated, rotated[0]].join(' → '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return [...found.values()].sort();
}

/** Every file the given one reaches through relative imports, with the chain that reaches it. */
function reachable(from: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[from, [rel(from)]]]);
  const queue = [from];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of graph.get(file)?.files ?? []) {
      if (chains.has(next)) continue;
      chains.set(next, [...chains.get(file)!, rel(next)]);
      if (graph.has(next)) queue.push(next);
    }
  }
  return chains;
}

const FRAMEWORKS = ['graphql', 'graphql-yoga', 'graphql-ws', '@pothos', 'node:http', 'http', '@prisma'];
const isFramework = (spec: string) => FRAMEWORKS.some((p) => spec === p || spec.startsWith(`${p}/`));

/**
 * Chains from the given files to GraphQL, Pothos, node:http or Prisma (the npm packages or the generated client),
 * the shortest one per offending import, so one bad import deep down is reported once.
 */
function frameworkChains(roots: string[]): string[] {
  const shortest = new Map<string, string[]>();
  const offend = (chain: string[]) => {
    const key = chain.slice(-2).join(' → ');
    if ((shortest.get(key)?.length ?? Infinity) > chain.length) shortest.set(key, chain);
  };
  for (const root of roots) {
    for (const [reached, chain] of reachable(root)) {
      if (under(reached, GENERATED)) offend(chain);
      for (const spec of graph.get(reached)?.packages ?? []) if (isFramework(spec)) offend([...chain, spec]);
    }
  }
  return [...shortest.values()].map((chain) => chain.join(' → ')).sort();
}

describe('server/src layering', () => {
  it('resolves every relative import (a missed edge would hide a cycle)', () => {
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(), 'import cycles in server/src, each as file → … → the same file').toEqual([]);
  });

  it('keeps slurm/ on itself, lib/ and packages', () => {
    // Tests beside the code read recorded payloads through tests/unit-support; what ships never does.
    const allowed = (from: string, to: string) => under(to, SLURM) || under(to, LIB) || (from.endsWith('.test.ts') && under(to, FIXTURES));
    const wrong = files
      .filter((f) => under(f, SLURM))
      .flatMap((f) => graph.get(f)!.files.filter((t) => !allowed(f, t)).map((t) => `${rel(f)} → ${rel(t)}`));
    expect(wrong).toEqual([]);
  });

  it('keeps lib/ neutral: it imports nothing of the app', () => {
    const wrong = files
      .filter((f) => under(f, LIB))
      .flatMap((f) => graph.get(f)!.files.filter((t) => !under(t, LIB)).map((t) => `${rel(f)} → ${rel(t)}`));
    expect(wrong).toEqual([]);
  });

  it('keeps the cascade, the money math, the audit chain and the other domain rules free of GraphQL, HTTP and Prisma', () => {
    const named = [
      'billing/money.ts',
      'billing/cost.ts',
      'audit/chain.ts',
      'accounts/membership.ts',
      'budgets/budget.ts',
      'reconcile/compare.ts',
      'invoices/document.ts',
      'invoices/numbering.ts',
      'invoices/thai-baht-text.ts',
      'invoices/thai-date.ts',
      'invoices/receipt-document.ts',
      'invoices/summary.ts',
      'quotes/sbatch.ts',
      'quotes/quote.ts',
      'notify/webhook.ts',
      'notify/mail.ts',
    ].map((f) => path.join(SRC, f));
    // A renamed module must not pass by no longer being looked at.
    expect(named.filter((f) => !graph.has(f)).map(rel)).toEqual([]);
    const pure = [...files.filter((f) => under(f, SLURM) && !f.endsWith('.test.ts')), ...named];
    expect(frameworkChains(pure)).toEqual([]);
  });
});
