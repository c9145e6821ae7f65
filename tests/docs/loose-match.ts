/**
 * Loose comparison of documented output with real output
 * (docs/design/testing.md §Executable docs): each non-empty expected line must match an output line, in order; output may have more
 * lines. Within a line, `…` matches anything, and values that differ from run to run match any
 * value of their shape: numbers, ids and generated secrets, ISO timestamps, absolute paths.
 * Runs of spaces match any run of spaces (column padding follows the widest value).
 */

const PIECES: { pattern: RegExp; regex: string; anywhere?: boolean }[] = [
  { pattern: /^…/, regex: '.*?', anywhere: true },
  { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/, regex: '\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z' },
  // Absolute paths of a machine (data folders, checkouts).
  { pattern: /^\/(?:work|home|tmp|root|Users|var)\/[^\s)]*/, regex: '/[^\\s)]*' },
  // Ids, keys and generated passwords: letters and digits mixed, at least 8 characters.
  { pattern: /^(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{8,}/, regex: '[\\w-]+' },
  { pattern: /^\d+(?:\.\d+)?/, regex: '\\d+(?:\\.\\d+)?' },
  { pattern: /^ +/, regex: ' +', anywhere: true },
];

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The regular expression one documented line stands for. */
export function lineRegex(expected: string): RegExp {
  let out = '';
  let rest = expected.trim();
  let word = false; // a token may only start at a word boundary
  while (rest !== '') {
    // `…` and spaces may stand anywhere; a value only where a word starts (not inside `abc123`).
    const piece = PIECES.find((p) => (!word || p.anywhere) && p.pattern.test(rest));
    if (piece) {
      const m = piece.pattern.exec(rest)!;
      out += piece.regex;
      rest = rest.slice(m[0].length);
      word = /\w$/.test(m[0]);
      continue;
    }
    out += escapeRegex(rest[0]!);
    word = /\w/.test(rest[0]!);
    rest = rest.slice(1);
  }
  return new RegExp(`^${out}$`);
}

/** Expected lines that found no output line (after the previous match), with their index. */
export function unmatched(expected: string[], output: string): { index: number; line: string }[] {
  const actual = output.split('\n').map((l) => l.trim());
  const missing: { index: number; line: string }[] = [];
  let at = 0;
  expected.forEach((line, index) => {
    if (line.trim() === '') return;
    const re = lineRegex(line);
    const found = actual.findIndex((a, k) => k >= at && re.test(a));
    if (found === -1) missing.push({ index, line });
    else at = found + 1;
  });
  return missing;
}
