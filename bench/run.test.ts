/**
 * The harness's failure paths, with stand-in suites in a temporary directory: a suite that
 * throws, one that returns nothing, one that hangs with a child process running (the time limit
 * ends it and skips the rest), and healthy ones around them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from './report.js';
import { parseOptions } from './run.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

const measurement = `{ metric: 'x.value', unit: 'ms', ours: { median: 1, min: 1, max: 1, samples: [1] } }`;
const suite = (name: string, body: string) =>
  `export default { name: '${name}', description: '${name} stand-in', async run(ctx) { ${body} } };\n`;

describe('bench/run.ts', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-run-test-'));
    await writeFile(join(dir, 'ok.ts'), suite('ok', `ctx.progress('working'); return [${measurement}];`));
    await writeFile(join(dir, 'boom.ts'), suite('boom', `throw new Error('boom: the server refused');`));
    await writeFile(join(dir, 'empty.ts'), suite('empty', 'return [];'));
    await writeFile(
      join(dir, 'hang.ts'),
      `import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\n${suite(
        'hang',
        `const child = spawn('sleep', ['120'], { stdio: 'ignore' });
         writeFileSync(${JSON.stringify(join(dir, 'hang.pid'))}, String(child.pid));
         return new Promise(() => {});`,
      )}`,
    );
    await writeFile(join(dir, 'after.ts'), suite('after', `return [${measurement}];`));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records failures, ends a suite at its time limit with what it started, and skips the rest', async () => {
    const json = join(dir, 'out.json');
    const args = ['--import', 'tsx', 'bench/run.ts', '--quick', '--suites-dir', dir, '--json', json];
    const err = (await run(
      process.execPath,
      [...args, '--suite-minutes', '0.05', 'ok', 'boom', 'empty', 'hang', 'after'],
      {
        cwd: ROOT,
      },
    ).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(err.code).toBe(1);
    const doc = JSON.parse(await readFile(json, 'utf8')) as ResultsDocument;
    const byName = Object.fromEntries(doc.results.map((r) => [r.suite, r]));
    expect(byName.ok!.measurements).toHaveLength(1);
    expect(byName.ok!.error).toBeUndefined();
    expect(byName.boom!.error).toContain('boom: the server refused');
    expect(byName.empty!.error).toContain('returned no measurements');
    expect(byName.hang!.error).toBe('exceeded its time limit of 0.05 min (--suite-minutes)');
    expect(byName.after!.error).toBe('not run: hang ran out of time and may still be busy');
    expect(doc.summary.failed).toEqual(['boom', 'empty', 'hang', 'after']);
    // None of the stand-ins pins its servers, so the file must not name cores, whatever the machine.
    expect(doc.pinning).toMatch(/^not pinned: /);
    expect(err.stderr).toMatch(
      /^bench: 5 suite\(s\) \[ok, boom, empty, hang, after\], quick smoke run, not pinned: /m,
    );
    // Other work during the run is measured (bench/other-cpu.ts) and recorded in cores.
    expect(doc.otherCores).toEqual(expect.any(Number));
    expect(err.stdout).toContain('Suites that failed (no figures): boom, empty, hang, after.');
    expect(err.stderr).toContain('  · ok +');
    expect(err.stderr).toContain('✗ hang failed after');
    // The child the hung suite spawned was ended with it.
    const pid = Number(await readFile(join(dir, 'hang.pid'), 'utf8'));
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  }, 120_000);
});

describe('parseOptions', () => {
  it('defaults to 3 rounds, writing, pinning and a 20-minute limit; quick means 1 round and no file', () => {
    expect(parseOptions([])).toEqual({
      names: [],
      quick: false,
      rounds: 3,
      write: true,
      readme: false,
      pin: true,
      suiteMinutes: 20,
    });
    expect(parseOptions(['--quick', 'gate'])).toEqual({
      names: ['gate'],
      quick: true,
      rounds: 1,
      write: false,
      readme: false,
      pin: true,
      suiteMinutes: 3,
    });
    expect(parseOptions(['--no-write', '--no-pin', '--rounds', '5', '--json', 'x.json'])).toMatchObject({
      rounds: 5,
      write: false,
      pin: false,
      json: 'x.json',
    });
  });

  it('refuses bad values with the reason', () => {
    expect(() => parseOptions(['--rounds', 'two'])).toThrow('--rounds must be a positive integer, got "two"');
    expect(() => parseOptions(['--rounds', '2'])).toThrow('--rounds must be at least 3 outside --quick');
    expect(() => parseOptions(['--suite-minutes', '0'])).toThrow(
      '--suite-minutes must be a positive number, got "0"',
    );
    expect(() => parseOptions(['--quick', '--readme'])).toThrow('--readme needs a results file to link');
    expect(() => parseOptions(['--fast'])).toThrow("Unknown option '--fast'");
  });
});
