/**
 * AppProjects, least privilege (docs/design/argo.md §AppProjects; Argo CD "Projects" docs): this repository
 * only, exact destinations, no cluster-scoped kinds for app projects except their own Namespace,
 * a CI role that can only get and sync, and the environment's sync windows.
 */
import type { Construct } from 'constructs';
import type { Environment } from '../../environments/schema.js';
import { AppProject, type AppProjectSpecRoles } from '../../imports/argocd-appproject-argoproj.io.js';
import { environmentNamespace, environmentProject, PLATFORM } from '../../platform.js';
import { moduleSource } from '../factory.js';
import { environmentLabels } from '../labels.js';
import { rootWave } from './root-waves.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/** A role CI tokens are issued for: it may read and sync the project's Applications, nothing else. */
function ciRole(project: string): AppProjectSpecRoles {
  return {
    name: 'ci',
    description: 'CI: read and sync Applications of this project only',
    policies: [
      `p, proj:${project}:ci, applications, get, ${project}/*, allow`,
      `p, proj:${project}:ci, applications, sync, ${project}/*, allow`,
    ],
  };
}

export function environmentProjectObject(scope: Construct, env: Environment): AppProject {
  const name = environmentProject(env.name);
  const namespace = environmentNamespace(env.name);
  return new AppProject(scope, `appproject-${name}`, {
    metadata: {
      name,
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels(env.name),
      annotations: rootWave('projects'),
    },
    spec: {
      description: `Payday ${env.name}: the apps rendered into gitops/${env.name}/`,
      sourceRepos: [PLATFORM.repoURL],
      destinations: [{ server: env.cluster.server, namespace }],
      // The only cluster-scoped object an environment may manage is its own Namespace.
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: namespace }],
      orphanedResources: { warn: true },
      roles: [ciRole(name)],
      syncWindows: env.sync.windows.map((w) => ({
        kind: w.kind,
        schedule: w.schedule,
        duration: w.duration,
        timeZone: w.timeZone,
        manualSync: w.manualSync,
        applications: ['*'],
      })),
    },
  });
}

/** PR previews: namespaces `pr-<number>` only (docs/design/argo.md §Previews). */
export function previewProjectObject(scope: Construct): AppProject {
  return new AppProject(scope, 'appproject-preview', {
    metadata: {
      name: 'preview',
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels('preview'),
      annotations: rootWave('projects'),
    },
    spec: {
      description: 'Payday PR previews: one namespace pr-<number> per pull request labelled preview',
      sourceRepos: [PLATFORM.repoURL],
      destinations: [{ server: PLATFORM.inCluster, namespace: 'pr-*' }],
      // CreateNamespace=true needs the Namespace kind whitelisted (Argo CD issues #20233, #22869).
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'pr-*' }],
      roles: [ciRole('preview')],
    },
  });
}

/** Platform components and the root app: admin-owned, so cluster-scoped kinds are allowed here only. */
export function platformProjectObject(scope: Construct): AppProject {
  return new AppProject(scope, 'appproject-platform', {
    metadata: {
      name: 'platform',
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels('platform'),
      annotations: rootWave('projects'),
    },
    spec: {
      description: 'Payday platform: Argo CD bootstrap and cluster components (admins only)',
      sourceRepos: [PLATFORM.repoURL, ...PLATFORM.platformSourceRepos],
      destinations: PLATFORM.platformNamespaces.map((namespace) => ({
        server: PLATFORM.inCluster,
        namespace,
      })),
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      orphanedResources: { warn: true },
    },
  });
}

/**
 * The built-in `default` project allows everything; neuter it so nothing can use it
 * (Argo CD "Projects" docs, "The default project").
 */
export function defaultProjectObject(scope: Construct): AppProject {
  return new AppProject(scope, 'appproject-default', {
    metadata: {
      name: 'default',
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels('platform'),
      annotations: rootWave('projects'),
    },
    spec: {
      description: 'Disabled: every Application belongs to a dedicated project',
      sourceRepos: [],
      destinations: [],
      clusterResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: '*', kind: '*' }],
    },
  });
}
