import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverTestFiles } from './discover.js';
import { runTestFile } from './run-test.js';

const POLICIES = resolve(import.meta.dirname, '../../..');

describe('our policies pass their own kyverno-test suites', () => {
  const files = discoverTestFiles([POLICIES]);
  it('finds a suite for every policy', () => {
    expect(files.length).toBeGreaterThanOrEqual(14);
  });
  for (const file of files) {
    it(file.slice(POLICIES.length + 1), () => {
      const rows = runTestFile(file);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.verdict === 'fail')).toEqual([]);
      // Every suite must check real outcomes, not only exclusions.
      expect(rows.some((r) => r.verdict === 'pass' && r.actual === 'fail')).toBe(true);
    });
  }
});

describe('kyverno test semantics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kyverno-test-'));
  writeFileSync(
    join(dir, 'policy.yaml'),
    `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: { name: no-nodeport }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [services] }]
  validations: [{ expression: "object.spec.?type.orValue('') != 'NodePort'" }]
`,
  );
  writeFileSync(
    join(dir, 'resources.yaml'),
    `apiVersion: v1
kind: Service
metadata: { name: np }
spec: { type: NodePort }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cm }
`,
  );
  const suite = (results: string) => {
    const file = join(dir, `kyverno-test-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, `policies: [policy.yaml]\nresources: [resources.yaml]\nresults:\n${results}`);
    return runTestFile(file);
  };

  it('checks a matched resource and ignores the result kind', () => {
    const [row] = suite('  - { policy: no-nodeport, kind: Deployment, resources: [np], result: fail }\n');
    expect(row).toMatchObject({ resource: 'default/np', actual: 'fail', verdict: 'pass' });
  });

  it('fails a wrong expectation', () => {
    const [row] = suite('  - { policy: no-nodeport, resources: [np], result: pass }\n');
    expect(row).toMatchObject({ actual: 'fail', verdict: 'fail', reason: 'Want pass, got fail' });
  });

  it('reports no response as Excluded without checking the expectation', () => {
    const [row] = suite('  - { policy: no-nodeport, resources: [cm], result: fail }\n');
    expect(row).toMatchObject({ actual: 'pass', verdict: 'excluded', reason: 'Excluded' });
  });

  it('checks every resource when no listed name exists', () => {
    const rows = suite('  - { policy: no-nodeport, resources: [nothing-by-this-name], result: fail }\n');
    expect(rows.map((r) => [r.resource, r.verdict])).toEqual([
      ['default/np', 'pass'],
      ['default/cm', 'excluded'],
    ]);
  });

  it('fails a result naming a policy that is not loaded', () => {
    const [row] = suite('  - { policy: missing-policy, resources: [np], result: fail }\n');
    expect(row).toMatchObject({ verdict: 'fail', reason: 'Not found' });
  });

  it('rejects a malformed test file with the path of the problem', () => {
    const file = join(dir, 'bad-kyverno-test.yaml');
    writeFileSync(file, 'policies: []\n');
    expect(() => runTestFile(file)).toThrow(/policies: /);
  });

  it('evaluates UPDATE against oldResources and DELETE against the old object (resourceOperation)', () => {
    writeFileSync(
      join(dir, 'ops-policy.yaml'),
      `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: { name: frozen-tier }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [UPDATE], resources: [configmaps] }]
  variables:
    - { name: before, expression: "oldObject.?metadata.?labels[?'tier'].orValue('')" }
  validations: [{ expression: "variables.before == object.metadata.?labels[?'tier'].orValue('')" }]
---
apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: { name: keep-gold }
spec:
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [DELETE], resources: [configmaps] }]
  validations: [{ expression: "oldObject.metadata.labels.tier != 'gold' && object == null" }]
`,
    );
    writeFileSync(
      join(dir, 'cm-new.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm, labels: { tier: silver } }\n',
    );
    writeFileSync(
      join(dir, 'cm-old.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cm, labels: { tier: gold } }\n',
    );
    const file = join(dir, 'ops-kyverno-test.yaml');
    writeFileSync(
      file,
      `policies: [ops-policy.yaml]
resources: [cm-new.yaml]
oldResources: [cm-old.yaml]
results:
  - { policy: frozen-tier, resources: [cm], resourceOperation: UPDATE, result: fail }
  - { policy: keep-gold, resources: [cm], resourceOperation: DELETE, result: pass }
  - { policy: frozen-tier, resources: [cm], result: fail }
`,
    );
    expect(runTestFile(file).map((r) => [r.policy, r.actual, r.verdict])).toEqual([
      ['frozen-tier', 'fail', 'pass'],
      ['keep-gold', 'pass', 'pass'],
      // Without an operation the request is a CREATE, which the UPDATE-only policy does not match.
      ['frozen-tier', 'pass', 'excluded'],
    ]);
  });

  it('takes the operation per policy and resource from the values file', () => {
    writeFileSync(
      join(dir, 'values.yaml'),
      'policies:\n  - name: frozen-tier\n    resources:\n      - { name: cm, values: { request.operation: UPDATE } }\n',
    );
    const file = join(dir, 'values-kyverno-test.yaml');
    writeFileSync(
      file,
      'policies: [ops-policy.yaml]\nresources: [cm-new.yaml]\noldResources: [cm-old.yaml]\nvariables: values.yaml\n' +
        'results:\n  - { policy: frozen-tier, resources: [cm], result: fail }\n',
    );
    expect(runTestFile(file)[0]).toMatchObject({ actual: 'fail', verdict: 'pass' });
  });
});
