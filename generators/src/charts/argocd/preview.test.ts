import { describe, expect, it } from 'vitest';
import { previewApplicationSet } from './preview.js';

describe('pull-request ApplicationSet', () => {
  const set = previewApplicationSet();
  const spec = set.spec as Record<string, any>;

  it('generates one Application per PR labelled preview, in the preview project, namespace pr-<n>', () => {
    expect(spec.generators[0].pullRequest.github).toMatchObject({
      owner: 'payday',
      repo: 'payday',
      labels: ['preview'],
    });
    expect(spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(spec.template.metadata.name).toBe('preview-pr-{{.number}}');
    expect(spec.template.spec.project).toBe('preview');
    expect(spec.template.spec.destination.namespace).toBe('pr-{{.number}}');
    expect(spec.template.spec.source).toMatchObject({
      targetRevision: '{{.head_sha}}',
      path: 'gitops/preview',
    });
  });

  it("runs the PR's images and hostnames (the ones .github/workflows/preview.yml publishes and comments)", () => {
    const k = spec.template.spec.source.kustomize;
    expect(k.images).toContain('ghcr.io/payday/api:pr-{{.number}}-{{.head_short_sha_7}}');
    const patches = k.patches.map((p: { target: { kind: string; name: string }; patch: string }) => [
      `${p.target.kind}/${p.target.name}`,
      JSON.parse(p.patch)[0].value,
    ]);
    expect(patches).toEqual([
      ['Ingress/frontend', 'pr-{{.number}}.preview.payday.example'],
      ['ConfigMap/frontend-config', 'https://pr-{{.number}}.preview.payday.example'],
      ['Ingress/api', 'api.pr-{{.number}}.preview.payday.example'],
      ['ConfigMap/api-config', 'https://api.pr-{{.number}}.preview.payday.example'],
    ]);
  });

  it('cleans up: finalizer on the Application, the created namespace tracked so it is pruned too', () => {
    expect(spec.template.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    const ns = spec.template.spec.syncPolicy.managedNamespaceMetadata;
    expect(ns.annotations['argocd.argoproj.io/tracking-id']).toBe(
      'preview-pr-{{.number}}:/Namespace:/pr-{{.number}}',
    );
    expect(ns.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});
