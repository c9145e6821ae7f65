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

function main(argv: string[]): number {
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
    process.stdout.write(
      'usage: npm run gate -- [--format table|json|junit|markdown] [--env NAME…] [--gitops DIR] [--policies DIR]\n',
    );
    return 0;
  }
  const format = FORMATS[values.format as keyof typeof FORMATS];
  if (!format) {
    process.stderr.write(`unknown --format ${values.format} (table, json, junit or markdown)\n`);
    return 2;
  }
  if (!existsSync(values.gitops)) {
    process.stderr.write(`error: ${values.gitops} does not exist; run npm run render first\n`);
    return 2;
  }
  try {
    let envs = readGitopsTree(values.gitops);
    if (values.env?.length) {
      const unknown = values.env.filter((e) => !envs.some((x) => x.name === e));
      if (unknown.length) {
        process.stderr.write(`error: no rendered environment ${unknown.join(', ')} under ${values.gitops}\n`);
        return 2;
      }
      envs = envs.filter((e) => values.env!.includes(e.name));
    }
    if (values.format === 'table') {
      const count = envs.reduce((n, e) => n + e.objects.length, 0);
      process.stderr.write(`gate: ${count} objects in ${envs.length} environments…\n`);
    }
    const report = runGate(envs, { policiesDir: values.policies });
    process.stdout.write(format(report));
    return report.exitCode;
  } catch (err) {
    process.stderr.write(`gate error (fail closed): ${(err as Error).message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
