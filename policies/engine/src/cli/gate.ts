#!/usr/bin/env tsx
/**
 * `npm run gate [-- --format table|json|junit|markdown] [--env NAME…] [--gitops DIR] [--policies DIR]`:
 * every policy against every rendered object of every environment of the committed gitops/.
 * Exit 0 pass, 1 a Deny failure (or an invalid PolicyException), 2 fail closed (a policy that
 * does not compile, an expression that errors, a kind that cannot be mapped, unreadable input).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatJson, formatJunit, formatMarkdown, formatTable } from '../gate/format.js';
import { runGate } from '../gate/gate.js';
import { readGitopsTree } from '../gate/gitops-tree.js';

const FORMATS = {
  table: formatTable,
  json: formatJson,
  junit: formatJunit,
  markdown: formatMarkdown,
} as const;
const ROOT = resolve(import.meta.dirname, '../../../..');

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export function main(argv: string[], io: CliIo = processIo): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', short: 'f', default: 'table' },
      env: { type: 'string', multiple: true },
      gitops: { type: 'string', default: resolve(ROOT, 'gitops') },
      policies: { type: 'string', default: resolve(ROOT, 'policies') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(
      'usage: npm run gate -- [--format table|json|junit|markdown] [--env NAME…] [--gitops DIR] [--policies DIR]\n',
    );
    return 0;
  }
  const format = FORMATS[values.format as keyof typeof FORMATS];
  if (!format) {
    io.stderr(`unknown --format ${values.format} (table, json, junit or markdown)\n`);
    return 2;
  }
  if (!existsSync(values.gitops)) {
    io.stderr(`error: ${values.gitops} does not exist; run npm run render first\n`);
    return 2;
  }
  try {
    let envs = readGitopsTree(values.gitops);
    if (values.env?.length) {
      const unknown = values.env.filter((e) => !envs.some((x) => x.name === e));
      if (unknown.length) {
        io.stderr(`error: no rendered environment ${unknown.join(', ')} under ${values.gitops}\n`);
        return 2;
      }
      envs = envs.filter((e) => values.env!.includes(e.name));
    }
    if (values.format === 'table') {
      const count = envs.reduce((n, e) => n + e.objects.length, 0);
      io.stderr(`gate: ${count} objects in ${envs.length} environments…\n`);
    }
    const report = runGate(envs, { policiesDir: values.policies });
    io.stdout(format(report));
    return report.exitCode;
  } catch (err) {
    io.stderr(`gate error (fail closed): ${(err as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1]?.endsWith('/cli/gate.ts')) process.exitCode = main(process.argv.slice(2));
