/**
 * The environment's Namespace, in its own folder (`gitops/<env>/namespace/`): Pod Security
 * Admission enforces the `restricted` profile (kubernetes.io/docs/concepts/security/
 * pod-security-admission), and the environment label lets policies select the namespace; plus the
 * namespace-wide objects (default-deny NetworkPolicies).
 */

import { type EnvironmentChartFactory, moduleSource } from '../factory.js';
import { kplus } from '../kplus.js';
import { environmentLabels, SYNC_WAVE, syncWave } from '../labels.js';
import { folderObjects } from '../objects.js';
import { addObject } from '../provenance.js';

/** Pinned to the Kubernetes minor the manifests target (1.34), not `latest`. */
const PSA_VERSION = 'v1.34';

export const namespaceChart: EnvironmentChartFactory = {
  id: 'namespace',
  scope: 'environment',
  source: moduleSource(import.meta.url),
  build(ctx) {
    // The folder carries no default namespace (it holds the Namespace itself); its objects set theirs.
    const chart = ctx.folder('namespace', { namespace: null });
    for (const o of folderObjects(ctx, 'namespace')) addObject(chart, o.object, o.builder);
    // Previews get their namespace from the ApplicationSet (managedNamespaceMetadata).
    if (ctx.preview || !ctx.namespace) return;
    new kplus.Namespace(chart, 'namespace', {
      metadata: {
        name: ctx.namespace,
        labels: {
          ...environmentLabels(ctx.env.name),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': PSA_VERSION,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': PSA_VERSION,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': PSA_VERSION,
        },
        annotations: syncWave(SYNC_WAVE.namespace),
      },
    });
  },
};
