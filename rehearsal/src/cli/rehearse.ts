#!/usr/bin/env tsx
/**
 * `npm run rehearse [-- --env NAME…] [--plan] [--format text|json] [--gitops DIR]`: the cluster
 * rehearsal (docs/rehearsal.md) over the committed gitops/ tree. `--plan` also prints each
 * scenario's sync plan, in the order Argo CD applies it (docs/rehearsal.md §Sync plan). Exit 0
 * no error findings, 1 error findings, 2 bad usage or unreadable input.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GitopsLoadError, readGitopsDir } from '../load/gitops-dir.js';
import type { RehearsalCheck } from '../model.js';
import { rehearse } from '../rehearse.js';
import { formatJson, formatText } from '../report/text.js';
import { formatPlan } from '../sync-plan/format.js';
import { buildPlan } from '../sync-plan/plan.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const USAGE = 'usage: npm run rehearse -- [--env NAME]… [--plan] [--format text|json] [--gitops DIR]';
const processIo: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/**
 * `checks` replaces CHECKS: the caller that owns inputs the rehearsal cannot import (the flow
 * matrix of generators/src/catalogue/flows.ts) configures the checks that need them.
 */
export function main(argv: string[], io: CliIo = processIo, checks?: readonly RehearsalCheck[]): number {
  let values: { env?: string[]; format?: string; gitops?: string; plan?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string', multiple: true },
        format: { type: 'string', default: 'text' },
        plan: { type: 'boolean', default: false },
        gitops: { type: 'string', default: resolve(ROOT, 'gitops') },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    io.stderr(`unknown --format ${values.format} (text or json)\n`);
    return 2;
  }
  const gitops = values.gitops!;
  if (!existsSync(gitops)) {
    io.stderr(`rehearse: ${gitops} does not exist; run npm run render first\n`);
    return 2;
  }
  let inputs: ReturnType<typeof readGitopsDir>;
  try {
    inputs = readGitopsDir(gitops);
  } catch (err) {
    if (!(err instanceof GitopsLoadError)) throw err;
    io.stderr(`rehearse: ${err.message}\n`);
    return 2;
  }
  const known = [...new Set(inputs.flatMap((i) => (i.environment ? [i.environment] : [])))].sort();
  const unknown = (values.env ?? []).filter((e) => !known.includes(e));
  if (unknown.length) {
    io.stderr(`rehearse: no rendered environment ${unknown.join(', ')} (known: ${known.join(', ')})\n`);
    return 2;
  }
  const progress = values.format === 'text' ? (m: string) => io.stderr(`rehearse: ${m}\n`) : undefined;
  const result = rehearse(inputs, {
    ...(values.env ? { only: values.env } : {}),
    ...(progress ? { progress } : {}),
    ...(checks ? { checks } : {}),
  });
  if (values.plan && values.format === 'text')
    for (const scenario of result.scenarios) io.stdout(`${formatPlan(buildPlan(scenario))}\n`);
  io.stdout(values.format === 'json' ? formatJson(result) : formatText(result));
  return result.passed ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2));
