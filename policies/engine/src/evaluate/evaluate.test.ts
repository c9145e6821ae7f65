import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/objects.js';
import { addPolicyDocument, emptyPolicySet, PolicyLoadError, type PolicySet } from '../policy/policy-set.js';
import { buildEnvironment } from './environment.js';
import { EvaluationInputError, evaluateObjects } from './evaluate.js';

const podRule = {
  apiGroups: [''],
  apiVersions: ['v1'],
  operations: ['CREATE', 'UPDATE'],
  resources: ['pods'],
};

function policy(spec: Record<string, unknown>, name = 'p'): PolicySet {
  const set = emptyPolicySet();
  addPolicyDocument(set, {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name },
    spec,
  });
  return set;
}

const pod = (
  name: string,
  ns: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec,
});

const namespace = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

function run(
  set: PolicySet,
  objects: KubeObject[],
  cluster = true,
  operation?: 'CREATE' | 'UPDATE' | 'DELETE',
) {
  const env = buildEnvironment(objects, { objectsAreCluster: cluster });
  return evaluateObjects(set, objects, env, operation ? { operation } : {});
}

const noPrivileged = {
  validationActions: ['Deny'],
  matchConstraints: { resourceRules: [podRule] },
  validations: [
    { expression: 'object.spec.containers.all(c, !c.?privileged.orValue(false))', message: 'no privileged' },
  ],
};

describe('matchConstraints', () => {
  it('gives no response (not skip) for kinds and operations the rules do not name', () => {
    const set = policy(noPrivileged);
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } };
    expect(run(set, [cm])).toEqual([]);
    expect(run(set, [pod('a', 'n', { containers: [] })], true, 'DELETE')).toEqual([]);
  });

  it('resolves namespaceSelector from the rendered Namespace labels', () => {
    const set = policy({
      ...noPrivileged,
      matchConstraints: {
        resourceRules: [podRule],
        namespaceSelector: {
          matchExpressions: [{ key: 'payday.dev/environment', operator: 'In', values: ['prod'] }],
        },
      },
    });
    const results = run(set, [
      namespace('prod', { 'payday.dev/environment': 'prod' }),
      namespace('dev', { 'payday.dev/environment': 'dev' }),
      pod('in-prod', 'prod', { containers: [{ name: 'c', privileged: true }] }),
      pod('in-dev', 'dev', { containers: [{ name: 'c', privileged: true }] }),
      pod('in-unrendered', 'elsewhere', { containers: [] }),
    ]);
    expect(results.map((r) => [r.resource.metadata.name, r.status])).toEqual([['in-prod', 'fail']]);
  });

  it('honours objectSelector and excludeResourceRules', () => {
    const set = policy({
      ...noPrivileged,
      matchConstraints: {
        resourceRules: [{ ...podRule, resources: ['pods', 'services'] }],
        excludeResourceRules: [{ ...podRule, resources: ['services'] }],
        objectSelector: { matchLabels: { team: 'payments' } },
      },
      validations: [{ expression: 'true' }],
    });
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'n', labels: { team: 'payments' } },
    };
    const results = run(set, [
      pod('labelled', 'n', { containers: [] }, { team: 'payments' }),
      pod('other', 'n', { containers: [] }),
      svc,
    ]);
    expect(results.map((r) => r.resource.metadata.name)).toEqual(['labelled']);
  });

  it('fails closed on a kind it cannot map', () => {
    const crd: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'n' },
    };
    expect(() => run(policy(noPrivileged), [crd])).toThrow(EvaluationInputError);
  });
});

describe('validations', () => {
  it('skips on a false matchCondition and evaluates variables lazily', () => {
    const set = policy({
      matchConstraints: { resourceRules: [podRule] },
      matchConditions: [
        { name: 'labelled', expression: "has(object.metadata.labels) && 'app' in object.metadata.labels" },
      ],
      // `boom` errors when evaluated; it must not be evaluated because no validation uses it.
      variables: [
        { name: 'boom', expression: 'object.spec.nope' },
        { name: 'count', expression: 'size(object.spec.containers)' },
      ],
      validations: [{ expression: 'variables.count > 0', message: 'needs containers' }],
    });
    const results = run(set, [
      pod('unlabelled', 'n', { containers: [] }),
      pod('ok', 'n', { containers: [{}] }, { app: 'x' }),
      pod('empty', 'n', { containers: [] }, { app: 'x' }),
    ]);
    expect(results.map((r) => [r.resource.metadata.name, r.status, r.message])).toEqual([
      ['unlabelled', 'skip', 'match condition labelled not met'],
      ['ok', 'pass', undefined],
      ['empty', 'fail', 'needs containers'],
    ]);
  });

  it('uses messageExpression, falls back to message when it errors, and to the expression without either', () => {
    const set = policy({
      matchConstraints: { resourceRules: [podRule] },
      validations: [
        {
          expression: "object.metadata.name != 'a'",
          messageExpression: "'pod ' + object.metadata.name + ' is forbidden'",
        },
        { expression: "object.metadata.name != 'b'", message: 'static', messageExpression: 'object.nope' },
        { expression: "object.metadata.name != 'c'" },
      ],
    });
    const results = run(
      set,
      ['a', 'b', 'c'].map((n) => pod(n, 'n', { containers: [] })),
    );
    expect(results.map((r) => r.message)).toEqual([
      'pod a is forbidden',
      'static',
      "failed expression: object.metadata.name != 'c'",
    ]);
    expect(results[0]!.reason).toBe('Invalid');
    expect(results.map((r) => r.path)).toEqual([
      'spec.validations[0]',
      'spec.validations[1]',
      'spec.validations[2]',
    ]);
  });

  it('reports an erroring expression as error with the expression, and a non-bool as error', () => {
    const set = policy({
      matchConstraints: { resourceRules: [podRule] },
      validations: [{ expression: 'object.spec.missing == 1' }],
    });
    const [r] = run(set, [pod('a', 'n', { containers: [] })]);
    expect(r!.status).toBe('error');
    expect(r!.message).toContain('No such key: missing');
    const nonBool = policy({
      matchConstraints: { resourceRules: [podRule] },
      validations: [{ expression: "'yes'" }],
    });
    expect(run(nonBool, [pod('a', 'n', {})])[0]!.status).toBe('error');
  });

  it('evaluates auditAnnotations on pass and carries actions and failurePolicy', () => {
    const set = policy({
      validationActions: ['Audit', 'Warn'],
      failurePolicy: 'Ignore',
      matchConstraints: { resourceRules: [podRule] },
      validations: [{ expression: 'true' }],
      auditAnnotations: [{ key: 'containers', valueExpression: 'string(size(object.spec.containers))' }],
    });
    const [r] = run(set, [pod('a', 'n', { containers: [{}, {}] })]);
    expect(r).toMatchObject({
      status: 'pass',
      auditAnnotations: { containers: '2' },
      actions: ['Audit', 'Warn'],
      failurePolicy: 'Ignore',
    });
  });

  it('defaults validationActions to Audit', () => {
    const set = policy({
      matchConstraints: { resourceRules: [podRule] },
      validations: [{ expression: 'false' }],
    });
    expect(run(set, [pod('a', 'n', {})])[0]!.actions).toEqual(['Audit']);
  });

  it('rejects malformed policies with a path-qualified message', () => {
    expect(() => policy({ matchConstraints: { resourceRules: [{ apiGroups: [''] }] } })).toThrow(
      PolicyLoadError,
    );
    expect(() =>
      policy({ matchConstraints: { resourceRules: [podRule] }, validations: [{ expression: 'object.(' }] }),
    ).toThrow(/does not compile/);
  });
});

describe('autogen', () => {
  const template = (spec: Record<string, unknown>) => ({ metadata: { labels: { app: 'a' } }, spec });
  const bad = { containers: [{ name: 'c', privileged: true }] };
  const controllers: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'deployment', namespace: 'n' },
      spec: { template: template(bad) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'statefulset', namespace: 'n' },
      spec: { template: template(bad) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'daemonset', namespace: 'n' },
      spec: { template: template(bad) },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'replicaset', namespace: 'n' },
      spec: { template: template(bad) },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job', namespace: 'n' },
      spec: { template: template(bad) },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cronjob', namespace: 'n' },
      spec: { jobTemplate: { spec: { template: template(bad) } } },
    },
  ];
  const rollout: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'rollout', namespace: 'n' },
    spec: { template: template(bad) },
  };

  it('judges the pod templates of every default controller, not Rollouts unless listed', () => {
    const results = run(policy(noPrivileged), [...controllers, rollout]);
    expect(results.map((r) => [r.resource.kind, r.status])).toEqual(controllers.map((c) => [c.kind, 'fail']));
  });

  it('judges Rollouts when listed, including through workloadRef', () => {
    const set = policy({ ...noPrivileged, autogen: { podControllers: { controllers: ['rollouts'] } } });
    const ref: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'by-ref', namespace: 'n' },
      spec: { workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'deployment' } },
    };
    const dangling: KubeObject = {
      ...ref,
      metadata: { name: 'dangling', namespace: 'n' },
      spec: { workloadRef: { kind: 'Deployment', name: 'gone' } },
    };
    const results = run(set, [controllers[0]!, rollout, ref, dangling]);
    expect(results.map((r) => [r.resource.metadata.name, r.status])).toEqual([
      ['rollout', 'fail'],
      ['by-ref', 'fail'],
      ['dangling', 'error'],
    ]);
    expect(results[2]!.message).toContain('workloadRef Deployment/gone not found');
  });

  it('does not autogen when the policy matches more than pods', () => {
    const set = policy({
      ...noPrivileged,
      matchConstraints: { resourceRules: [{ ...podRule, resources: ['pods', 'services'] }] },
    });
    expect(run(set, controllers)).toEqual([]);
  });

  it('disables autogen with controllers [none]', () => {
    const set = policy({ ...noPrivileged, autogen: { podControllers: { controllers: ['none'] } } });
    expect(run(set, controllers)).toEqual([]);
  });
});

describe('PolicyExceptions', () => {
  function withException(spec: Record<string, unknown>): PolicySet {
    const set = policy(noPrivileged, 'no-privileged');
    addPolicyDocument(set, {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'PolicyException',
      metadata: { name: 'debug-pod', namespace: 'n' },
      spec: { policyRefs: [{ name: 'no-privileged', kind: 'ValidatingPolicy' }], ...spec },
    });
    return set;
  }

  it('turns a matching failure into skip (or pass with reportResult pass) naming the exception', () => {
    const set = withException({
      matchConditions: [{ name: 'debug', expression: "object.metadata.name == 'debug'" }],
    });
    const results = run(set, [pod('debug', 'n', bad()), pod('other', 'n', bad())]);
    expect(results.map((r) => [r.resource.metadata.name, r.status, r.exception])).toEqual([
      ['debug', 'skip', 'n/debug-pod'],
      ['other', 'fail', undefined],
    ]);
    const passing = withException({ reportResult: 'pass' });
    expect(run(passing, [pod('any', 'n', bad())])[0]!.status).toBe('pass');
  });

  function bad() {
    return { containers: [{ name: 'c', privileged: true }] };
  }
});
