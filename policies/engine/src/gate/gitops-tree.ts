import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseObjects } from '../load/objects.js';
import type { GateEnvironment, RenderedObject } from './types.js';

/**
 * Reads the committed rendered tree: every top-level folder of `gitops/` is one environment
 * (`dev`, `staging`, `prod`, and the shared `argocd`/`platform` trees), every `*.yaml` under it
 * holds Kubernetes objects. Files the renderer writes for people (index, README) are skipped by
 * name; any other YAML that is not a Kubernetes object is an error.
 */
export function readGitopsTree(gitopsDir: string, root: string = join(gitopsDir, '..')): GateEnvironment[] {
  const envs: GateEnvironment[] = [];
  for (const name of readdirSync(gitopsDir).sort()) {
    const dir = join(gitopsDir, name);
    if (!statSync(dir).isDirectory() || name.startsWith('.')) continue;
    const objects: RenderedObject[] = [];
    for (const file of yamlFiles(dir)) {
      const path = relative(root, file).split(sep).join('/');
      for (const object of parseObjects(readFileSync(file, 'utf8'), path)) objects.push({ path, object });
    }
    envs.push({ name, objects });
  }
  return envs;
}

const NOT_MANIFESTS = /(^|\/)(index|kustomization|README)\.ya?ml$|(^|\/)\.[^/]*$/i;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(entry) && !NOT_MANIFESTS.test(entry)) out.push(p);
  }
  return out;
}
