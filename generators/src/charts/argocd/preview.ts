/**
 * Pull-request previews (docs/design/environments.md §Preview environments; docs/design/argo.md §Previews).
 *
 * - `gitops/preview/<folder>/`: the base environment (dev) rendered by the same factories in
 *   preview mode (render/build.ts, the preview scenario) — plain Deployments with one replica (Argo Rollouts should not run in previews),
 *   no Namespace and no `metadata.namespace` (Argo CD places the manifests into `pr-<number>`), a
 *   one-instance database without backups, secrets from `payday/preview/…` only, no autoscalers,
 *   analysis or alerts.
 * - `gitops/preview/kustomization.yaml` (render/preview.ts): lists those files, so Argo CD treats the folder as a
 *   Kustomize app and the ApplicationSet can set per-PR images and hostnames inline.
 * - `ApplicationSet payday-preview` (gitops/argocd/): the pull-request generator over PRs labelled
 *   `preview`, one Application `preview-pr-<number>` in the `preview` AppProject, namespace
 *   `pr-<number>`, images `pr-<number>-<sha7>` (pushed by .github/workflows/preview.yml), hostnames
 *   `pr-<number>.<domain>` and `api.pr-<number>.<domain>`.
 *
 * Cleanup (the TTL story): closing the PR or removing the label deletes the Application; its
 * finalizer deletes every object it created. Namespaces created by `CreateNamespace=true` are not
 * tracked by Argo CD, so the Namespace carries the documented tracking-id annotation
 * (`managedNamespaceMetadata`) and is pruned with its Application; `requeueAfterSeconds` bounds how
 * long a closed PR's preview can outlive it when the webhook is missed.
 */

import { PLATFORM } from '../../platform.js';
import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { environmentLabels, meta } from '../labels.js';
import { rootWave } from './root-waves.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/** The environment previews are rendered from: the first one every merge lands in. */
export const PREVIEW_BASE = 'dev';
export const PREVIEW_DIR = 'preview';
/** Public domain of previews (matches .github/workflows/preview.yml's PREVIEW_DOMAIN default). */
export const PREVIEW_DOMAIN = 'preview.payday.example';
const GITHUB = { owner: 'payday', repo: 'payday' };

/** PSS `restricted` for every preview namespace, as for the environments' own Namespaces. */
const PSS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'v1.34',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'v1.34',
};

/** Kustomize JSON 6902 patch replacing the host of the single-host Ingress of one app. */
function hostPatch(name: string, host: string): Record<string, unknown> {
  const ops = [
    { op: 'replace', path: '/spec/rules/0/host', value: host },
    { op: 'replace', path: '/spec/tls/0/hosts/0', value: host },
  ];
  return { target: { kind: 'Ingress', name }, patch: JSON.stringify(ops) };
}

/** Kustomize JSON 6902 patch of the app's `PUBLIC_URL` (rendered from the hostname into its ConfigMap). */
function publicUrlPatch(app: string, host: string): Record<string, unknown> {
  const ops = [{ op: 'replace', path: '/data/PUBLIC_URL', value: `https://${host}` }];
  return { target: { kind: 'ConfigMap', name: `${app}-config` }, patch: JSON.stringify(ops) };
}

/** The pull-request ApplicationSet. Project hard-coded (a templated project is a privilege hole). */
export function previewApplicationSet(): K8sObject {
  const pr = 'pr-{{.number}}';
  const tag = `${pr}-{{.head_short_sha_7}}`;
  const hosts = { frontend: `${pr}.${PREVIEW_DOMAIN}`, api: `api.${pr}.${PREVIEW_DOMAIN}` };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: meta(
      'payday-preview',
      PLATFORM.argocdNamespace,
      environmentLabels('preview'),
      rootWave('applicationSets'),
    ),
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [
        {
          pullRequest: {
            github: {
              ...GITHUB,
              labels: ['preview'],
              tokenRef: { secretName: 'github-previews', key: 'token' },
            },
            requeueAfterSeconds: 300,
          },
        },
      ],
      template: {
        metadata: {
          name: `preview-${pr}`,
          labels: environmentLabels('preview'),
          finalizers: ['resources-finalizer.argocd.argoproj.io'],
        },
        spec: {
          project: 'preview',
          source: {
            repoURL: PLATFORM.repoURL,
            targetRevision: '{{.head_sha}}',
            path: `${PLATFORM.gitopsDir}/${PREVIEW_DIR}`,
            kustomize: {
              images: ['api', 'frontend', 'worker'].map((app) => `ghcr.io/payday/${app}:${tag}`),
              patches: [
                hostPatch('frontend', hosts.frontend),
                publicUrlPatch('frontend', hosts.frontend),
                hostPatch('api', hosts.api),
                publicUrlPatch('api', hosts.api),
              ],
            },
          },
          destination: { server: PLATFORM.inCluster, namespace: pr },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
            managedNamespaceMetadata: {
              labels: { ...PSS, ...environmentLabels('preview') },
              // Argo CD does not track namespaces it creates; this makes it prune pr-<n> with the app.
              annotations: { 'argocd.argoproj.io/tracking-id': `preview-${pr}:/Namespace:/${pr}` },
            },
            retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
          },
        },
      },
    },
  };
}

/** The GitHub token the pull-request generator reads (`tokenRef`), from the secret manager. */
export function previewTokenSecret(): K8sObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta('github-previews', PLATFORM.argocdNamespace, environmentLabels('preview')),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'payday-secrets' },
      target: { name: 'github-previews', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'token', remoteRef: { key: 'payday/platform/github-previews', property: 'token' } },
      ],
    },
  };
}
