/**
 * INTERIM, until the controller expansion (rehearsal/src/expand) supplies these objects: the
 * few controller outputs the sync plan needs, derived only when a scenario carries no expanded
 * object from the same parent. Each rule cites what it follows; the expansion's objects always
 * win over these.
 */
import type { ClusterObject, K8sObject, RenderedInput, Scenario } from '../model.js';
import { ref } from '../model.js';

const generated = (
  object: K8sObject,
  controller: string,
  parent: K8sObject,
  rule: string,
): ClusterObject => ({
  object,
  origin: { kind: 'expanded', controller, parent: ref(parent), rule },
});

/** `{{.path.basename}}`-style fields of a goTemplate, from a flat map. */
const fill = (value: unknown, params: Record<string, string>): unknown => {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*\.([\w.]+)\s*\}\}/g, (all, key: string) => params[key] ?? all);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, params));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, params)]));
  }
  return value;
};

interface Template {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

const application = (set: K8sObject, params: Record<string, string>): K8sObject => {
  const template = (set.spec as { template: Template }).template;
  const filled = fill(template, params) as Template;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { ...filled.metadata, namespace: set.metadata.namespace ?? 'argocd' },
    spec: filled.spec,
  };
};

/**
 * The Applications an ApplicationSet generates: the git directory generator over the rendered
 * tree (argo-cd v3.5.1 applicationset/generators/git.go: one parameter set per matching
 * directory, `path.path` and `path.basename`) and the pull-request generator for the sample
 * pull request of a preview scenario (applicationset/generators/pull_request.go: `number`,
 * `head_sha`, `head_short_sha_7`, …).
 */
export const generateApplications = (
  scenario: Scenario,
  sample: { number: number; sha: string },
): ClusterObject[] => {
  const out: ClusterObject[] = [];
  const paths = scenario.objects.flatMap((o) => (o.origin.kind === 'rendered' ? [o.origin.path] : []));
  for (const { object: set } of scenario.objects) {
    if (set.kind !== 'ApplicationSet') continue;
    const generators = ((set.spec as { generators?: unknown[] }).generators ?? []) as Record<
      string,
      { directories?: { path: string }[] }
    >[];
    for (const generator of generators) {
      for (const dir of generator.git?.directories ?? []) {
        // `gitops/prod/*`: every directory one level under gitops/prod.
        const base = dir.path.replace(/^gitops\//, '').replace(/\/\*$/, '');
        const names = new Set(
          paths
            .filter((p) => p.startsWith(`${base}/`) && p.split('/').length > base.split('/').length + 1)
            .map((p) => p.split('/')[base.split('/').length]),
        );
        for (const name of [...names].sort()) {
          const params = { 'path.path': `gitops/${base}/${name}`, 'path.basename': name };
          out.push(
            generated(
              application(set, params),
              'argocd-applicationset',
              set,
              'argo-cd v3.5.1 applicationset/generators/git.go',
            ),
          );
        }
      }
      if (generator.pullRequest && scenario.namespace === `pr-${sample.number}`) {
        const params = {
          number: String(sample.number),
          head_sha: sample.sha,
          head_short_sha: sample.sha.slice(0, 8),
          head_short_sha_7: sample.sha.slice(0, 7),
          branch: `pr-${sample.number}`,
        };
        out.push(
          generated(
            application(set, params),
            'argocd-applicationset',
            set,
            'argo-cd v3.5.1 applicationset/generators/pull_request.go',
          ),
        );
      }
    }
  }
  return out;
};

/**
 * Secrets and Services the sync plan looks for as controller outputs:
 * - CloudNativePG v1.30.0: `<cluster>-app` (the owner's credentials, `uri` key) and the
 *   `<cluster>-rw`, `-ro`, `-r` Services (docs/src/applications.md, docs/src/service_management.md);
 * - External Secrets v2.9.0: the target Secret (`spec.target.name`, else the ExternalSecret's
 *   name), unless `creationPolicy` is Merge, Orphan-less None (docs/api/externalsecret.md).
 */
export const controllerOutputs = (objects: ClusterObject[]): ClusterObject[] => {
  const expandedParents = new Set(
    objects.flatMap((o) => (o.origin.kind === 'expanded' ? [o.origin.parent] : [])),
  );
  const out: ClusterObject[] = [];
  for (const { object } of objects) {
    if (expandedParents.has(ref(object))) continue;
    const namespace = object.metadata.namespace;
    const meta = (name: string) => ({ name, ...(namespace ? { namespace } : {}) });
    if (object.kind === 'Cluster' && object.apiVersion.startsWith('postgresql.cnpg.io/')) {
      const rule = 'cloudnative-pg v1.30.0 docs/src/applications.md';
      const name = object.metadata.name;
      out.push(
        generated(
          { apiVersion: 'v1', kind: 'Secret', metadata: meta(`${name}-app`) },
          'cloudnative-pg',
          object,
          rule,
        ),
        ...['rw', 'ro', 'r'].map((suffix) =>
          generated(
            { apiVersion: 'v1', kind: 'Service', metadata: meta(`${name}-${suffix}`) },
            'cloudnative-pg',
            object,
            'cloudnative-pg v1.30.0 docs/src/service_management.md',
          ),
        ),
      );
    }
    if (object.kind === 'ExternalSecret') {
      const target = (object.spec as { target?: { name?: string; creationPolicy?: string } }).target;
      const policy = target?.creationPolicy ?? 'Owner';
      if (policy === 'Owner' || policy === 'Orphan') {
        out.push(
          generated(
            { apiVersion: 'v1', kind: 'Secret', metadata: meta(target?.name ?? object.metadata.name) },
            'external-secrets',
            object,
            'external-secrets v2.9.0 docs/api/externalsecret.md (creationPolicy)',
          ),
        );
      }
    }
  }
  return out;
};

/** Rendered inputs as a scenario (for tests and the CLI until the expansion's loader lands). */
export const scenarioFromInputs = (name: string, namespace: string, inputs: RenderedInput[]): Scenario => ({
  name,
  namespace,
  objects: inputs.map((input) => ({
    object: input.object,
    origin: { kind: 'rendered', path: input.path },
  })),
});
