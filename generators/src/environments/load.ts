/**
 * Loads environment files: YAML with source positions, the zod schema, and the cross-file
 * lineage rules. Every problem becomes `file:line:col: path: message`; all problems of all files
 * are reported at once (fixing one typo at a time is slow).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { dottedPath, EnvironmentError, type EnvironmentIssue } from './errors.js';
import { DNS1123_LABEL } from './fields.js';
import { lineageProblems } from './lineage.js';
import { locate } from './positions.js';
import { opsSettingsProblems } from './role-rules.js';
import { type Environment, environmentSchema } from './schema.js';
import { keysAt, nearest } from './suggest.js';
import { type EnvironmentWarning, environmentWarnings } from './warnings.js';

export interface LoadOptions {
  /** Paths in messages and in `Environment.file` are relative to this directory. Default: cwd. */
  root?: string;
  /**
   * Receives each warning (valid but probably wrong values, warnings.ts) of files that loaded
   * without errors, in file then line order. Default: warnings are not reported.
   */
  onWarning?: (warning: EnvironmentWarning) => void;
}

interface Parsed {
  env?: Environment;
  issues: EnvironmentIssue[];
  warnings: EnvironmentWarning[];
  at(path: readonly PropertyKey[]): { line: number; col: number };
}

function displayPath(file: string, root: string): string {
  const rel = relative(root, resolve(file));
  const shown = rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
  return shown.split(sep).join('/');
}

/** Environment name from the file name: `environments/prod.yaml` → `prod`. */
export function environmentName(file: string): string {
  return basename(file).replace(/\.yaml$/, '');
}

function issueFromZod(
  doc: Document,
  lc: LineCounter,
  file: string,
  issue: z.core.$ZodIssue,
): EnvironmentIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(environmentSchema, issue.path);
    return issue.keys.map((key) => {
      const hint = nearest(key, allowed);
      const where = locate(doc, lc, issue.path, key);
      return {
        file,
        ...where,
        path: dottedPath([...issue.path, key]),
        message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    });
  }
  return [{ file, ...locate(doc, lc, issue.path), path: dottedPath(issue.path), message: issue.message }];
}

/** Strips the yaml library's " at line N, column M:" suffix: the position is already in front. */
function yamlMessage(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * The yaml library's codes for a line that does not fit the nesting around it (yaml 2.9.1
 * src/errors.ts): its wording ("compact mappings", "implicit keys") names parser internals, so
 * the message says what to look at in the file.
 */
const NESTING_CODES = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);
const NESTING_HINT =
  ' (check the indentation here: keys of one mapping line up, nested keys are indented further; quote a value that contains ": ")';

/** One issue per position: the yaml library often reports two codes for one mistake. */
function yamlIssues(doc: Document, lc: LineCounter, shown: string): EnvironmentIssue[] {
  const seen = new Set<string>();
  const issues: EnvironmentIssue[] = [];
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
    const where = `${pos.line}:${pos.col}`;
    if (seen.has(where)) continue;
    seen.add(where);
    const hint = NESTING_CODES.has(e.code) ? NESTING_HINT : '';
    issues.push({
      file: shown,
      line: pos.line,
      col: pos.col,
      path: '',
      message: `malformed YAML: ${yamlMessage(e.message)}${hint}`,
    });
  }
  return issues;
}

async function parseFile(file: string, root: string): Promise<Parsed> {
  const shown = displayPath(file, root);
  const text = await readFile(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const at = (path: readonly PropertyKey[]) => locate(doc, lc, path);
  const name = environmentName(file);
  if (doc.errors.length > 0) {
    return { at, warnings: [], issues: yamlIssues(doc, lc, shown) };
  }
  const issues: EnvironmentIssue[] = [];
  if (!DNS1123_LABEL.test(name) || name.length > 40) {
    issues.push({
      file: shown,
      line: 1,
      col: 1,
      path: '',
      message: `environment name "${name}" (from the file name) must be a DNS-1123 label of at most 40 characters`,
    });
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      at,
      warnings: [],
      issues: [
        ...issues,
        { file: shown, ...at([]), path: '', message: 'an environment file is a YAML mapping' },
      ],
    };
  }
  const result = environmentSchema.safeParse(data);
  if (!result.success) {
    for (const zi of result.error.issues) issues.push(...issueFromZod(doc, lc, shown, zi));
  } else {
    // Rules of the environment's role (prod), on the text as loaded: the position helper reads
    // the same document, so an edited file in memory is reported as edited.
    for (const [path, message] of opsSettingsProblems(name, result.data)) {
      issues.push({ file: shown, ...at(path.split('.')), path, message });
    }
  }
  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  if (issues.length > 0 || !result.success) return { at, issues, warnings: [] };
  const warnings = environmentWarnings(result.data, doc, lc, text, shown);
  return { at, issues, warnings, env: { name, file: shown, ...result.data } };
}

/**
 * Loads and validates one environment file. Lineage (`promotesFrom`) is checked only by
 * `loadEnvironments`, which sees all files. Throws `EnvironmentError`.
 */
export async function loadEnvironment(file: string, options: LoadOptions = {}): Promise<Environment> {
  const parsed = await parseFile(file, options.root ?? process.cwd());
  if (!parsed.env) throw new EnvironmentError(parsed.issues);
  if (options.onWarning) parsed.warnings.forEach(options.onWarning);
  return parsed.env;
}

/** The `*.yaml` files of an environments directory, sorted by name. */
export async function environmentFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(dir, e.name))
    .sort();
}

/**
 * Loads every `*.yaml` in `dir` (sorted by name), validates each file and the lineage between
 * them. Throws one `EnvironmentError` listing every issue of every file.
 */
export async function loadEnvironments(dir: string, options: LoadOptions = {}): Promise<Environment[]> {
  const root = options.root ?? process.cwd();
  const files = await environmentFiles(dir);
  if (files.length === 0) {
    throw new EnvironmentError([
      {
        file: displayPath(dir, root),
        line: 1,
        col: 1,
        path: '',
        message: 'no environment files (*.yaml) found',
      },
    ]);
  }
  const parsed = await Promise.all(files.map((f) => parseFile(f, root)));
  const issues = parsed.flatMap((p) => p.issues);
  const upstream = new Map<string, string | undefined>();
  parsed.forEach((p, i) => {
    upstream.set(environmentName(files[i]!), p.env?.promotesFrom);
  });
  for (const problem of lineageProblems(upstream)) {
    const i = files.findIndex((f) => environmentName(f) === problem.env);
    issues.push({
      file: displayPath(files[i]!, root),
      ...parsed[i]!.at(['promotesFrom']),
      path: 'promotesFrom',
      message: problem.message,
    });
  }
  if (issues.length > 0) throw new EnvironmentError(issues);
  if (options.onWarning) for (const p of parsed) p.warnings.forEach(options.onWarning);
  return parsed.map((p) => p.env!);
}
