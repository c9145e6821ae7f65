/**
 * One ApplicationSet per environment: a git directory generator over `gitops/<env>/*` turns each
 * rendered folder into an Application (docs/design/argo.md §Root Application and ApplicationSets).
 * goTemplate with `missingkey=error`, and the project hard-coded (a templated project lets whoever
 * controls the generator's input pick a project: Argo CD "ApplicationSet security").
 */
import type { Construct } from 'constructs';
import type { Environment } from '../../environments/schema.js';
import { ApplicationSet } from '../../imports/argocd-applicationset-argoproj.io.js';
import { environmentNamespace, environmentProject, PLATFORM } from '../../platform.js';
import { moduleSource } from '../factory.js';
import { environmentLabels } from '../labels.js';
import { FOLDER_LABEL, FOLDER_LABEL_VALUE, rollingSyncStrategy } from './rolling-sync.js';
import { rootWave } from './root-waves.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * `annotations` go on every Application the set generates (the environment's notification
 * subscriptions, notifications.ts).
 */
export function environmentApplicationSet(
  scope: Construct,
  env: Environment,
  annotations: Record<string, string> = {},
): ApplicationSet {
  const name = environmentProject(env.name);
  const dir = `${PLATFORM.gitopsDir}/${env.name}`;
  const { sync } = env;
  return new ApplicationSet(scope, `applicationset-${name}`, {
    metadata: {
      name,
      namespace: PLATFORM.argocdNamespace,
      labels: environmentLabels(env.name),
      annotations: rootWave('applicationSets'),
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          git: {
            repoUrl: PLATFORM.repoURL,
            revision: PLATFORM.targetRevision,
            directories: [{ path: `${dir}/*` }],
          },
        },
      ],
      // Deleting a folder (or the ApplicationSet) must not cascade-delete live objects where the
      // environment says so (prod: databases, money).
      syncPolicy: { preserveResourcesOnDeletion: sync.preserveResourcesOnDeletion },
      // Namespace, then database, then observability, then the apps, each step once the previous
      // is Synced and Healthy (rolling-sync.ts).
      strategy: rollingSyncStrategy(),
      template: {
        metadata: {
          name: `${env.name}-{{.path.basename}}`,
          labels: { ...environmentLabels(env.name), [FOLDER_LABEL]: FOLDER_LABEL_VALUE },
          ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
          project: name,
          source: {
            repoUrl: PLATFORM.repoURL,
            targetRevision: PLATFORM.targetRevision,
            path: '{{.path.path}}',
          },
          destination: { server: env.cluster.server, namespace: environmentNamespace(env.name) },
          syncPolicy: {
            ...(sync.automated ? { automated: { prune: sync.prune, selfHeal: sync.selfHeal } } : {}),
            // PruneLast: delete leftovers only after the new objects are healthy.
            syncOptions: ['PruneLast=true'],
            // Kept by the RollingSync-triggered syncs (rolling-sync.ts): a step's sync retries
            // transient failures before the next step is held back.
            retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
          },
        },
      },
    },
  });
}
