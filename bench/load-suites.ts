/**
 * Finds the suites in bench/suites/: one file per suite, named after it (`api.ts` exports the
 * suite `api`). Names are checked against the file names before anything is imported, so a typo
 * fails at once with the list of known suites instead of after loading every suite's dependencies.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchSuite } from './harness.js';

export const SUITES_DIR = join(import.meta.dirname, 'suites');

export async function suiteNames(dir = SUITES_DIR): Promise<string[]> {
  return (await readdir(dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

export class UnknownSuiteError extends Error {}

/** The named suites (all when `names` is empty), in the order given, else alphabetical. */
export async function loadSuites(names: string[], dir = SUITES_DIR): Promise<BenchSuite[]> {
  const known = await suiteNames(dir);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new UnknownSuiteError(
      `unknown bench suite${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  }
  const chosen = names.length ? [...new Set(names)] : known;
  const suites: BenchSuite[] = [];
  for (const name of chosen) {
    const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as { default?: BenchSuite };
    const suite = mod.default;
    if (!suite || typeof suite.run !== 'function')
      throw new Error(`bench/suites/${name}.ts must export default a BenchSuite (see bench/harness.ts)`);
    if (suite.name !== name)
      throw new Error(
        `bench/suites/${name}.ts exports a suite named "${suite.name}"; name the file after the suite`,
      );
    suites.push(suite);
  }
  return suites;
}
