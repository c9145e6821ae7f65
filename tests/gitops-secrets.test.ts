/**
 * Nothing secret is ever rendered (docs/design/architecture.md §Conventions): every YAML document
 * under gitops/ is scanned for secret-looking values (private keys, tokens, passwords, URLs with
 * credentials, Secret objects with data). Detection itself is unit-tested in
 * generators/src/validate/secret-scan.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanForSecrets } from '@payday/generators/gitops-checks';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return p.endsWith('.yaml') ? [p] : [];
  });
}

describe('gitops/ secret scan', () => {
  const files = yamlFiles(join(root, 'gitops'));

  it('covers the rendered tree (every environment and gitops/argocd)', () => {
    const tops = new Set(files.map((f) => relative(join(root, 'gitops'), f).split('/')[0]));
    for (const t of ['argocd', 'dev', 'staging', 'prod']) expect(tops).toContain(t);
  });

  it('finds no secret-looking value in any rendered object', () => {
    const findings = files.flatMap((f) =>
      parseAllDocuments(readFileSync(f, 'utf8')).flatMap((doc) =>
        scanForSecrets(doc.toJS()).map((x) => `${relative(root, f)}: ${x.path}: ${x.reason}`),
      ),
    );
    expect(findings).toEqual([]);
  });
});
