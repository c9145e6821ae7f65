import type { AppName } from '../../catalogue/apps.js';
import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * How the frontend and API hostnames reach the cluster, with TLS from cert-manager. A per-environment
 * choice (settings.exposure.mode):
 *
 * - `ingress` (default): networking.k8s.io/v1 Ingress with an explicit `ingressClassName`. The
 *   Ingress API is GA and validated against the pinned Kubernetes 1.34 schema. ingress-nginx is
 *   retired (docs/design/argo.md §Exposure), so the class names another controller (Traefik by default).
 * - `gateway`: Gateway API `HTTPRoute` (gateway.networking.k8s.io/v1) attached to a shared Gateway.
 *   Its schema is NOT in the schema bundle (generators/schemas/: no CRD, not a Kubernetes 1.34
 *   built-in), so the renderer's validator refuses the kind until the Gateway API CRDs are added: an
 *   environment choosing `gateway` fails render with that message instead of shipping an
 *   unvalidated object. The builder is kept (and tested) so switching is one settings change.
 */

/** Public hostnames per app (from the environment's `hostnames` settings). */
export type Hostnames = Partial<Record<AppName, string>>;

export function ingress(ctx: BuilderContext, s: OpsSettings, app: AppName, host: string): K8sObject {
  const ref = ctx.apps[app];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(
      ref.name,
      ctx.namespace,
      { ...ctx.labels, ...ref.selectorLabels },
      { 'cert-manager.io/cluster-issuer': s.exposure.clusterIssuer, ...syncWave(1) },
    ),
    spec: {
      ingressClassName: s.exposure.ingressClassName,
      tls: [{ hosts: [host], secretName: `${ref.name}-tls` }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: ref.name, port: { name: ref.portName } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/**
 * HTTPRoute for one app. With `apiTrafficRouting: gateway-api` the API route lists the stable and
 * the canary Service; the Argo Rollouts Gateway API plugin (alpha) then owns the two weights.
 */
export function httpRoute(ctx: BuilderContext, s: OpsSettings, app: AppName, host: string): K8sObject {
  const ref = ctx.apps[app];
  const split = app === 'api' && s.exposure.apiTrafficRouting === 'gateway-api';
  const backendRefs = split
    ? [
        { name: ref.name, port: ref.servicePort, weight: 100 },
        { name: `${ref.name}-canary`, port: ref.servicePort, weight: 0 },
      ]
    : [{ name: ref.name, port: ref.servicePort }];
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(ref.name, ctx.namespace, { ...ctx.labels, ...ref.selectorLabels }, syncWave(1)),
    spec: {
      parentRefs: [
        { name: s.exposure.gatewayName, namespace: s.exposure.gatewayNamespace, sectionName: 'https' },
      ],
      hostnames: [host],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs }],
    },
  };
}

/**
 * `strategy.canary.trafficRouting` for the API when the Gateway API plugin is chosen; `undefined`
 * keeps the replica-weighted canary (the default: no router dependency, docs/design/argo.md §API canary).
 */
export function apiTrafficRouting(ctx: BuilderContext, s: OpsSettings): Record<string, unknown> | undefined {
  if (s.exposure.apiTrafficRouting !== 'gateway-api' || ctx.preview) return undefined;
  const name = ctx.apps.api.name;
  return {
    plugins: {
      'argoproj-labs/gatewayAPI': { httpRoute: name, ...(ctx.namespace ? { namespace: ctx.namespace } : {}) },
    },
  };
}

export function exposureObjects(
  ctx: BuilderContext,
  s: OpsSettings,
  hosts: Hostnames,
): Array<{ group: AppName; object: K8sObject }> {
  const out: Array<{ group: AppName; object: K8sObject }> = [];
  for (const app of ['frontend', 'api'] as const) {
    const host = hosts[app];
    if (!host) continue;
    const object = s.exposure.mode === 'gateway' ? httpRoute(ctx, s, app, host) : ingress(ctx, s, app, host);
    out.push({ group: app, object });
  }
  return out;
}
