import { describe, expect, it } from 'vitest';
import { renderEnvironments } from '../../render/render.js';
import { chartFactories } from '../registry.js';
import { admissionPolicy, policiesChart, readPolicyDocuments } from './index.js';

const doc = (
  annotations: Record<string, string>,
  matchConstraints: Record<string, unknown> = { resourceRules: [] },
) => ({
  apiVersion: 'policies.kyverno.io/v1',
  kind: 'ValidatingPolicy',
  metadata: { name: 'p', annotations },
  spec: { validationActions: ['Deny'], matchConstraints },
});

describe('policies as admission control', () => {
  it('limits a policy to our namespaces unless it asks for cluster scope', () => {
    expect(admissionPolicy(doc({}))!.spec.matchConstraints).toEqual({
      resourceRules: [],
      namespaceSelector: { matchExpressions: [{ key: 'payday.dev/environment', operator: 'Exists' }] },
    });
    expect(admissionPolicy(doc({ 'payday.io/admission-scope': 'cluster' }))!.spec.matchConstraints).toEqual({
      resourceRules: [],
    });
    const own = {
      resourceRules: [],
      namespaceSelector: { matchLabels: { 'payday.dev/environment': 'prod' } },
    };
    expect(admissionPolicy(doc({}, own))!.spec.matchConstraints).toEqual(own);
  });

  it('applies the admission actions annotation and leaves gate-only policies out', () => {
    expect(admissionPolicy(doc({ 'payday.io/admission-actions': 'Audit' }))!.spec.validationActions).toEqual([
      'Audit',
    ]);
    expect(admissionPolicy(doc({ 'payday.io/admission-actions': 'none' }))).toBeUndefined();
  });

  it('reads every committed policy', () => {
    const names = readPolicyDocuments().map((d) => d.metadata.name);
    expect(names).toContain('pod-security-restricted');
    expect(names).toContain('disallow-plain-secrets');
  });

  it('renders schema-valid policies and their Argo CD Application', async () => {
    expect(chartFactories).toContain(policiesChart);
    const result = await renderEnvironments();
    const paths = [...result.files.keys()];
    expect(paths).toContain('platform/policies/validatingpolicy-pod-security-restricted.yaml');
    expect(paths).toContain('argocd/platform/application-payday-policies.yaml');
    // Gate-only: operators create Secrets in the cluster.
    expect(paths).not.toContain('platform/policies/validatingpolicy-disallow-plain-secrets.yaml');
    expect(result.files.get('platform/policies/validatingpolicy-prod-pdb-required.yaml')).toMatch(
      /validationActions:\n\s+- Audit/,
    );
  });
});
