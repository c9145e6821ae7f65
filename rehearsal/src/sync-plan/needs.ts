/**
 * What an object needs in place before it can work: the objects its pods mount or read
 * (Kubernetes 1.34: a missing Secret, ConfigMap or ServiceAccount keeps the pod from starting),
 * the objects a controller resolves by name (Argo Rollouts services and templates, KEDA
 * authentication), and, for a hook, egress to the database it migrates.
 */
import type { K8sObject } from '../model.js';

export interface Need {
  /** `Kind/namespace/name` of the object needed. */
  target: string;
  /** Where the reference is: `env DATABASE_URL`, `spec.strategy.canary.canaryService`. */
  via: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The pod template of a workload kind (the pod itself for a Pod). */
export const podSpecOf = (o: K8sObject): { labels: Record<string, string>; spec: Json } | undefined => {
  const spec = obj(o.spec);
  const template =
    o.kind === 'Pod'
      ? { metadata: o.metadata, spec }
      : o.kind === 'CronJob'
        ? obj(obj(obj(spec.jobTemplate).spec).template)
        : ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Rollout'].includes(o.kind)
          ? obj(spec.template)
          : undefined;
  if (!template) return undefined;
  return {
    labels: (obj(template.metadata).labels ?? {}) as Record<string, string>,
    spec: obj(template.spec),
  };
};

const podNeeds = (namespace: string, pod: Json): Need[] => {
  const needs: Need[] = [];
  const add = (kind: string, name: string | undefined, via: string) => {
    if (name) needs.push({ target: `${kind}/${namespace}/${name}`, via });
  };
  const sa = str(pod.serviceAccountName);
  if (sa && sa !== 'default') add('ServiceAccount', sa, 'serviceAccountName');
  for (const c of [...arr(pod.initContainers), ...arr(pod.containers)]) {
    for (const e of arr(c.env)) {
      const from = obj(e.valueFrom);
      const secret = obj(from.secretKeyRef);
      const config = obj(from.configMapKeyRef);
      if (secret.name && secret.optional !== true) add('Secret', str(secret.name), `env ${str(e.name)}`);
      if (config.name && config.optional !== true) add('ConfigMap', str(config.name), `env ${str(e.name)}`);
    }
    for (const e of arr(c.envFrom)) {
      const secret = obj(e.secretRef);
      const config = obj(e.configMapRef);
      if (secret.name && secret.optional !== true) add('Secret', str(secret.name), 'envFrom');
      if (config.name && config.optional !== true) add('ConfigMap', str(config.name), 'envFrom');
    }
  }
  for (const v of arr(pod.volumes)) {
    const secret = obj(v.secret);
    const config = obj(v.configMap);
    if (secret.secretName && secret.optional !== true)
      add('Secret', str(secret.secretName), `volume ${str(v.name)}`);
    if (config.name && config.optional !== true) add('ConfigMap', str(config.name), `volume ${str(v.name)}`);
  }
  return needs;
};

/** Argo Rollouts v1.9.1 pkg/apis/rollouts/v1alpha1/types.go: the names a Rollout resolves. */
const rolloutNeeds = (namespace: string, spec: Json): Need[] => {
  const strategy = obj(spec.strategy);
  const needs: Need[] = [];
  const service = (name: unknown, via: string) => {
    if (typeof name === 'string') needs.push({ target: `Service/${namespace}/${name}`, via });
  };
  const canary = obj(strategy.canary);
  const blueGreen = obj(strategy.blueGreen);
  service(canary.canaryService, 'spec.strategy.canary.canaryService');
  service(canary.stableService, 'spec.strategy.canary.stableService');
  service(blueGreen.activeService, 'spec.strategy.blueGreen.activeService');
  service(blueGreen.previewService, 'spec.strategy.blueGreen.previewService');
  const templates = [
    ...arr(obj(canary.analysis).templates).map((t) => ({ t, via: 'spec.strategy.canary.analysis' })),
    ...arr(canary.steps).flatMap((s) =>
      arr(obj(s.analysis).templates).map((t) => ({ t, via: 'spec.strategy.canary.steps[].analysis' })),
    ),
    ...arr(obj(blueGreen.prePromotionAnalysis).templates).map((t) => ({
      t,
      via: 'spec.strategy.blueGreen.prePromotionAnalysis',
    })),
    ...arr(obj(blueGreen.postPromotionAnalysis).templates).map((t) => ({
      t,
      via: 'spec.strategy.blueGreen.postPromotionAnalysis',
    })),
  ];
  for (const { t, via } of templates) {
    if (t.clusterScope === true) continue;
    if (typeof t.templateName === 'string') {
      needs.push({ target: `AnalysisTemplate/${namespace}/${t.templateName}`, via });
    }
  }
  return needs;
};

export const needsOf = (o: K8sObject): Need[] => {
  const namespace = o.metadata.namespace ?? '';
  const spec = obj(o.spec);
  const needs: Need[] = [];
  const pod = podSpecOf(o);
  if (pod) needs.push(...podNeeds(namespace, pod.spec));
  if (o.kind === 'Rollout') needs.push(...rolloutNeeds(namespace, spec));
  // KEDA v2.20.2 apis/keda/v1alpha1: ScaledObject triggers' authenticationRef and a
  // TriggerAuthentication's secretTargetRef.
  if (o.kind === 'ScaledObject') {
    for (const t of arr(spec.triggers)) {
      const auth = obj(t.authenticationRef);
      if (
        typeof auth.name === 'string' &&
        (auth.kind ?? 'TriggerAuthentication') === 'TriggerAuthentication'
      ) {
        needs.push({
          target: `TriggerAuthentication/${namespace}/${auth.name}`,
          via: 'spec.triggers[].authenticationRef',
        });
      }
    }
  }
  if (o.kind === 'TriggerAuthentication') {
    for (const ref of arr(spec.secretTargetRef)) {
      if (typeof ref.name === 'string') {
        needs.push({ target: `Secret/${namespace}/${ref.name}`, via: 'spec.secretTargetRef' });
      }
    }
  }
  // argo-cd v3.5.1 controller/appcontroller.go: an Application whose AppProject does not exist
  // is not synced ("Application referencing project %s which does not exist").
  if (o.kind === 'Application' && typeof spec.project === 'string') {
    needs.push({
      target: `AppProject/${o.metadata.namespace ?? 'argocd'}/${spec.project}`,
      via: 'spec.project',
    });
  }
  const seen = new Set<string>();
  return needs.filter((n) => !seen.has(n.target) && seen.add(n.target));
};

/** The CloudNativePG Cluster whose application Secret (`<cluster>-app`) a pod reads. */
export const databaseOf = (needs: Need[], clusters: string[]): string | undefined =>
  clusters.find((c) => needs.some((n) => n.target.startsWith('Secret/') && n.target.endsWith(`/${c}-app`)));
