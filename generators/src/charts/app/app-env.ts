import type { AppName } from '../../catalogue/apps.js';
import type { OpsSettings } from '../../environments/sections/operations.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { DB_APP_SECRET, SESSION_SECRET, WEBHOOK_SECRET } from '../names.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Environment variables the operations settings add to each app container: the database URL from
 * CloudNativePG's generated Secret, secrets materialised by ExternalSecrets, and the OTLP endpoint
 * (traces; logs are shipped from stdout by the collector's log preset). Values never appear in git:
 * only Secret references.
 */
export type EnvVar = { name: string; value?: string; valueFrom?: Record<string, unknown> };

const secretRef = (name: string, secret: string, key: string): EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** The variable each app reads its listen address from (apps/<app>/src: env.ts or config.ts). */
export const BIND_HOST_VARIABLE: Record<AppName, string> = {
  api: 'API_HOST',
  frontend: 'FRONTEND_HOST',
  worker: 'WORKER_HOST',
};

/**
 * Whether the apps export traces to the collector. Not from a preview: the collector lives in
 * another namespace, and a preview reaches nothing outside its own but DNS (its NetworkPolicies,
 * network-policies.ts, docs/rehearsal.md §Network reachability).
 */
export function exportsTelemetry(ctx: Pick<BuilderContext, 'preview'>, s: OpsSettings): boolean {
  return !ctx.preview && s.monitoring.otlpEndpoint !== null;
}

export function appEnv(ctx: BuilderContext, s: OpsSettings, app: AppName): EnvVar[] {
  const env: EnvVar[] = [];
  if (app === 'api' || app === 'worker') env.push(secretRef('DATABASE_URL', DB_APP_SECRET, 'uri'));
  // Every server binds loopback by default (safe on a laptop); in a pod it must listen on all
  // interfaces, and the manifest says so explicitly (docs/design/architecture.md §Local bind addresses).
  env.push({ name: BIND_HOST_VARIABLE[app], value: '0.0.0.0' });
  // The dashboard calls the API through its in-namespace Service (port 80), not the public hostname.
  if (app === 'frontend') env.push({ name: 'API_URL', value: `http://${ctx.apps.api.name}` });
  if (app === 'frontend') env.push(secretRef('SESSION_SECRET', SESSION_SECRET, 'SESSION_SECRET'));
  // Behind the ingress every request comes from the controller's address: without trusting its
  // X-Forwarded-For, the per-address limits (dashboard sign-in, the API's failed authentications)
  // would lock every merchant out at once.
  if (app === 'frontend' || app === 'api') env.push({ name: 'TRUST_PROXY', value: 'true' });
  if (app === 'worker')
    env.push(secretRef('WEBHOOK_SIGNING_SECRET', WEBHOOK_SECRET, 'WEBHOOK_SIGNING_SECRET'));
  if (exportsTelemetry(ctx, s) && s.monitoring.otlpEndpoint !== null) {
    env.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: s.monitoring.otlpEndpoint });
    env.push({ name: 'OTEL_RESOURCE_ATTRIBUTES', value: `deployment.environment=${ctx.env.name}` });
  }
  return env;
}
