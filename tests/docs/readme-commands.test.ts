/**
 * The README's and every app README's ```console blocks, run against the real platform
 * (docs/design/testing.md §Executable docs): `npm start` as a child process with its own
 * embedded PostgreSQL and free loopback ports, then each document's commands in one shell
 * session, so ids captured by one command are used by the next. Output is compared loosely.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleBlocks } from './console-blocks.js';
import { unmatched } from './loose-match.js';
import {
  DEFAULT_PORTS,
  freePorts,
  type Ports,
  REPO,
  type StartedPlatform,
  startPlatform,
} from './platform.js';
import { Shell } from './shell.js';

const DOCS = [
  'README.md',
  'apps/api/README.md',
  'apps/worker/README.md',
  'apps/frontend/README.md',
  'apps/db/README.md',
];

/**
 * The console blocks that do not run, by their first command: skipping one is a decision this
 * list records (each block's doc-test comment says why).
 */
const NOT_RUN: Record<string, string[]> = {
  'README.md': [
    'npm ci                 # install (the lockfile is committed)',
    'npm run render -- --check',
    'npm run render',
    'npm run promote -- api --to prod --dry-run',
  ],
};

let dataDir: string;
let ports: Ports;
let platform: StartedPlatform;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'payday-docs-'));
  ports = await freePorts();
  platform = startPlatform([], ports, dataDir);
  await platform.waitFor('Ctrl-C stops everything');
}, 180_000);

afterAll(async () => {
  if (platform && platform.child.exitCode === null) {
    platform.interrupt();
    await platform.exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** The documented defaults (ports, `.data/`) replaced by this run's own. */
function relocate(command: string): string {
  let out = command;
  for (const key of Object.keys(DEFAULT_PORTS) as (keyof Ports)[])
    out = out.replaceAll(`127.0.0.1:${DEFAULT_PORTS[key]}`, `127.0.0.1:${ports[key]}`);
  return out.replace(/(^|[\s'"(=])\.data\//g, `$1${dataDir}/`);
}

/** `# exit code N` among the expected lines, as docs/release.md writes it; 0 otherwise. */
function expectedExit(expected: string[]): number {
  const line = expected.find((l) => /^# exit code \d+$/.test(l.trim()));
  return line ? Number(line.trim().slice('# exit code '.length)) : 0;
}

describe.each(DOCS)('%s', (doc) => {
  const blocks = consoleBlocks(readFileSync(join(REPO, doc), 'utf8'), doc);

  it('runs every console block except the recorded ones, which say why', () => {
    const skipped = blocks.filter((b) => b.skip !== undefined);
    expect(skipped.map((b) => b.commands[0]?.command)).toEqual(NOT_RUN[doc] ?? []);
    for (const b of skipped) expect(b.skip).toMatch(/\w+ \w+/);
  });

  // A README without console blocks (apps/db) has nothing to run: no test, rather than a skipped one.
  const runnable = blocks.some((b) => b.skip === undefined && b.commands.length > 0);
  if (runnable)
    it('runs its console blocks, with the documented output', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, PAYDAY_DATA_DIR: dataDir, NO_COLOR: '1' };
      for (const [k, v] of Object.entries(ports)) env[k] = String(v);
      delete env.DATABASE_URL;
      const shell = new Shell(REPO, env);
      const failures: string[] = [];
      try {
        for (const block of blocks.filter((b) => b.skip === undefined)) {
          for (const c of block.commands) {
            // `npm start` runs until Ctrl-C: it is the platform this test started above.
            const result = /^npm start(\s|$)/.test(c.command.trim())
              ? { output: platform.output(), exitCode: 0 }
              : await shell.run(relocate(c.command), 90_000);
            const lines = c.expected.filter((l) => !/^# exit code \d+$/.test(l.trim())).map(relocate);
            const problems = [
              ...(result.exitCode === expectedExit(c.expected)
                ? []
                : [`exit code ${result.exitCode}, documented ${expectedExit(c.expected)}`]),
              ...unmatched(lines, result.output).map((m) => `no output line matches: ${m.line}`),
            ];
            if (problems.length > 0)
              failures.push(
                `${doc}:${c.line}: $ ${c.command}\n  ${problems.join('\n  ')}\n  --- output ---\n${result.output}`,
              );
          }
        }
      } finally {
        shell.close();
      }
      expect(failures).toEqual([]);
    }, 180_000);
});
