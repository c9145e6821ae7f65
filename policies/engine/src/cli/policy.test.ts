import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './policy.js';

const POLICIES = resolve(import.meta.dirname, '../../..');

function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = main(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { status, stdout: out.join(''), stderr: err.join('') };
}

describe('npm run policy -- test', () => {
  it('prints a table and a summary for passing suites', () => {
    const { status, stdout } = run(['test', join(POLICIES, 'restrict-service-types')]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/ID +POLICY +RULE +RESOURCE +EXPECTED +ACTUAL +RESULT +REASON/);
    expect(stdout).toContain('Test Summary: 3 tests passed, 0 tests failed, 0 excluded');
  });

  it('prints one JSON record per expected result with --output json', () => {
    const { status, stdout } = run(['test', join(POLICIES, 'restrict-service-types'), '--output', 'json']);
    expect(status).toBe(0);
    const records = JSON.parse(stdout);
    expect(records[1]).toMatchObject({
      policy: 'restrict-service-types',
      resource: 'payday-prod/bad-nodeport',
      kind: 'Service',
      expected: 'fail',
      actual: 'fail',
      verdict: 'pass',
    });
    expect(records[1].test).toMatch(/restrict-service-types\/.kyverno-test\/kyverno-test.yaml$/);
  });

  it('exits 1 when an expectation does not hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    writeFileSync(
      join(dir, 'kyverno-test.yaml'),
      `policies: [${join(POLICIES, 'restrict-service-types/policy.yaml')}]\n` +
        `resources: [${join(POLICIES, 'restrict-service-types/.kyverno-test/resources.yaml')}]\n` +
        'results:\n  - { policy: restrict-service-types, resources: [bad-nodeport], result: pass }\n',
    );
    const { status, stdout } = run(['test', dir]);
    expect(status).toBe(1);
    expect(stdout).toContain('Want pass, got fail');
    expect(stdout).toContain('Test Summary: 0 tests passed, 1 tests failed, 0 excluded, 0 unsupported');
  });

  it('exits 2 after checking everything else when some results belong to an unsupported policy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    writeFileSync(
      join(dir, 'policy.yaml'),
      'apiVersion: policies.kyverno.io/v1\nkind: ImageValidatingPolicy\nmetadata: { name: verify }\nspec: {}\n',
    );
    writeFileSync(
      join(dir, 'kyverno-test.yaml'),
      `policies: [policy.yaml, ${join(POLICIES, 'restrict-service-types/policy.yaml')}]\n` +
        `resources: [${join(POLICIES, 'restrict-service-types/.kyverno-test/resources.yaml')}]\n` +
        'results:\n  - { policy: restrict-service-types, resources: [bad-nodeport], result: fail }\n' +
        '  - { policy: verify, resources: [bad-nodeport], result: pass }\n',
    );
    const { status, stdout } = run(['test', dir]);
    expect(status).toBe(2);
    expect(stdout).toContain(
      'Unsupported  Unsupported: ImageValidatingPolicy is not supported by the offline engine (validate only)',
    );
    expect(stdout).toContain('Test Summary: 1 tests passed, 0 tests failed, 0 excluded, 1 unsupported');
  });

  it('exits 2 on usage errors, missing suites and broken policies', () => {
    expect(run(['lint', 'x']).status).toBe(2);
    expect(run(['test', join(POLICIES, 'engine/src/cli')]).stderr).toContain('no kyverno-test.yaml under');
    const missing = run(['test', 'polices']);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      'error: polices does not exist (name a folder or a kyverno-test.yaml, e.g. policies)\n',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
    writeFileSync(
      join(dir, 'policy.yaml'),
      'apiVersion: policies.kyverno.io/v1\nkind: ValidatingPolicy\nmetadata: { name: p }\nspec:\n  matchConstraints: { resourceRules: [{ resources: [pods] }] }\n  validations: [{ expression: "object.(" }]\n',
    );
    writeFileSync(join(dir, 'kyverno-test.yaml'), 'policies: [policy.yaml]\nresources: []\nresults: []\n');
    const broken = run(['test', dir]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('ValidatingPolicy p: CEL expression does not compile: object.(');
  });
});
