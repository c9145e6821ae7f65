/**
 * Every `§` citation in the repository's source and docs resolves to a heading that exists, and
 * none points outside the repository (docs/design/README.md explains the citation form).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCitations, docReader, headings } from './citations.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Files a reader of the source reads: tracked or new, not ignored, not generated. */
function sourceFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out
    .split('\0')
    .filter((f) => f !== '')
    .filter((f) => /\.(ts|tsx|js|mjs|md|ya?ml|sh|sql|json)$|(^|\/)CODEOWNERS$/.test(f))
    .filter(
      (f) =>
        // Rendered output and recorded results are generated; the lockfile is npm's.
        !f.startsWith('gitops/') &&
        !f.startsWith('bench/results/') &&
        f !== 'package-lock.json' &&
        // The checker and its tests quote bad citations on purpose.
        !f.startsWith('tests/citations.'),
    );
}

describe('citations in the repository', () => {
  it('resolve to a heading of a repository document, and none points outside it', () => {
    const read = docReader(root);
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const problems = files.flatMap((f) => {
      let text: string;
      try {
        text = readFileSync(join(root, f), 'utf8');
      } catch {
        return []; // deleted in the working tree but still in the index
      }
      return checkCitations(f, text, read);
    });
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
  });
});

describe('checkCitations', () => {
  const docs: Record<string, string> = {
    'docs/design/rendering.md': '# Rendering\n\n## Deterministic output\n\n```\n## not a heading\n```\n',
  };
  const read = (p: string) => docs[p];

  it('accepts a repository heading, a Markdown link to one, and a named specification', () => {
    const text = [
      '// byte-identical (docs/design/rendering.md §Deterministic output).',
      'See [rendering](rendering.md) §Deterministic output.',
      '// 303 See Other (RFC 9110 §15.4.4), precedence (semver 2.0.0 §11).',
    ].join('\n');
    expect(checkCitations('docs/design/other.md', text, read)).toEqual([]);
  });

  it('names the line of a heading that does not exist, with the headings there are', () => {
    expect(checkCitations('a.ts', 'x\n// docs/design/rendering.md §Deterministic layout', read)).toEqual([
      {
        file: 'a.ts',
        line: 2,
        message:
          'cites docs/design/rendering.md §Deterministic layout: no such heading (headings: Rendering · Deterministic output)',
      },
    ]);
  });

  it('refuses a heading that only prefixes a longer word, and a file that is not there', () => {
    const problems = checkCitations(
      'a.ts',
      '// docs/design/rendering.md §Deterministic outputs\n// docs/design/gone.md §Anything',
      read,
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('§Deterministic outputs: no such heading'),
      'cites docs/design/gone.md, which is not a Markdown file in the repository',
    ]);
  });

  it('refuses citations of documents outside the repository, and a bare section sign', () => {
    const text = [
      '// (DESIGN §4)',
      '// (semantics digest §11)',
      '// see ../shared/reference/payments-and-reliability.md',
      '// (issue 8)',
      '// precedence per §11 of the spec',
    ].join('\n');
    expect(checkCitations('a.ts', text, read).map((p) => `${p.line}: ${p.message}`)).toEqual([
      '1: cites the DESIGN blueprint ("DESIGN §"), which is not in the repository',
      '1: "§4)" names no document: write "docs/…/file.md §Heading" or the specification',
      '2: cites a reference digest ("digest §"), which is not in the repository',
      '2: "§11)" names no document: write "docs/…/file.md §Heading" or the specification',
      '3: cites a reference digest ("payments-and-reliability"), which is not in the repository',
      '3: cites notes in ../shared ("../shared/reference"), which is not in the repository',
      '4: cites a tracker issue by number ("issue 8"), which is not in the repository',
      '5: "§11 of the spec" names no document: write "docs/…/file.md §Heading" or the specification',
    ]);
  });

  it('reads headings outside fenced code only', () => {
    expect(headings(docs['docs/design/rendering.md']!)).toEqual(['Rendering', 'Deterministic output']);
  });
});
