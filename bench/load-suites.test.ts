import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSuites, SUITES_DIR, suiteNames, UnknownSuiteError } from './load-suites.js';

const SUITE = (name: string) =>
  `export default { name: ${JSON.stringify(name)}, description: 'd', run: async () => [] };\n`;

describe('loadSuites', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  async function suitesDir(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'bench-suites-'));
    dirs.push(dir);
    for (const [f, text] of Object.entries(files)) await writeFile(join(dir, f), text);
    return dir;
  }

  it('loads every suite in bench/suites, each named after its file', async () => {
    const names = await suiteNames();
    expect(names).toEqual(
      expect.arrayContaining(['api', 'frontend', 'gate', 'history', 'queue-peers', 'render', 'worker']),
    );
    const suites = await loadSuites([], SUITES_DIR);
    expect(suites.map((s) => s.name)).toEqual(names);
    for (const s of suites) expect(s.description.length, s.name).toBeGreaterThan(0);
  }, 120_000);

  it('keeps the order asked for and drops repeats', async () => {
    const dir = await suitesDir({ 'a.ts': SUITE('a'), 'b.ts': SUITE('b'), 'b.test.ts': '' });
    expect(await suiteNames(dir)).toEqual(['a', 'b']);
    expect((await loadSuites(['b', 'a', 'b'], dir)).map((s) => s.name)).toEqual(['b', 'a']);
  });

  it('names every unknown suite and the known ones', async () => {
    const dir = await suitesDir({ 'a.ts': SUITE('a'), 'b.ts': SUITE('b') });
    await expect(loadSuites(['x', 'a', 'y'], dir)).rejects.toThrow(
      new UnknownSuiteError('unknown bench suites: x, y (known: a, b)'),
    );
  });

  it('refuses a file whose suite has another name, or no suite at all', async () => {
    const dir = await suitesDir({ 'a.ts': SUITE('b'), 'c.ts': 'export const x = 1;\n' });
    await expect(loadSuites(['a'], dir)).rejects.toThrow(
      'bench/suites/a.ts exports a suite named "b"; name the file after the suite',
    );
    await expect(loadSuites(['c'], dir)).rejects.toThrow(
      'bench/suites/c.ts must export default a BenchSuite',
    );
  });
});
