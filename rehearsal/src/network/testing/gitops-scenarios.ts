/**
 * Scenarios read back from the committed `gitops/` tree, for tests: each environment's objects
 * in its namespace, and the preview's namespace-less objects placed in `pr-1` the way the
 * pull-request ApplicationSet places them. A stand-in for the rehearsal's own loading, which
 * builds scenarios from the renderer's output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { ClusterObject, K8sObject, Scenario } from '../../model.js';

export const GITOPS = fileURLToPath(new URL('../../../../gitops', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? yamlFiles(join(dir, entry.name))
        : entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml'
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

export function gitopsScenario(name: 'dev' | 'staging' | 'prod' | 'preview', root = GITOPS): Scenario {
  const namespace = name === 'preview' ? 'pr-1' : `payday-${name}`;
  const objects: ClusterObject[] = yamlFiles(join(root, name)).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
      const object = doc.toJS() as K8sObject;
      if (name === 'preview') object.metadata.namespace = namespace;
      return { object, origin: { kind: 'rendered' as const, path: file.slice(root.length + 1) } };
    }),
  );
  return { name, namespace, objects };
}
