/**
 * Cost of the committed rendered tree (`gitops/<env>/**`), for reports that read git rather than
 * render (`npm run history -- --html`). Same arithmetic as the render summary (cost.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { type CostSummary, costOfObjects } from './cost.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return p.endsWith('.yaml') ? [p] : [];
  });
}

/** One summary per environment folder of `gitopsDir` (`argocd`, `platform` and `preview` are not environments). */
export function costsOfTree(gitopsDir: string, environments: readonly string[]): CostSummary[] {
  return environments
    .filter((env) => existsSync(join(gitopsDir, env)))
    .map((env) => {
      const objects = yamlFiles(join(gitopsDir, env)).flatMap((f) =>
        parseAllDocuments(readFileSync(f, 'utf8')).map(
          (d) => d.toJS() as { kind: string; metadata: { name: string } },
        ),
      );
      return costOfObjects(
        env,
        objects.filter((o) => o && typeof o.kind === 'string'),
      );
    });
}

/** Costs of every environment of a repository checkout (`environments/*.yaml` → `gitops/<env>/`). */
export function costsOfRepository(root: string): CostSummary[] {
  const dir = join(root, 'environments');
  const envs = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => f.slice(0, -'.yaml'.length))
        .sort()
    : [];
  return costsOfTree(join(root, 'gitops'), envs);
}
