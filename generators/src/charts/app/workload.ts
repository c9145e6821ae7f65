/**
 * One app in one environment: ServiceAccount, ConfigMap, Services and the workload itself, an
 * Argo Rollout (or, in preview mode, a plain Deployment with one replica: Rollouts should not run
 * in previews, docs/design/argo.md §Previews). Everything the operations settings decide about it
 * (analysis, routing, spread, notification annotations, extra environment) arrives as its plan
 * (plan.ts) and is part of the object from the start: nothing patches it afterwards.
 */
import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { APPS, type AppName } from '../../catalogue/apps.js';
import { type AppSettings, resolvedReplicas, resolvedStrategy } from '../../environments/schema.js';
import type { AppRelease } from '../../environments/sections/release.js';
import { Rollout, toJson_RolloutSpecTemplate } from '../../imports/rollouts-argoproj.io.js';
import { type ConfigMap, kplus } from '../kplus.js';
import { appLabels, CONFIG_HASH_ANNOTATION, SYNC_WAVE, selectorLabels, syncWave } from '../labels.js';
import type { WorkloadPlan } from './plan.js';
import { podTemplate } from './pod-template.js';
import { appServices, type ServiceNames, serviceNames } from './services.js';
import { rolloutStrategy } from './strategy.js';

export interface AppWorkloadProps {
  /** Which app of the catalogue this is (ports, probes, strategies, defaults). */
  app: AppName;
  /**
   * Name of the objects and labels. Default: the app name. (A second instance of an app, or the
   * synthetic apps of the render benchmark, pass their own.)
   */
  name?: string;
  env: string;
  settings: AppSettings;
  release: AppRelease;
  preview: boolean;
  /** What the environment's operations settings decided (plan.ts). Default: nothing beyond the app settings. */
  plan?: Omit<WorkloadPlan, 'builders'>;
}

/** JSON pointer of the app container in the workload. */
export const CONTAINER = '/spec/template/spec/containers/0';

export interface AnalysisRef {
  templates: { templateName: string; clusterScope?: boolean }[];
  args?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
}

export class AppWorkload extends Construct {
  readonly app: AppName;
  /** `Rollout` normally, `Deployment` in preview mode. */
  readonly kind: 'Rollout' | 'Deployment';
  readonly strategy: 'canary' | 'blueGreen';
  /** The Rollout or Deployment. */
  readonly workload: ApiObject;
  /** Name of the workload, ServiceAccount prefix, Service prefix: the app name. */
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly services: ServiceNames | undefined;
  readonly configMap: ConfigMap;
  /** Replicas rendered, or undefined when an autoscaler owns them. */
  readonly replicas: number | undefined;

  constructor(scope: Construct, id: string, p: AppWorkloadProps) {
    super(scope, id);
    const name = p.name ?? p.app;
    this.app = p.app;
    this.name = name;
    this.kind = p.preview ? 'Deployment' : 'Rollout';
    this.strategy = resolvedStrategy(p.app, p.settings).kind;
    this.selector = selectorLabels(name, p.env);
    this.labels = appLabels(name, p.env, APPS[p.app].owner);
    this.replicas = p.preview ? 1 : resolvedReplicas(p.app, p.settings);

    new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name, labels: this.labels, annotations: syncWave(SYNC_WAVE.config) },
      // Apps never call the Kubernetes API; no token in the pod (restricted-by-default).
      automountToken: false,
    });

    const data = configData(p);
    this.configMap = new kplus.ConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, labels: this.labels, annotations: syncWave(SYNC_WAVE.config) },
      data,
    });

    this.services = serviceNames(p.app, this.strategy, p.preview, name);
    if (this.services) appServices(this, p.app, this.services, this.labels, this.selector);

    const template = podTemplate({
      app: p.app,
      image: p.release.image,
      settings: p.settings,
      labels: { ...this.labels, 'app.kubernetes.io/version': p.release.version },
      // Config is read at start (envFrom): a changed ConfigMap must roll the pods, through the
      // strategy like any release. The hash makes that change part of the pod template.
      annotations: { [CONFIG_HASH_ANNOTATION]: hashOf(data) },
      serviceAccountName: name,
      configMapName: this.configMap.name,
    });
    const plan = p.plan ?? { env: [], annotations: {} };
    // The pod template as JSON (the CRD import's mapping), completed by the plan.
    const templateJson = toJson_RolloutSpecTemplate(template) as {
      spec: { containers: { env: unknown[] }[]; topologySpreadConstraints?: unknown[] };
    };
    templateJson.spec.containers[0]!.env.push(...plan.env);
    if (plan.topologySpread && !p.preview) templateJson.spec.topologySpreadConstraints = plan.topologySpread;
    const metadata = {
      name,
      labels: { ...this.labels, 'app.kubernetes.io/version': p.release.version },
      annotations: { ...syncWave(SYNC_WAVE.workloads), ...(p.preview ? {} : plan.annotations) },
    };
    const replicas = this.replicas === undefined ? {} : { replicas: this.replicas };
    if (p.preview) {
      this.workload = new ApiObject(this, 'deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          ...replicas,
          selector: { matchLabels: this.selector },
          template: templateJson,
        },
      });
    } else {
      this.workload = new ApiObject(this, 'rollout', {
        ...Rollout.GVK,
        metadata,
        spec: {
          ...replicas,
          revisionHistoryLimit: 3,
          selector: { matchLabels: this.selector },
          template: templateJson,
          strategy: rolloutStrategy(p.app, p.settings, this.services ?? { stable: name }, plan),
        },
      });
    }
  }
}

/** The app's ConfigMap: release config (promoted) + environment env (pinned) + facts. Sorted keys. */
function configData(p: AppWorkloadProps): Record<string, string> {
  const data: Record<string, string> = {
    APP_ENV: p.env,
    APP_VERSION: p.release.version,
    PORT: String(APPS[p.app].port),
  };
  if ('hostname' in p.settings && p.settings.hostname) data.PUBLIC_URL = `https://${p.settings.hostname}`;
  for (const [k, v] of Object.entries(p.release.config)) data[k] = String(v);
  for (const [k, v] of Object.entries(p.settings.env)) data[k] = v;
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function hashOf(data: Record<string, string>): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}
