import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './rehearse.js';

const run = (argv: string[]) => {
  let out = '';
  let err = '';
  const code = main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
};

describe('npm run rehearse', () => {
  it('refuses an unknown --format and an unknown --env, naming the known ones', () => {
    expect(run(['--format', 'xml'])).toEqual({
      code: 2,
      out: '',
      err: 'unknown --format xml (text or json)\n',
    });
    expect(run(['--env', 'qa'])).toEqual({
      code: 2,
      out: '',
      err: 'rehearse: no rendered environment qa (known: dev, preview, prod, staging)\n',
    });
  });

  it('fails on a file that is not a Kubernetes object, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-'));
    mkdirSync(join(dir, 'dev'));
    writeFileSync(join(dir, 'dev', 'broken.yaml'), 'just: text\n');
    expect(run(['--gitops', dir])).toEqual({
      code: 2,
      out: '',
      err: 'rehearse: dev/broken.yaml: document 1 is not a Kubernetes object (apiVersion, kind, metadata.name)\n',
    });
  });

  it('prints JSON with every scenario and the exit code follows the error findings', () => {
    const r = run(['--env', 'dev', '--format', 'json']);
    const json = JSON.parse(r.out) as {
      passed: boolean;
      scenarios: { name: string }[];
      findings: { severity: string }[];
    };
    expect(json.scenarios.map((s) => s.name)).toEqual(['dev']);
    expect(r.code).toBe(json.findings.some((f) => f.severity === 'error') ? 1 : 0);
    expect(json.passed).toBe(r.code === 0);
  });

  it('prints the sync plan of each scenario before the findings with --plan', () => {
    const r = run(['--env', 'prod', '--plan']);
    const plan = r.out.slice(0, r.out.indexOf('prod (namespace payday-prod)'));
    expect(plan).toMatch(/^Sync plan for prod \(Argo CD v3\.5\.1\)\n0\. Before the root Application:\n/);
    // The root Application syncs first; the environment's database comes before its api.
    expect(plan).toContain('1. Application/argocd/payday-root -> namespace argocd');
    expect(plan.indexOf('prod-database')).toBeGreaterThan(0);
    expect(plan.indexOf('prod-database')).toBeLessThan(plan.indexOf('prod-api'));
    expect(run(['--env', 'prod']).out).not.toContain('Sync plan for');
  });
});
