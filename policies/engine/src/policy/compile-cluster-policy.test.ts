import { describe, expect, it } from 'vitest';
import { buildEnvironment } from '../evaluate/environment.js';
import { evaluateObjects } from '../evaluate/evaluate.js';
import type { KubeObject } from '../kube/objects.js';
import { addPolicyDocument, emptyPolicySet, PolicyLoadError } from './policy-set.js';

const clusterPolicy = (rule: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name: 'require-checksum', annotations },
  spec: { validationFailureAction: 'Enforce', rules: [rule] },
});

const rule = {
  name: 'require-image-checksum',
  match: { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE'] } }] },
  // Autogen rewrites `object.metadata` to the pod template's metadata, which has no namespace
  // (docs/design/policy-gate.md §Auto-generation for Pod controllers): hence the optional access,
  // as in Kyverno's own library.
  celPreconditions: [
    { name: 'not-system', expression: "object.metadata.?namespace.orValue('') != 'kube-system'" },
  ],
  validate: {
    cel: {
      expressions: [
        {
          expression: "object.spec.containers.all(c, c.image.contains('@'))",
          message: 'Images must use checksums.',
        },
      ],
    },
  },
};

const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'tagged', namespace: 'n' },
    spec: { containers: [{ image: 'a:1' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'system', namespace: 'kube-system' },
    spec: { containers: [{ image: 'a:1' }] },
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'cron', namespace: 'n' },
    spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: 'a@sha256:x' }] } } } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'deploy', namespace: 'n' },
    spec: { template: { spec: { containers: [{ image: 'a:1' }] } } },
  },
];

describe('ClusterPolicy validate.cel', () => {
  it('evaluates celPreconditions, expressions and the autogen-/autogen-cronjob- rules', () => {
    const set = emptyPolicySet();
    addPolicyDocument(set, clusterPolicy(rule));
    expect(set.rules.map((r) => r.rule)).toEqual([
      'require-image-checksum',
      'autogen-require-image-checksum',
      'autogen-cronjob-require-image-checksum',
    ]);
    const results = evaluateObjects(set, objects, buildEnvironment(objects));
    expect(results.map((r) => [r.resource.metadata.name, r.rule, r.status, r.actions[0]])).toEqual([
      ['tagged', 'require-image-checksum', 'fail', 'Deny'],
      ['system', 'require-image-checksum', 'skip', 'Deny'],
      ['cron', 'autogen-cronjob-require-image-checksum', 'pass', 'Deny'],
      ['deploy', 'autogen-require-image-checksum', 'fail', 'Deny'],
    ]);
  });

  it('honours the autogen-controllers annotation and exclude blocks', () => {
    const set = emptyPolicySet();
    addPolicyDocument(
      set,
      clusterPolicy(
        { ...rule, exclude: { any: [{ resources: { namespaces: ['kube-*'] } }] } },
        { 'pod-policies.kyverno.io/autogen-controllers': 'Deployment' },
      ),
    );
    const results = evaluateObjects(set, objects, buildEnvironment(objects));
    expect(results.map((r) => r.resource.metadata.name)).toEqual(['tagged', 'deploy']);
  });

  it('reports an erroring expression or celPrecondition as fail, with validate.message (validate_cel.go)', () => {
    const set = emptyPolicySet();
    const erroring = (where: 'precondition' | 'expression') => ({
      name: `err-${where}`,
      match: rule.match,
      celPreconditions:
        where === 'precondition' ? [{ name: 'missing', expression: 'object.spec.missing == 1' }] : [],
      validate: {
        message: 'spec.missing must be 1',
        cel: {
          expressions: [{ expression: where === 'expression' ? 'object.spec.missing == 1' : 'true' }],
          auditAnnotations: [{ key: 'k', valueExpression: 'object.spec.alsoMissing' }],
        },
      },
    });
    addPolicyDocument(set, {
      ...clusterPolicy(erroring('expression')),
      spec: { rules: [erroring('expression'), erroring('precondition')] },
    });
    const results = evaluateObjects(set, [objects[0]!], buildEnvironment([]));
    expect(results.map((r) => [r.rule, r.status])).toEqual([
      ['err-expression', 'fail'],
      ['err-precondition', 'fail'],
    ]);
    expect(results[0]!.message).toBe('No such key: missing (expression: object.spec.missing == 1)');
  });

  it('falls back to validate.message for a false expression without its own message', () => {
    const set = emptyPolicySet();
    addPolicyDocument(
      set,
      clusterPolicy({
        name: 'r',
        match: rule.match,
        validate: { message: 'no latest', cel: { expressions: [{ expression: 'false' }] } },
      }),
    );
    const [result] = evaluateObjects(set, [objects[0]!], buildEnvironment([]));
    expect(result).toMatchObject({ status: 'fail', message: 'no latest' });
  });

  it('refuses rule types the offline engine cannot evaluate, with the reason', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { mutate: { patchStrategicMerge: {} } },
        'rule r: mutate rules are not supported by the offline engine',
      ],
      [{ generate: { kind: 'ConfigMap' } }, 'rule r: generate rules are not supported by the offline engine'],
      [
        { verifyImages: [{ imageReferences: ['*'] }] },
        'rule r: verifyImages rules need registry access and are not supported by the offline engine',
      ],
      [
        { validate: { manifests: { attestors: [] } } },
        'rule r: validate.manifests is not supported by the offline engine',
      ],
      [
        { validate: { message: 'x' } },
        'rule r: a validate rule needs pattern, anyPattern, deny, foreach, podSecurity or cel',
      ],
    ];
    for (const [body, message] of cases) {
      const set = emptyPolicySet();
      const doc = clusterPolicy({ name: 'r', match: rule.match, ...body });
      expect(() => addPolicyDocument(set, doc)).toThrow(PolicyLoadError);
      expect(() => addPolicyDocument(set, doc)).toThrow(`ClusterPolicy require-checksum ${message}`);
      expect(set.rules).toEqual([]);
    }
  });

  it('compiles JMESPath pattern rules beside CEL ones', () => {
    const set = emptyPolicySet();
    addPolicyDocument(
      set,
      clusterPolicy({
        name: 'r',
        match: rule.match,
        validate: { pattern: { spec: { containers: [{ image: '*@*' }] } } },
      }),
    );
    expect(set.rules.map((r) => r.rule)).toEqual(['r', 'autogen-r', 'autogen-cronjob-r']);
    expect(set.rules.every((r) => typeof r.jmespath === 'function')).toBe(true);
  });
});
