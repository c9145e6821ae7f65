import { describe, expect, it } from 'vitest';
import { defaultOpsSettings, opsSettingsSchema } from '../../environments/sections/operations.js';
import {
  applicationSubscriptions,
  argocdNotificationsConfigMap,
  notificationSecrets,
  rolloutSubscriptions,
} from './notifications.js';

describe('notifications', () => {
  it('subscribes the environment to its own destination', () => {
    const s = opsSettingsSchema.parse({ notifications: { service: 'webhook', recipient: 'payday' } });
    expect(applicationSubscriptions(s)).toEqual({
      'notifications.argoproj.io/subscribe.on-sync-failed.webhook': 'payday',
      'notifications.argoproj.io/subscribe.on-health-degraded.webhook': 'payday',
    });
    expect(Object.keys(rolloutSubscriptions(s))).toEqual([
      'notifications.argoproj.io/subscribe.on-rollout-aborted.webhook',
      'notifications.argoproj.io/subscribe.on-analysis-run-failed.webhook',
    ]);
  });

  it('every message links its runbook; credentials are $references', () => {
    const cm = argocdNotificationsConfigMap(defaultOpsSettings());
    const data = cm.data as Record<string, string>;
    expect(data['template.payday-sync-failed']).toContain('runbooks/argocd-sync-failed.md');
    expect(data['template.payday-health-degraded']).toContain('runbooks/rollback-and-abort.md');
    expect(data['service.slack']).toBe('token: $slack-token\n');
  });
});

describe('notification credentials', () => {
  it('come from the secret manager into the Secrets the controllers read, merged, never rendered', () => {
    const [argocd, rollouts] = notificationSecrets('payday-secrets');
    expect([argocd!.metadata.namespace, rollouts!.metadata.namespace]).toEqual(['argocd', 'argo-rollouts']);
    expect(argocd!.spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'payday-secrets' },
      target: { name: 'argocd-notifications-secret', creationPolicy: 'Merge' },
    });
    const keys = (argocd!.spec as { data: Array<{ secretKey: string }> }).data.map((d) => d.secretKey);
    // Every `$name` the services reference has a key.
    const refs = Object.values(
      argocdNotificationsConfigMap(defaultOpsSettings()).data as Record<string, string>,
    ).flatMap((v) => [...v.matchAll(/\$([\w-]+)/g)].map((m) => m[1]));
    for (const r of refs) expect(keys).toContain(r);
  });
});
