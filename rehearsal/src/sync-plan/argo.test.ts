import { describe, expect, it } from 'vitest';
import { isCustomResource, kindOrder, placement, restoresApplicationHealth } from './argo.js';
import { obj } from './testing/build.js';

describe('Argo CD ordering rules', () => {
  it('orders kinds as gitops-engine sync_tasks.go, custom resources last', () => {
    const kinds = [
      'Rollout',
      'Job',
      'Namespace',
      'Service',
      'NetworkPolicy',
      'Secret',
      'CustomResourceDefinition',
    ];
    expect([...kinds].sort((a, b) => kindOrder(a) - kindOrder(b))).toEqual([
      'Namespace',
      'NetworkPolicy',
      'Secret',
      'CustomResourceDefinition',
      'Service',
      'Job',
      'Rollout',
    ]);
    expect(kindOrder('Rollout')).toBe(0);
  });

  it('reads phase, wave and hook deletion policies, BeforeHookCreation by default', () => {
    expect(placement(obj('v1', 'ConfigMap', 'c'))).toEqual({
      phase: 'Sync',
      wave: 0,
      hook: false,
      deletePolicies: [],
    });
    const hook = obj('batch/v1', 'Job', 'j', {
      annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-5' },
    });
    expect(placement(hook)).toEqual({
      phase: 'PreSync',
      wave: -5,
      hook: true,
      deletePolicies: ['BeforeHookCreation'],
    });
    const both = obj('batch/v1', 'Job', 'j', {
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded, HookFailed',
      },
    });
    expect(placement(both)?.deletePolicies).toEqual(['HookSucceeded', 'HookFailed']);
  });

  it('never applies Skip or deletion hooks', () => {
    expect(
      placement(obj('v1', 'Pod', 'p', { annotations: { 'argocd.argoproj.io/hook': 'Skip' } })),
    ).toBeUndefined();
    expect(
      placement(obj('v1', 'Pod', 'p', { annotations: { 'argocd.argoproj.io/hook': 'PostDelete' } })),
    ).toBeUndefined();
  });

  it('fails closed on a wave that is not an integer', () => {
    expect(() =>
      placement(obj('v1', 'ConfigMap', 'c', { annotations: { 'argocd.argoproj.io/sync-wave': 'early' } })),
    ).toThrow('ConfigMap/c: argocd.argoproj.io/sync-wave "early" is not an integer');
  });

  it('tells custom resources from built-in kinds by API group', () => {
    expect(isCustomResource({ apiVersion: 'apps/v1' })).toBe(false);
    expect(isCustomResource({ apiVersion: 'v1' })).toBe(false);
    expect(isCustomResource({ apiVersion: 'argoproj.io/v1alpha1' })).toBe(true);
  });

  it('recognises both argocd-cm forms of the Application health check', () => {
    const perKey = obj('v1', 'ConfigMap', 'argocd-cm', {
      data: { 'resource.customizations.health.argoproj.io_Application': 'hs = {}' },
    });
    const block = obj('v1', 'ConfigMap', 'argocd-cm', {
      data: { 'resource.customizations': 'argoproj.io/Application:\n  health.lua: |\n    hs = {}\n' },
    });
    expect(restoresApplicationHealth(perKey)).toBe(true);
    expect(restoresApplicationHealth(block)).toBe(true);
    expect(restoresApplicationHealth(obj('v1', 'ConfigMap', 'argocd-cm', { data: {} }))).toBe(false);
    expect(restoresApplicationHealth(obj('v1', 'ConfigMap', 'other', { data: perKey.data as object }))).toBe(
      false,
    );
  });
});
