/**
 * Section citations in source and docs must resolve inside the repository, because a reader of
 * a clone has nothing else (docs/design/README.md). Two checks over one file's text:
 *
 * - every `§` follows either a repository Markdown file (`docs/design/rendering.md §Heading`,
 *   or a Markdown link `[x](rendering.md) §Heading`) whose heading starts the rest of the line,
 *   or a named upstream specification (`RFC 9110 §15.4.4`, `semver 2.0.0 §11`, `YAML 1.2.2 §7.3.3`, `ECMA-262 §21.4.1`, …);
 * - no citation of documents that are not in the repository (the old blueprint, reference
 *   digests, tracker issues by number, a sibling `../shared/` folder's notes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface CitationProblem {
  file: string;
  line: number;
  message: string;
}

/** Specifications cited by section number: the name must sit right before the `§`. */
const UPSTREAM_SPEC =
  /(?:RFC \d+|RFC 6265bis|draft-ietf-[a-z0-9-]+|semver 2\.0\.0|YAML 1\.2(?:\.2)?|ECMA-262|PostgreSQL \d+ documentation),? $/;

/** Documents outside the repository that citations used to point at. */
const OUTSIDE: { pattern: RegExp; what: string }[] = [
  { pattern: /\bDESIGN(?:\.md)?\s*§/, what: 'the DESIGN blueprint' },
  { pattern: /\bdigest\s*§/i, what: 'a reference digest' },
  { pattern: /\breference\s*§/, what: 'a reference digest' },
  { pattern: /argo-conventions|kyverno-semantics|payments-and-reliability/, what: 'a reference digest' },
  { pattern: /\.\.\/shared\/(?:DESIGN|reference)/, what: 'notes in ../shared' },
  { pattern: /\b[Ii]ssue \d+\b/, what: 'a tracker issue by number' },
  { pattern: /\bteam BRIEF\b/, what: 'a team briefing' },
];

/** `## Heading` lines of a Markdown file, outside fenced code blocks. */
export function headings(markdown: string): string[] {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1];
      else if (f[1]!.startsWith(fence[0]!) && f[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const h = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) out.push(h[1]!);
  }
  return out;
}

/** The Markdown file a `§` cites, if the text right before it names one. */
function citedFile(before: string): { path: string; fromFile: boolean } | undefined {
  const link = /\[[^\]]*\]\(([^)#\s]+\.md)\) $/.exec(before);
  if (link) return { path: link[1]!, fromFile: true };
  const plain = /(?:^|[\s(`'"])([\w./-]*\w\.md)`? $/.exec(before);
  if (plain) return { path: plain[1]!, fromFile: false };
  return undefined;
}

/**
 * Problems in one file. `root` is the repository; `file` is relative to it; `readDoc` reads a
 * repository Markdown file (relative path) or returns undefined when there is none.
 */
export function checkCitations(
  file: string,
  text: string,
  readDoc: (path: string) => string | undefined,
): CitationProblem[] {
  const problems: CitationProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = (message: string) => problems.push({ file, line: i + 1, message });
    for (const { pattern, what } of OUTSIDE) {
      const m = pattern.exec(line);
      if (m) at(`cites ${what} ("${m[0]}"), which is not in the repository`);
    }
    for (let k = line.indexOf('§'); k !== -1; k = line.indexOf('§', k + 1)) {
      const before = line.slice(0, k);
      const after = line.slice(k + 1);
      if (UPSTREAM_SPEC.test(before)) continue;
      const cited = citedFile(before);
      if (!cited) {
        at(
          `"§${after.slice(0, 30)}" names no document: write "docs/…/file.md §Heading" or the specification`,
        );
        continue;
      }
      const candidates = cited.fromFile
        ? [normalize(join(dirname(file), cited.path))]
        : [normalize(cited.path), normalize(join(dirname(file), cited.path))];
      const target = candidates.find((c) => readDoc(c) !== undefined);
      if (!target) {
        at(`cites ${cited.path}, which is not a Markdown file in the repository`);
        continue;
      }
      const hs = headings(readDoc(target)!);
      const ok = hs.some((h) => after.startsWith(h) && !/^\w/.test(after.slice(h.length)));
      if (!ok)
        at(`cites ${target} §${after.trim().slice(0, 40)}: no such heading (headings: ${hs.join(' · ')})`);
    }
  });
  return problems;
}

/** A reader of repository Markdown files, relative to `root`. */
export function docReader(root: string): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (!cache.has(path)) {
      const full = join(root, path);
      cache.set(path, path.endsWith('.md') && existsSync(full) ? readFileSync(full, 'utf8') : undefined);
    }
    return cache.get(path);
  };
}
