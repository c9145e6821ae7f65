/**
 * Errors of environment files, printed as `file:line:col: path: message` (the format editors and
 * CI annotations understand, as in GCC's "GNU coding standards: Formatting Error Messages").
 */

export interface EnvironmentIssue {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Dotted path into the file (`apps.api.replicas`), empty for the document itself. */
  path: string;
  message: string;
}

export function formatIssue(i: EnvironmentIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

/** Thrown by the loaders; `message` holds every issue, one per line. The render CLI exits 2. */
export class EnvironmentError extends Error {
  readonly issues: EnvironmentIssue[];
  constructor(issues: EnvironmentIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'EnvironmentError';
    this.issues = issues;
  }
}

/** Dotted path with array indexes in brackets: `freezes[0].end`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
