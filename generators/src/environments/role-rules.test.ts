import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderEnvironments } from '../render/render.js';
import { EnvironmentError } from './errors.js';
import { loadEnvironments } from './load.js';
import { opsSettingsProblems } from './role-rules.js';
import { opsSettingsSchema } from './sections/operations.js';

const root = join(import.meta.dirname, '../../..');
const prodText = readFileSync(join(root, 'environments/prod.yaml'), 'utf8');
const scratch: string[] = [];
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A repository-shaped scratch directory whose prod.yaml is `edit(prod.yaml)`. */
function withProd(edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'payday-role-rules-'));
  scratch.push(dir);
  cpSync(join(root, 'environments'), join(dir, 'environments'), { recursive: true });
  writeFileSync(join(dir, 'environments/prod.yaml'), edit(prodText));
  return dir;
}

/** 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

async function loadError(dir: string): Promise<string[]> {
  const error = await loadEnvironments(join(dir, 'environments'), { root: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EnvironmentError);
  return (error as Error).message.split('\n');
}

describe('prod rules on ops settings', () => {
  it('prod may not skip analysis, run fewer than 3 instances or go without backups', () => {
    const weak = opsSettingsSchema.parse({ analysis: { enabled: false } });
    expect(opsSettingsProblems('prod', weak)).toEqual([
      ['analysis.enabled', 'prod may not skip analysis'],
      ['database.instances', 'prod needs at least 3 instances'],
      ['database.backups.enabled', 'prod must archive WAL and back up'],
    ]);
    expect(opsSettingsProblems('dev', weak)).toEqual([]);
    const strong = opsSettingsSchema.parse({ database: { instances: 3, backups: { enabled: true } } });
    expect(opsSettingsProblems('prod', strong)).toEqual([]);
  });

  it('point at the line that breaks them, or at the top when the value is a default', async () => {
    const edited = (t: string) =>
      t.replace('analysis:\n', 'analysis:\n  enabled: false\n').replace('instances: 3 ', 'instances: 1 ');
    const text = edited(prodText);
    const lines = await loadError(withProd(edited));
    // Written in the file: the position of the offending value (the loader's one position helper).
    expect(lines).toEqual([
      `environments/prod.yaml:${lineOf(text, 'enabled: false')}:12: analysis.enabled: prod may not skip analysis`,
      `environments/prod.yaml:${lineOf(text, 'instances: 1')}:14: database.instances: prod needs at least 3 instances`,
    ]);
    // A default: the top of the document (its first key, after the leading comments), where the
    // missing section would go.
    const noDatabase = (t: string) => t.replace(/^database:\n(?: .*\n)+/m, '');
    const top = prodText.split('\n').findIndex((l) => l !== '' && !l.startsWith('#')) + 1;
    expect(await loadError(withProd(noDatabase))).toEqual([
      `environments/prod.yaml:${top}:1: database.instances: prod needs at least 3 instances`,
      `environments/prod.yaml:${top}:1: database.backups.enabled: prod must archive WAL and back up`,
    ]);
  });

  it('stop the render before anything is produced', async () => {
    const edited = (t: string) => t.replace('    enabled: true # WAL', '    enabled: false # WAL');
    const dir = withProd(edited);
    const line = lineOf(edited(prodText), 'enabled: false # WAL');
    await expect(renderEnvironments({ root: dir, only: ['prod'], validate: false })).rejects.toThrow(
      new RegExp(
        `^environments/prod\\.yaml:${line}:14: database\\.backups\\.enabled: prod must archive WAL and back up$`,
      ),
    );
    // Loading failed: nothing rendered, nothing written beside the environment files.
    expect(readdirSync(dir)).toEqual(['environments']);
  });
});
