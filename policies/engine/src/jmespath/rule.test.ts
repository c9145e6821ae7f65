import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../evaluate/environment.js';
import { evaluateObjects } from '../evaluate/evaluate.js';
import type { KubeObject } from '../kube/objects.js';
import { addPolicyDocument, emptyPolicySet } from '../policy/policy-set.js';

const pod = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

const rule = (name: string, key: string) => ({
  name,
  match: { any: [{ resources: { kinds: ['Pod'] } }] },
  validate: { message: `${key} label required`, pattern: { metadata: { labels: { [key]: '?*' } } } },
});

const policy = (applyRules?: 'One' | 'All') => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'labels', annotations: { 'pod-policies.kyverno.io/autogen-controllers': 'none' } },
  spec: { ...(applyRules ? { applyRules } : {}), rules: [rule('team', 'team'), rule('app', 'app')] },
});

describe('JMESPath rules in the evaluator', () => {
  const objects = [pod('labelled', { team: 'a', app: 'b' }), pod('bare', {})];
  it('reports every rule with applyRules All, the first pass/fail only with One', () => {
    const statuses = (doc: unknown) => {
      const set = emptyPolicySet();
      addPolicyDocument(set, doc);
      return evaluateObjects(set, objects, buildEnvironment(objects)).map(
        (r) => `${r.resource.metadata.name}/${r.rule}:${r.status}`,
      );
    };
    expect(statuses(policy())).toEqual([
      'labelled/team:pass',
      'labelled/app:pass',
      'bare/team:fail',
      'bare/app:fail',
    ]);
    expect(statuses(policy('One'))).toEqual(['labelled/team:pass', 'bare/team:fail']);
  });

  it('gives the Kyverno failure message with the substituted rule message', () => {
    const set = emptyPolicySet();
    addPolicyDocument(set, policy());
    const [, , bare] = evaluateObjects(set, objects, buildEnvironment(objects));
    expect(bare?.message).toBe(
      'validation error: team label required. rule team failed at path /metadata/labels/team/',
    );
  });

  it('DELETE gives a pattern rule no response', () => {
    const set = emptyPolicySet();
    addPolicyDocument(set, policy());
    expect(evaluateObjects(set, objects, buildEnvironment(objects), { operation: 'DELETE' })).toEqual([]);
  });
});

describe('refusals', () => {
  it('refuses pattern references it does not resolve, naming the rule', () => {
    const doc = policy();
    (doc.spec.rules[0]!.validate.pattern as Record<string, unknown>).spec = { replicas: '$(./../x)' };
    expect(() => addPolicyDocument(emptyPolicySet(), doc, 'p.yaml')).toThrow(
      'p.yaml: ClusterPolicy labels: rule team: pattern references $(…) and {{@}} are not supported by the offline engine',
    );
  });
});
