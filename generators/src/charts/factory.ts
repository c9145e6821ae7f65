/**
 * The shape of a chart factory (see registry.ts for the list, generators/README.md for the how-to).
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentContext, GlobalContext } from './context.js';

export interface EnvironmentChartFactory {
  /** Unique id (kebab-case). */
  id: string;
  scope: 'environment';
  /** Repository-relative module path, recorded in the index and headers (use `moduleSource`). */
  source: string;
  build(ctx: EnvironmentContext): void;
}

export interface GlobalChartFactory {
  id: string;
  scope: 'global';
  source: string;
  build(ctx: GlobalContext): void;
}

export type ChartFactory = EnvironmentChartFactory | GlobalChartFactory;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `import.meta.url` of a module → its repository-relative TypeScript source
 * (`generators/src/charts/x.ts`), also when running compiled JavaScript from `generators/dist/`,
 * so headers and indexes never depend on how the renderer was run.
 */
export function moduleSource(moduleUrl: string): string {
  const rel = relative(repoRoot, fileURLToPath(moduleUrl)).split('\\').join('/');
  const compiled = /^generators\/dist\/(.*)\.js$/.exec(rel);
  return compiled ? `generators/src/${compiled[1]}.ts` : rel;
}
