import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTestFile } from './run-test.js';

/** Writes a suite's files into a fresh directory and returns the kyverno-test.yaml path. */
function suite(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyverno-inputs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'kyverno-test.yaml');
}

const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}${extra} }\nspec: { containers: [{ name: c, image: nginx:1.27 }] }\n`;

const podPolicy = (name: string, expression: string) => `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: { name: ${name} }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods] }]
  validations: [{ expression: "${expression}" }]
`;

describe('a folder with an unsupported policy', () => {
  it('reports that policy as unsupported, with the reason, and evaluates the others', () => {
    const file = suite({
      'policies.yaml': `${podPolicy('supported', "object.metadata.name != 'bad'")}---
apiVersion: policies.kyverno.io/v1
kind: MutatingPolicy
metadata: { name: add-labels }
spec: {}
---
${podPolicy('uses-global-context', "globalContext.Get('x', '') == 1")}`,
      'resources.yaml': `${pod('good')}---\n${pod('bad')}`,
      'kyverno-test.yaml': `policies: [policies.yaml]
resources: [resources.yaml]
results:
  - { policy: supported, resources: [bad], result: fail }
  - { policy: add-labels, resources: [good], result: pass }
  - { policy: uses-global-context, resources: [good], result: pass }
`,
    });
    expect(runTestFile(file).map((r) => [r.policy, r.actual, r.verdict, r.reason])).toEqual([
      ['supported', 'fail', 'pass', 'Ok'],
      [
        'add-labels',
        'unsupported',
        'unsupported',
        'Unsupported: MutatingPolicy is not supported by the offline engine (validate only)',
      ],
      [
        'uses-global-context',
        'unsupported',
        'unsupported',
        "Unsupported: CEL the offline engine does not provide (Unknown variable: globalContext): globalContext.Get('x', '') == 1",
      ],
    ]);
  });

  it('still refuses a broken policy (CEL syntax) for the whole test', () => {
    const file = suite({
      'policy.yaml': podPolicy('broken', 'object.('),
      'resources.yaml': pod('good'),
      'kyverno-test.yaml': 'policies: [policy.yaml]\nresources: [resources.yaml]\nresults: []\n',
    });
    expect(() => runTestFile(file)).toThrow(/ValidatingPolicy broken: CEL expression does not compile/);
  });
});

describe('ValidatingAdmissionPolicy evaluation', () => {
  const vap = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: vap }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods] }]
  validations: [{ expression: "object.metadata.name.startsWith('ok')" }]
`;
  const binding = (match: string) => `---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: b }
spec:
  policyName: vap
  validationActions: [Warn]
${match}`;
  const resources = `${pod('ok-pod')}---\n${pod('bad-pod')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: bad-cm }\n`;
  const results = `results:
  - { policy: vap, resources: [ok-pod], result: pass }
  - { policy: vap, resources: [bad-pod], result: fail }
  - { policy: vap, resources: [bad-cm], result: fail }
`;

  it('without a binding matches by matchConstraints, evaluated as CREATE whatever the operation', () => {
    const file = suite({
      'policy.yaml': vap,
      'resources.yaml': resources,
      'values.yaml': 'globalValues: { request.operation: UPDATE }\n',
      'kyverno-test.yaml': `policies: [policy.yaml]\nresources: [resources.yaml]\nvariables: values.yaml\n${results}`,
    });
    expect(runTestFile(file).map((r) => [r.resource, r.actual])).toEqual([
      ['default/ok-pod', 'pass'],
      ['default/bad-pod', 'fail'],
      ['default/bad-cm', 'pass'],
    ]);
    expect(runTestFile(file)[2]!.verdict).toBe('excluded');
  });

  it('with a binding but no clusterResources, only the binding decides (no matchResources: everything)', () => {
    const file = suite({
      'policy.yaml': vap + binding(''),
      'resources.yaml': resources,
      'kyverno-test.yaml': `policies: [policy.yaml]\nresources: [resources.yaml]\n${results}`,
    });
    expect(runTestFile(file).map((r) => [r.resource, r.actual, r.verdict])).toEqual([
      ['default/ok-pod', 'pass', 'pass'],
      ['default/bad-pod', 'fail', 'pass'],
      ['default/bad-cm', 'fail', 'pass'],
    ]);
  });

  it('with clusterResources, the policy and a binding must both match', () => {
    const file = suite({
      'policy.yaml': vap + binding(''),
      'resources.yaml': resources,
      'cluster.yaml': 'kind: ClusterResource\nspec: { resources: [] }\n',
      'kyverno-test.yaml': `policies: [policy.yaml]\nresources: [resources.yaml]\nclusterResources: [cluster.yaml]\n${results}`,
    });
    expect(runTestFile(file).map((r) => [r.resource, r.verdict])).toEqual([
      ['default/ok-pod', 'pass'],
      ['default/bad-pod', 'pass'],
      ['default/bad-cm', 'excluded'],
    ]);
  });

  it('binds params from paramResources by the paramRef of the matching binding', () => {
    const policy = `${vap.replace(
      `object.metadata.name.startsWith('ok')`,
      `object.metadata.name.size() <= int(params.data.maxLength)`,
    )}  paramKind: { apiVersion: v1, kind: ConfigMap }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: b }
spec:
  policyName: vap
  validationActions: [Deny]
  paramRef: { name: limits }
`;
    const file = suite({
      'policy.yaml': policy,
      'resources.yaml': `${pod('ok-pod')}---
${pod('bad-pod-name')}`,
      'params.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: other }\ndata: { maxLength: "1" }\n---\n' +
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: limits }\ndata: { maxLength: "7" }\n',
      'kyverno-test.yaml': `policies: [policy.yaml]
resources: [resources.yaml]
paramResources: [params.yaml]
results:
  - { policy: vap, resources: [ok-pod], result: pass }
  - { policy: vap, resources: [bad-pod-name], result: fail }
`,
    });
    expect(runTestFile(file).map((r) => [r.resource, r.actual, r.verdict])).toEqual([
      ['default/ok-pod', 'pass', 'pass'],
      ['default/bad-pod-name', 'fail', 'pass'],
    ]);
    // Without parameter resources `params` is null and the expression errors.
    writeFileSync(file, readFileSync(file, 'utf8').replace('paramResources: [params.yaml]\n', ''));
    expect(runTestFile(file).map((r) => r.actual)).toEqual(['error', 'error']);
  });

  it('reports an evaluation error as error and sees namespace labels in namespaceObject', () => {
    const file = suite({
      'policy.yaml': vap.replace(
        `object.metadata.name.startsWith('ok')`,
        `namespaceObject.metadata.labels.tier == 'web' && object.spec.missing == 1`,
      ),
      'resources.yaml': pod('ok-pod', ', namespace: web'),
      'values.yaml': 'namespaceSelector: [{ name: web, labels: { tier: web } }]\n',
      'kyverno-test.yaml':
        'policies: [policy.yaml]\nresources: [resources.yaml]\nvariables: values.yaml\nresults:\n  - { policy: vap, resources: [ok-pod], result: error }\n',
    });
    expect(runTestFile(file)[0]).toMatchObject({ actual: 'error', verdict: 'pass' });
  });
});

describe('test inputs', () => {
  it('fails a malformed context file with the file and field named', () => {
    const file = suite({
      'policy.yaml': podPolicy('p', 'true'),
      'resources.yaml': pod('a'),
      'context.yaml': 'spec: { images: [{ manifest: {} }] }\n',
      'kyverno-test.yaml': 'policies: [policy.yaml]\nresources: [resources.yaml]\ncontext: context.yaml\n',
    });
    expect(() => runTestFile(file)).toThrow(/context\.yaml: spec\.images\.0\.image: /);
  });

  it('refuses a JSON payload that is not an object, naming it', () => {
    const file = suite({
      'policy.yaml': podPolicy('p', 'true'),
      'list.json': '[1, 2]',
      'kyverno-test.yaml': 'policies: [policy.yaml]\njsonPayloads: [./list.json]\n',
    });
    expect(() => runTestFile(file)).toThrow('JSON payload list.json must be a top-level object (map)');
  });

  it('answers an unmocked http.Get with an error result, never the network', () => {
    const file = suite({
      'policy.yaml': podPolicy('p', "http.Get('https://unmocked.test/').body.ok == true"),
      'resources.yaml': pod('a'),
      'kyverno-test.yaml':
        'policies: [policy.yaml]\nresources: [resources.yaml]\nresults:\n  - { policy: p, resources: [a], result: error }\n',
    });
    const [row] = runTestFile(file);
    expect(row).toMatchObject({ actual: 'error', verdict: 'pass' });
  });

  it('runs every Test document of a file', () => {
    const file = suite({
      'policy.yaml': podPolicy('p', "object.metadata.name == 'a'"),
      'a.yaml': pod('a'),
      'b.yaml': pod('b'),
      'kyverno-test.yaml': `policies: [policy.yaml]
resources: [a.yaml]
results: [{ policy: p, resources: [a], result: pass }]
---
policies: [policy.yaml]
resources: [b.yaml]
results: [{ policy: p, resources: [b], result: fail }]
`,
    });
    expect(runTestFile(file).map((r) => [r.resource, r.actual, r.verdict])).toEqual([
      ['default/a', 'pass', 'pass'],
      ['default/b', 'fail', 'pass'],
    ]);
  });
});
