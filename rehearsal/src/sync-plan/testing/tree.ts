/**
 * Reads the committed gitops/ tree into a scenario (tests and the plan printer), until the
 * expansion's loader (rehearsal/src/expand) is on main.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject, RenderedInput, Scenario } from '../../model.js';
import { scenarioFromInputs } from '../interim.js';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );

export const readTree = (gitops: string, folders: string[]): RenderedInput[] =>
  folders.flatMap((folder) =>
    walk(join(gitops, folder)).flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8'))
        .map((d) => d.toJSON() as K8sObject | null)
        .filter((o): o is K8sObject => !!o?.kind)
        // A kustomization.yaml has no metadata; name it after its file.
        .map((o) => (o.metadata ? o : { ...o, metadata: { name: 'kustomization' } }))
        .map((object) => ({ path: relative(gitops, file), object })),
    ),
  );

/** `prod`, `staging`, `dev`, or `preview` (placed in `pr-1`). */
export const treeScenario = (gitops: string, name: string): Scenario =>
  scenarioFromInputs(
    name,
    name === 'preview' ? 'pr-1' : `payday-${name}`,
    readTree(gitops, ['argocd', 'platform', name]),
  );
