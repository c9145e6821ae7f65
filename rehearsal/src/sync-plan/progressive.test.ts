import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model.js';
import { enablesProgressiveSyncs, rollingStepOf, rollingSyncOf } from './progressive.js';

const set = (strategy: unknown): K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'payday-test', namespace: 'argocd' },
  spec: { strategy },
});
const app = (labels?: Record<string, string>): K8sObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'test-x', namespace: 'argocd', ...(labels ? { labels } : {}) },
});
const params = (data: Record<string, string>, namespace = 'argocd'): K8sObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-cmd-params-cm', namespace },
  data,
});

describe('progressive syncs', () => {
  it('are enabled only by argocd-cmd-params-cm in the Argo CD namespace, key set to true', () => {
    const key = 'applicationsetcontroller.enable.progressive.syncs';
    expect(enablesProgressiveSyncs(params({ [key]: 'true' }))).toBe(true);
    expect(enablesProgressiveSyncs(params({ [key]: 'false' }))).toBe(false);
    expect(enablesProgressiveSyncs(params({}))).toBe(false);
    expect(enablesProgressiveSyncs(params({ [key]: 'true' }, 'default'))).toBe(false);
  });

  it('order only with RollingSync and at least one step', () => {
    expect(rollingSyncOf(set(undefined))).toBeUndefined();
    expect(rollingSyncOf(set({ type: 'AllAtOnce' }))).toBeUndefined();
    expect(rollingSyncOf(set({ type: 'RollingSync', rollingSync: { steps: [] } }))).toBeUndefined();
  });

  it('put an Application in the first step whose expressions all select it', () => {
    const rolling = rollingSyncOf(
      set({
        type: 'RollingSync',
        rollingSync: {
          steps: [
            { matchExpressions: [{ key: 'folder', operator: 'In', values: ['namespace'] }] },
            {
              matchExpressions: [
                { key: 'folder', operator: 'In', values: ['database', 'api'] },
                { key: 'tier', operator: 'NotIn', values: ['web'] },
              ],
            },
            { matchExpressions: [{ key: 'folder', operator: 'NotIn', values: ['namespace'] }] },
          ],
        },
      }),
    );
    if (!rolling) throw new Error('no RollingSync');
    expect(rollingStepOf(rolling, app({ folder: 'namespace' }))).toBe(0);
    expect(rollingStepOf(rolling, app({ folder: 'database' }))).toBe(1);
    // NotIn on a missing label selects (progressive_sync.go buildAppDependencyList).
    expect(rollingStepOf(rolling, app({ folder: 'api' }))).toBe(1);
    expect(rollingStepOf(rolling, app({ folder: 'api', tier: 'web' }))).toBe(2);
    expect(rollingStepOf(rolling, app())).toBe(2);
  });

  it('select nothing by an unknown operator on a present label, and In needs the label', () => {
    const rolling = rollingSyncOf(
      set({
        type: 'RollingSync',
        rollingSync: { steps: [{ matchExpressions: [{ key: 'folder', operator: 'Exists', values: [] }] }] },
      }),
    );
    if (!rolling) throw new Error('no RollingSync');
    expect(rollingStepOf(rolling, app({ folder: 'api' }))).toBe(-1);
    const only = rollingSyncOf(
      set({
        type: 'RollingSync',
        rollingSync: { steps: [{ matchExpressions: [{ key: 'folder', operator: 'In', values: ['api'] }] }] },
      }),
    );
    if (!only) throw new Error('no RollingSync');
    expect(rollingStepOf(only, app())).toBe(-1);
  });
});
