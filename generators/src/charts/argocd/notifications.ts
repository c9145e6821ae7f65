import { stringify } from 'yaml';
import type { OpsSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import { moduleSource } from '../factory.js';
import { meta } from '../labels.js';
import { runbookUrl } from '../observability/runbook-links.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * Argo CD and Argo Rollouts notifications. The catalog (services, templates, triggers) is cluster
 * configuration and lives with the platform; subscriptions are per environment: annotations on the
 * environment's Applications (sync failed, health degraded) and on its Rollouts (rollout aborted),
 * sending to the service and recipient the environment file names. Every message links the
 * runbook for the situation.
 *
 * Service credentials are referenced as `$key` from `argocd-notifications-secret` /
 * `argo-rollouts-notification-secret`, which the platform fills from the secret manager: no token
 * is ever rendered.
 */

export const ARGOCD_TRIGGERS = ['on-sync-failed', 'on-health-degraded'] as const;
export const ROLLOUT_TRIGGERS = ['on-rollout-aborted', 'on-analysis-run-failed'] as const;

function subscribe(triggers: readonly string[], s: OpsSettings): Record<string, string> {
  const { service, recipient } = s.notifications;
  return Object.fromEntries(
    triggers.map((t) => [`notifications.argoproj.io/subscribe.${t}.${service}`, recipient]),
  );
}

/** Annotations for an environment's Argo CD Applications (ApplicationSet template metadata). */
export function applicationSubscriptions(s: OpsSettings): Record<string, string> {
  return subscribe(ARGOCD_TRIGGERS, s);
}

/** Annotations for an environment's Rollouts. */
export function rolloutSubscriptions(s: OpsSettings): Record<string, string> {
  return subscribe(ROLLOUT_TRIGGERS, s);
}

function message(text: string, runbook: string): string {
  return `${text}\nRunbook: ${runbook}`;
}

/** One template per service, so a subscription works whichever service an environment chooses. */
function template(title: string, text: string): Record<string, unknown> {
  return {
    message: text,
    // Slack attachments and the webhook body are JSON strings in the notifications format.
    slack: { attachments: JSON.stringify([{ title, color: '#E96D76', text }]) },
    webhook: { payday: { method: 'POST', body: JSON.stringify({ title, text }) } },
  };
}

const SERVICES: Record<string, string> = {
  'service.slack': 'token: $slack-token\n',
  'service.webhook.payday':
    'url: $payday-webhook-url\nheaders:\n  - name: Content-Type\n    value: application/json\n',
  'service.github':
    'appID: $github-app-id\ninstallationID: $github-installation-id\nprivateKey: $github-private-key\n',
};

/** Argo CD notification values are YAML documents inside ConfigMap strings. */
function yamlBlock(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/** `argocd-notifications-cm` (namespace `argocd`): Argo CD's services, templates and triggers. */
export function argocdNotificationsConfigMap(s: OpsSettings): K8sObject {
  const base = s.monitoring.runbookBaseUrl;
  const syncFailed = message(
    'Sync of {{.app.metadata.name}} failed at {{.app.status.operationState.syncResult.revision}}: {{.app.status.operationState.message}}',
    runbookUrl(base, 'syncFailed'),
  );
  const degraded = message(
    '{{.app.metadata.name}} is Degraded. If a Rollout aborted, git still holds the new release: roll back in git.',
    runbookUrl(base, 'rollbackAndAbort'),
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('argocd-notifications-cm', 'argocd', { 'app.kubernetes.io/part-of': 'argocd' }),
    data: {
      ...SERVICES,
      'template.payday-sync-failed': yamlBlock(template('Sync failed', syncFailed)),
      'template.payday-health-degraded': yamlBlock(template('Health degraded', degraded)),
      'trigger.on-sync-failed': yamlBlock([
        { when: "app.status.operationState.phase in ['Error', 'Failed']", send: ['payday-sync-failed'] },
      ]),
      'trigger.on-health-degraded': yamlBlock([
        { when: "app.status.health.status == 'Degraded'", send: ['payday-health-degraded'] },
      ]),
    },
  };
}

/** Helm values for the Argo Rollouts chart's notification catalog (rollout aborted, analysis failed). */
export function rolloutNotificationValues(s: OpsSettings): Record<string, unknown> {
  const base = s.monitoring.runbookBaseUrl;
  const aborted = message(
    'Rollout {{.rollout.metadata.name}} in {{.rollout.metadata.namespace}} aborted. Git still holds the new release.',
    runbookUrl(base, 'rollbackAndAbort'),
  );
  const analysis = message(
    'Analysis of rollout {{.rollout.metadata.name}} in {{.rollout.metadata.namespace}} failed.',
    runbookUrl(base, 'canaryAnalysisFailed'),
  );
  return {
    notifiers: {
      'service.slack': SERVICES['service.slack'],
      'service.webhook.payday': SERVICES['service.webhook.payday'],
      'service.github': SERVICES['service.github'],
    },
    templates: {
      'template.payday-rollout-aborted': yamlBlock(template('Rollout aborted', aborted)),
      'template.payday-analysis-failed': yamlBlock(template('Analysis failed', analysis)),
    },
    triggers: {
      'trigger.on-rollout-aborted': yamlBlock([
        // Rollouts triggers fire on the controller's events (RolloutAborted): no `when` needed.
        { send: ['payday-rollout-aborted'] },
      ]),
      'trigger.on-analysis-run-failed': yamlBlock([{ send: ['payday-analysis-failed'] }]),
    },
  };
}

/**
 * The credentials the `$…` references above resolve to, materialised by External Secrets from the
 * platform's remote key (never rendered): `argocd-notifications-secret` for Argo CD and
 * `argo-rollouts-notification-secret` for Argo Rollouts.
 */
export function notificationSecrets(store: string): K8sObject[] {
  const keys = [
    'slack-token',
    'payday-webhook-url',
    'github-app-id',
    'github-installation-id',
    'github-private-key',
  ];
  return [
    ['argocd-notifications-secret', 'argocd'],
    ['argo-rollouts-notification-secret', 'argo-rollouts'],
  ].map(([name, namespace]) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(name!, namespace, { 'app.kubernetes.io/part-of': 'payday-platform' }),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: store },
      // Merge into the Secret the chart creates (it owns the object; we own these keys).
      target: { name, creationPolicy: 'Merge' },
      data: keys.map((k) => ({
        secretKey: k,
        remoteRef: { key: 'payday/platform/notifications', property: k },
      })),
    },
  }));
}
