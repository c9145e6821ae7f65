import { describe, expect, it } from 'vitest';
import type { RenderedInput } from '../model.js';
import { committedInputs } from '../testing.js';
import { buildScenarios } from './build.js';
import { trackedBy } from './place.js';

describe('buildScenarios over the committed gitops/ tree', () => {
  const { scenarios, findings } = buildScenarios(committedInputs());
  const byName = (n: string) => scenarios.find((s) => s.name === n)!;

  it('builds one scenario per environment and one for the sample pull request', () => {
    expect(scenarios.map((s) => [s.name, s.namespace])).toEqual([
      ['dev', 'payday-dev'],
      ['preview', 'pr-123'],
      ['prod', 'payday-prod'],
      ['staging', 'payday-staging'],
    ]);
    expect(findings.filter((f) => f.check === 'expansion')).toEqual([]);
  });

  it('turns every folder of gitops/prod into an Application of project payday-prod (git directory generator)', () => {
    const apps = byName('prod')
      .objects.filter((o) => o.object.kind === 'Application' && o.origin.kind === 'expanded')
      .map((o) => [
        o.object.metadata.name,
        (o.object.spec as { project: string }).project,
        (o.object.spec as { source: { path: string } }).source.path,
      ]);
    expect(apps).toContainEqual(['prod-api', 'payday-prod', 'gitops/prod/api']);
    expect(apps).toContainEqual(['prod-database', 'payday-prod', 'gitops/prod/database']);
    expect(apps).toHaveLength(6);
  });

  it('places the namespace-less preview objects in pr-123 with the per-PR image and a Namespace from managedNamespaceMetadata', () => {
    const preview = byName('preview');
    const api = preview.objects.find(
      (o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'api',
    )!;
    expect(api.object.metadata.namespace).toBe('pr-123');
    expect(trackedBy(api.object)).toBe('preview-pr-123');
    expect(JSON.stringify(api.object)).toContain('"image":"ghcr.io/payday/api:pr-123-0123456"');
    const ns = preview.objects.find((o) => o.object.kind === 'Namespace')!;
    expect(ns.object.metadata.labels?.['payday.dev/environment']).toBe('preview');
    expect(ns.origin).toMatchObject({ kind: 'expanded', controller: 'argocd' });
  });

  it('reports a rendered file no Application syncs, naming the file', () => {
    const stray: RenderedInput = {
      path: 'prod/api/nested/configmap-stray.yaml',
      environment: 'prod',
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'payday-prod' } },
    };
    const r = buildScenarios([...committedInputs(), stray], { only: ['prod'] });
    expect(r.findings).toContainEqual({
      check: 'expansion',
      severity: 'error',
      subject: 'ConfigMap/payday-prod/stray',
      message:
        'gitops/prod/api/nested/configmap-stray.yaml is synced by no Application: no ApplicationSet or Application source path covers it, so Argo CD never applies it',
    });
  });

  it('fails closed on an ApplicationSet template key the generator does not provide (missingkey=error)', () => {
    const inputs = committedInputs().map((i) =>
      i.object.kind === 'ApplicationSet' && i.object.metadata.name === 'payday-prod'
        ? {
            ...i,
            object: JSON.parse(
              JSON.stringify(i.object).replace('prod-{{.path.basename}}', 'prod-{{.path.nope}}'),
            ),
          }
        : i,
    );
    const r = buildScenarios(inputs, { only: ['prod'] });
    expect(r.findings).toContainEqual({
      check: 'expansion',
      severity: 'error',
      subject: 'ApplicationSet/argocd/payday-prod',
      message:
        'ApplicationSet cannot be evaluated (fails closed): template: map has no entry for key "nope" in {{.path.nope}}',
    });
  });
});
