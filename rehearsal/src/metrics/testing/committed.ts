/**
 * The committed `gitops/` tree as a scenario, for the provenance tests: one environment's rendered
 * objects plus the global `gitops/argocd/` objects, read back from disk (no controller expansion).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ClusterObject, K8sObject, Scenario } from '../../model.js';

export const GITOPS = join(import.meta.dirname, '../../../../gitops');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml')
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function committedScenario(environment: string, namespace = `payday-${environment}`): Scenario {
  const objects: ClusterObject[] = [];
  for (const dir of [environment, 'argocd']) {
    for (const file of yamlFiles(join(GITOPS, dir))) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const object = doc.toJS() as K8sObject | null;
        if (!object) continue;
        if (dir === environment && object.kind !== 'Namespace') object.metadata.namespace ??= namespace;
        objects.push({ object, origin: { kind: 'rendered', path: relative(GITOPS, file) } });
      }
    }
  }
  return { name: environment, namespace, objects };
}
