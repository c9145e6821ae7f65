/**
 * The package boundaries hold on the real repository, and the check fails on a tiny repository
 * that crosses each of them (tests/import-boundaries.ts says what the boundaries are).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importBoundaryViolations, type LayerRule } from './import-boundaries.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The environment loader sits below everything it feeds (docs/design/architecture.md §Conventions). */
const LAYERS: LayerRule[] = [
  {
    from: 'generators/src/environments/',
    above: [
      'generators/src/charts/',
      'generators/src/render/',
      'generators/src/cost/',
      'generators/src/validate/',
      'generators/src/cli/',
    ],
    why: 'the environment loader sits below everything it feeds',
  },
];

describe('import boundaries of this repository', () => {
  it('crosses no boundary', async () => {
    expect(await importBoundaryViolations(root, LAYERS)).toEqual([]);
  });
});

describe('the import-boundary check on a repository that crosses each boundary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'payday-boundaries-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const pkg = (name: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ name, type: 'module', exports: { '.': './src/index.ts' }, ...extra });

  write('package.json', JSON.stringify({ name: 'fx', workspaces: ['core', 'app', 'loose'] }));
  write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  // core: a clean package whose two folders import each other, and two files that do too.
  write('core/package.json', pkg('@fx/core', { devDependencies: { '@fx/loose': '0.0.0' } }));
  // ...and, through a declared dev dependency, closes a cycle of packages: core → loose → app → core.
  write('core/src/loose.ts', "import { loose } from '@fx/loose';\nexport const again = loose;\n");
  write('core/src/index.ts', "export { a } from './a/a.js';\n");
  write('core/src/a/a.ts', "import { b } from '../b/b.js';\nexport const a = (): number => b() + 1;\n");
  write('core/src/b/b.ts', "import { a } from '../a/a.js';\nexport const b = (): number => (a ? 1 : 0);\n");
  write('core/src/b/internal.ts', 'export const secret = 42;\n');
  // app declares core, then reaches past its exports and into its folder.
  write('app/package.json', pkg('@fx/app', { dependencies: { '@fx/core': '0.0.0' } }));
  write(
    'app/src/index.ts',
    [
      "import { a } from '@fx/core';",
      "import { secret } from '../../core/src/b/internal.js';",
      "import { hidden } from '@fx/core/src/b/internal.ts';",
      'export const app = a() + secret + hidden;',
      '',
    ].join('\n'),
  );
  // loose imports app without declaring it; app's environments folder imports upward.
  write('loose/package.json', pkg('@fx/loose'));
  write(
    'loose/src/index.ts',
    "import { app } from '@fx/app';\nimport pad from 'leftpad';\nexport const loose = pad(app);\n",
  );
  // ...and a registry package nobody declares.
  write('node_modules/leftpad/package.json', JSON.stringify({ name: 'leftpad', main: 'index.js' }));
  write('node_modules/leftpad/index.js', 'export default (x) => x;\n');
  write('app/src/environments/load.ts', "import { app } from '../index.js';\nexport const load = app;\n");
  mkdirSync(join(dir, 'node_modules', '@fx'), { recursive: true });
  for (const [name, target] of [
    ['core', 'core'],
    ['app', 'app'],
    ['loose', 'loose'],
  ])
    symlinkSync(join(dir, target!), join(dir, 'node_modules', '@fx', name!), 'dir');

  it('names each crossing in one line', async () => {
    const layers: LayerRule[] = [
      { from: 'app/src/environments/', above: ['app/src/index.ts'], why: 'test layer' },
    ];
    expect(await importBoundaryViolations(dir, layers)).toEqual([
      'file cycle: core/src/a/a.ts <-> core/src/b/b.ts',
      'folder cycle: core/src/a <-> core/src/b',
      'not exported: app/src/index.ts imports @fx/core/src/b/internal.ts, a subpath core/package.json "exports" does not list',
      'package cycle: @fx/app <-> @fx/core <-> @fx/loose',
      'relative import into another workspace: app/src/index.ts imports ../../core/src/b/internal.js (core/src/b/internal.ts); import it as @fx/core through its exports',
      'undeclared dependency: loose/src/index.ts imports leftpad, but loose/package.json does not declare leftpad',
      'undeclared workspace dependency: loose/src/index.ts imports @fx/app, but loose/package.json does not declare @fx/app',
      'upward import: app/src/environments/load.ts imports app/src/index.ts (app/src/environments/ must not import app/src/index.ts: test layer)',
    ]);
  });
});
