import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo, hashTree, type TempRepo, tempRepo } from '../testing/fixtures.js';
import { main as render } from './render.js';

const POLICIES = resolve(import.meta.dirname, '../../../policies');

/**
 * `npm run render` runs the gate after validation and writes nothing when it fails
 * (docs/design/policy-gate.md §Failing closed).
 */
describe('npm run render with the policy gate', () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await tempRepo();
    await cp(join(POLICIES, 'require-probes'), join(repo.root, 'policies', 'require-probes'), {
      recursive: true,
    });
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  const run = async (...args: string[]) => {
    const out = captureIo();
    const code = await render(args, out.io, repo.root);
    return { code, stdout: out.stdout, stderr: out.stderr };
  };

  it('passes and writes when every policy passes', async () => {
    const { code, stderr } = await run();
    expect(code).toBe(0);
    expect(stderr).toMatch(/render: policy gate pass \(1 policies, \d+ objects, 0 denials, 0 errors\)/);
  });

  it('refuses to write when a Deny policy fails, and --no-gate skips the gate', async () => {
    await mkdir(join(repo.root, 'policies', 'no-configmaps'), { recursive: true });
    await writeFile(
      join(repo.root, 'policies', 'no-configmaps', 'policy.yaml'),
      `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: { name: no-configmaps }
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules: [{ apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps] }]
  validations: [{ expression: "false", messageExpression: "'ConfigMap ' + object.metadata.name + ' is not allowed here'" }]
`,
    );
    const before = await hashTree(repo.gitops);
    const refused = await run();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('DENY    no-configmaps');
    expect(refused.stderr).toMatch(/ConfigMap \S+ is not allowed here/);
    expect(refused.stderr).toContain('nothing was written (--no-gate skips it)');
    expect(await hashTree(repo.gitops)).toBe(before);

    const skipped = await run('--no-gate');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).not.toContain('policy gate');
  });
});
