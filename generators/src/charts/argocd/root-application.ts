/**
 * The root ("bootstrap") Application: admin-owned, syncs `gitops/argocd/` (AppProjects and
 * ApplicationSets). App-of-apps is an admin-only tool (Argo CD "Cluster bootstrapping").
 */
import type { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io.js';
import { PLATFORM } from '../../platform.js';
import { moduleSource } from '../factory.js';
import { environmentLabels } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

export function rootApplication(scope: Construct): Application {
  return new Application(scope, 'application-payday-root', {
    metadata: {
      name: 'payday-root',
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels('platform'),
    },
    spec: {
      project: 'platform',
      source: {
        repoUrl: PLATFORM.repoURL,
        targetRevision: PLATFORM.targetRevision,
        path: `${PLATFORM.gitopsDir}/argocd`,
        // Includes gitops/argocd/platform/ (platform component Applications,
        // docs/design/argo.md §Platform components).
        directory: { recurse: true },
      },
      destination: { server: PLATFORM.inCluster, namespace: PLATFORM.argocdNamespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['PruneLast=true'] },
    },
  });
}
