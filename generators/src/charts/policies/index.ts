/**
 * The policy gate's policies as admission control
 * (docs/design/policy-gate.md §Admission in the clusters): every `policies/<name>/policy.yaml` (and
 * `policies/exceptions/*.yaml`) is rendered into `gitops/platform/policies/`, and an Argo CD
 * Application in `gitops/argocd/platform/` installs that folder after Kyverno, so the clusters
 * enforce exactly what CI judged.
 *
 * The cluster also runs objects the gate never sees (Helm-installed platform components that
 * need host access, operators that create Secrets), so two annotations adapt a policy for
 * admission, and nothing else differs from what the gate evaluates:
 *  - `payday.io/admission-actions`: the in-cluster validationActions (`Audit` for policies that
 *    look up sibling objects, which would deny whichever of a pair Argo CD applies first), or
 *    `none` for gate-only policies (no plain Secrets *in git*: operators create Secrets in-cluster);
 *  - `payday.io/admission-scope: cluster` keeps a policy cluster-wide; otherwise a policy without a
 *    namespaceSelector is limited to namespaces carrying the environment label, i.e. ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { PLATFORM } from '../../platform.js';
import { type GlobalChartFactory, moduleSource } from '../factory.js';

export const ADMISSION_ACTIONS_ANNOTATION = 'payday.io/admission-actions';
export const ADMISSION_SCOPE_ANNOTATION = 'payday.io/admission-scope';
const ENVIRONMENT_LABEL = `${PLATFORM.labelDomain}/environment`;
const POLICIES_DIR = join(import.meta.dirname, '../../../../policies');
export const POLICIES_FOLDER = 'platform/policies';

interface PolicyDocument {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Reads the committed policies (sorted, so the output is deterministic). */
export function readPolicyDocuments(dir = POLICIES_DIR): PolicyDocument[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || entry.name === 'engine' || entry.name.startsWith('.')) continue;
    if (entry.name === 'exceptions') {
      for (const f of readdirSync(join(dir, entry.name)).sort())
        if (/\.ya?ml$/.test(f)) files.push(join(dir, entry.name, f));
      continue;
    }
    files.push(join(dir, entry.name, 'policy.yaml'));
  }
  return files.flatMap((file) =>
    (loadAll(readFileSync(file, 'utf8')) as (PolicyDocument | null)[]).filter(
      (d): d is PolicyDocument => d !== null,
    ),
  );
}

/** The in-cluster form of a policy (see the module comment), or undefined when gate-only. */
export function admissionPolicy(doc: PolicyDocument): PolicyDocument | undefined {
  if (doc.kind !== 'ValidatingPolicy') return doc;
  const annotations = doc.metadata.annotations ?? {};
  const actions = annotations[ADMISSION_ACTIONS_ANNOTATION]?.split(',').map((a) => a.trim());
  if (actions?.includes('none')) return undefined;
  const spec = { ...doc.spec };
  if (actions) spec.validationActions = actions;
  const match = (spec.matchConstraints ?? {}) as Record<string, unknown>;
  if (annotations[ADMISSION_SCOPE_ANNOTATION] !== 'cluster' && !match.namespaceSelector) {
    spec.matchConstraints = {
      ...match,
      namespaceSelector: { matchExpressions: [{ key: ENVIRONMENT_LABEL, operator: 'Exists' }] },
    };
  }
  return { ...doc, spec };
}

export const policiesChart: GlobalChartFactory = {
  id: 'policies',
  scope: 'global',
  source: moduleSource(import.meta.url),
  build(ctx) {
    const folder = ctx.folder(POLICIES_FOLDER);
    for (const doc of readPolicyDocuments()) {
      const admitted = admissionPolicy(doc);
      if (admitted) new ApiObject(folder, `${doc.kind.toLowerCase()}-${doc.metadata.name}`, admitted);
    }
  },
};
