/**
 * Turns `opsSettingsProblems` into the loader's error format (`file:line:col: path: message`,
 * exit 2, nothing written), pointing at the offending key when the file sets it and at its
 * nearest written parent (or the top of the file) when the value is a default.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { EnvironmentError, type EnvironmentIssue } from '../environments/errors.js';
import type { Environment } from '../environments/schema.js';
import { type OpsSettings, opsSettingsProblems } from './settings.js';

function position(text: string | undefined, path: string): { line: number; col: number } {
  if (text === undefined) return { line: 1, col: 1 };
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: unknown = doc.contents;
  let found = { line: 1, col: 1 };
  for (const key of path.split('.')) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (!pair || !range) break;
    found = lc.linePos(range[0]);
    node = pair.value;
  }
  return found;
}

/** Throws an EnvironmentError when the environment breaks a rule of its role (prod). */
export function assertOpsSettings(env: Environment, settings: OpsSettings, root: string): void {
  const problems = opsSettingsProblems(env.name, settings);
  if (problems.length === 0) return;
  const file = isAbsolute(env.file) ? env.file : join(root, env.file);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const issues: EnvironmentIssue[] = problems.map(([path, message]) => ({
    file: env.file,
    ...position(text, path),
    path,
    message,
  }));
  throw new EnvironmentError(issues);
}
