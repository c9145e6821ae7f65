/**
 * Runbooks must not lie (docs/design/architecture.md §Folders and owners: "commands that exist"):
 * every `npm run <script>` a runbook mentions is a script of the root package.json, every
 * repository path it names exists, every relative link resolves, every runbook has the five
 * sections, and every alert rendered into gitops/ links a runbook that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNBOOKS } from '@payday/generators/gitops-checks';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const runbookDir = join(root, 'runbooks');
const runbooks = readdirSync(runbookDir)
  .filter((f) => f.endsWith('.md'))
  .sort();
const read = (f: string) => readFileSync(join(runbookDir, f), 'utf8');
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);

/** Top-level folders a repository path in a runbook can start with. */
const REPO_DIRS = [
  'apps',
  'bench',
  'environments',
  'generators',
  'gitops',
  'policies',
  'runbooks',
  'scripts',
  'tests',
];

/** `npm run <script>` occurrences. */
function npmScripts(text: string): string[] {
  return [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
}

/**
 * Repository paths in backticks (`environments/prod.yaml`, `gitops/prod/database/`). Paths with a
 * placeholder (`<env>`, `*`, `{…}`) are patterns, not files, and are skipped.
 */
function repoPaths(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\s]+)`/g)) {
    const token = m[1]!.replace(/[.,:;]$/, '');
    const top = token.split('/')[0]!;
    if (!REPO_DIRS.includes(top) || !token.includes('/') || /[<>*{}$]/.test(token)) continue;
    out.push(token);
  }
  return out;
}

/** Relative markdown links (`[x](promote.md)`). */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((l) => !/^[a-z]+:/.test(l));
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe('the extractors', () => {
  it('find scripts, paths and links, and skip placeholders', () => {
    const text =
      'Run `npm run render -- --check` and npm run gate; edit `environments/prod.yaml` or ' +
      '`gitops/<env>/api/`, read `generators/src/charts/observability/alerts.ts`. See [x](promote.md) and [y](https://example.com).';
    expect(npmScripts(text)).toEqual(['render', 'gate']);
    expect(repoPaths(text)).toEqual(
      ['npm run render -- --check'].length
        ? ['environments/prod.yaml', 'generators/src/charts/observability/alerts.ts']
        : [],
    );
    expect(relativeLinks(text)).toEqual(['promote.md']);
  });
});

describe('runbooks', () => {
  it('exist for every runbook the alerts and notifications link', () => {
    for (const file of Object.values(RUNBOOKS)) expect(runbooks, file).toContain(file);
  });

  it.each(runbooks.filter((f) => f !== 'README.md'))(
    '%s has symptoms, alert, diagnosis, fix and verification',
    (f) => {
      const headings = [...read(f).matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      expect(headings).toEqual(['Symptoms', 'Alert', 'Diagnosis', 'Fix', 'Verification']);
    },
  );

  it.each(runbooks)('%s: every `npm run` script exists', (f) => {
    for (const s of npmScripts(read(f))) expect(scripts, `${f}: npm run ${s}`).toContain(s);
  });

  it.each(runbooks)('%s: every repository path exists', (f) => {
    for (const p of repoPaths(read(f))) expect(existsSync(join(root, p)), `${f}: ${p}`).toBe(true);
  });

  it.each(runbooks)('%s: every relative link resolves', (f) => {
    for (const l of relativeLinks(read(f))) expect(existsSync(join(runbookDir, l)), `${f}: ${l}`).toBe(true);
  });

  it('the index lists every runbook', () => {
    const index = read('README.md');
    for (const f of runbooks.filter((r) => r !== 'README.md')) expect(index, f).toContain(`(${f})`);
  });

  it('every alert rendered into gitops/ has a runbook_url pointing at an existing runbook', () => {
    const ruleFiles = walk(join(root, 'gitops')).filter((p) => /prometheusrule-[^/]+\.yaml$/.test(p));
    expect(ruleFiles.length, 'rendered PrometheusRules').toBeGreaterThan(0);
    for (const file of ruleFiles) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const rule = doc.toJS() as { spec: { groups: Array<{ rules: Array<Record<string, any>> }> } };
        for (const r of rule.spec.groups.flatMap((g) => g.rules).filter((r) => r.alert)) {
          const url: string | undefined = r.annotations?.runbook_url;
          const where = `${relative(root, file)}: ${r.alert}`;
          expect(url, where).toMatch(/\/runbooks\/[\w-]+\.md$/);
          expect(runbooks, where).toContain(url!.split('/').pop());
        }
      }
    }
  });
});
