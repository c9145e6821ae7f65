import type { OpsSettings } from '../environments/sections/operations.js';
import type { K8sObject } from '../render/types.js';
import type { BuilderContext, FolderName } from './context.js';
import { moduleSource } from './factory.js';
import { meta, syncWave } from './labels.js';
import {
  BACKUP_CREDENTIALS_SECRET,
  KEDA_ROLE,
  KEDA_ROLE_SECRET,
  SESSION_SECRET,
  WEBHOOK_SECRET,
} from './names.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * ExternalSecrets (`external-secrets.io/v1`, the only served version in ESO 2.x) against a
 * ClusterSecretStore (docs/design/argo.md §Secrets). Nothing secret is ever rendered: git holds only the
 * remote key names; the values live in the secret manager, which keeps rotation and audit.
 * The database password of the app is NOT here: CloudNativePG generates `payday-db-app`.
 * Previews use their own remote prefix (settings.secrets.remotePrefix), so no prod secret reaches them.
 */

export interface ExternalSecretSpec {
  /** Name of the Kubernetes Secret ESO writes (and of the ExternalSecret). */
  name: string;
  group: FolderName;
  /** Remote key below the environment prefix. */
  remoteKey: string;
  /** Secret data key → property of the remote key. */
  properties: Record<string, string>;
  /** Optional target template (type, labels, literal data). */
  template?: Record<string, unknown>;
}

/** The sensitive values of one environment. */
export function externalSecretSpecs(ctx: BuilderContext, s: OpsSettings): ExternalSecretSpec[] {
  const specs: ExternalSecretSpec[] = [
    {
      name: SESSION_SECRET,
      group: 'frontend',
      remoteKey: 'frontend',
      properties: { SESSION_SECRET: 'session-secret' },
    },
    {
      name: WEBHOOK_SECRET,
      group: 'worker',
      remoteKey: 'worker',
      properties: { WEBHOOK_SIGNING_SECRET: 'webhook-signing-secret' },
    },
  ];
  if (!ctx.preview) {
    specs.push({
      name: KEDA_ROLE_SECRET,
      group: 'database',
      remoteKey: 'database',
      properties: { password: 'keda-reader-password' },
      // CloudNativePG managed roles read basic-auth Secrets and reload on change with this label.
      template: {
        type: 'kubernetes.io/basic-auth',
        metadata: { labels: { 'cnpg.io/reload': 'true' } },
        data: { username: KEDA_ROLE, password: '{{ .password }}' },
      },
    });
  }
  if (!ctx.preview && s.database.backups.enabled) {
    specs.push({
      name: BACKUP_CREDENTIALS_SECRET,
      group: 'database',
      remoteKey: 'backups',
      properties: { ACCESS_KEY_ID: 'access-key-id', ACCESS_SECRET_KEY: 'secret-access-key' },
    });
  }
  return specs;
}

export function externalSecret(ctx: BuilderContext, s: OpsSettings, spec: ExternalSecretSpec): K8sObject {
  const fallback = ctx.preview ? 'payday/preview' : `payday/${ctx.env.name}`;
  const prefix = (ctx.preview ? fallback : (s.secrets.remotePrefix ?? fallback)).replace(/\/$/, '');
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(spec.name, ctx.namespace, ctx.labels, syncWave(-2)),
    spec: {
      refreshInterval: s.secrets.refreshInterval,
      secretStoreRef: { kind: 'ClusterSecretStore', name: s.secrets.store },
      target: {
        name: spec.name,
        creationPolicy: 'Owner',
        deletionPolicy: 'Retain',
        ...(spec.template ? { template: { engineVersion: 'v2', ...spec.template } } : {}),
      },
      data: Object.entries(spec.properties).map(([secretKey, property]) => ({
        secretKey,
        remoteRef: { key: `${prefix}/${spec.remoteKey}`, property },
      })),
    },
  };
}

export function externalSecrets(
  ctx: BuilderContext,
  s: OpsSettings,
): Array<{ group: FolderName; object: K8sObject }> {
  return externalSecretSpecs(ctx, s).map((spec) => ({
    group: spec.group,
    object: externalSecret(ctx, s, spec),
  }));
}
