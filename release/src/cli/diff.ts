/**
 * `npm run diff -- <envA> <envB> [--format text|json] [--no-render]`
 *
 * What differs between two environments: the `release:` block (what promoting A into B would
 * change), the settings pinned to each, and the rendered objects. See docs/release.md.
 */
import { parseArgs } from 'node:util';
import { type CliIo, isEntryPoint, processIo, runCli, UsageError } from '../commands/cli-io.js';
import { diffEnvironments, formatEnvironmentDiff } from '../commands/env-diff.js';
import { environmentNames, requireEnvironment } from '../commands/preflight.js';
import { repoRoot } from '../git/git.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { realPipeline } from '../pipeline/real-pipeline.js';

export const USAGE = `usage: npm run diff -- <envA> <envB> [--format text|json] [--no-render]

  Compares the release blocks, the pinned settings and the rendered objects of two environments.
  --no-render   skip rendering (release and settings only)
`;

export async function main(
  argv: string[],
  io: CliIo = processIo,
  pipeline: Pipeline = realPipeline(),
): Promise<number> {
  return runCli('diff', USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'no-render': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length !== 2)
      throw new UsageError('name two environments, e.g. npm run diff -- staging prod');
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError(`--format must be text or json (got "${values.format}")`);
    const root = await repoRoot(io.cwd);
    const known = await environmentNames(root);
    const [a, b] = positionals as [string, string];
    requireEnvironment(a, known, 'first');
    requireEnvironment(b, known, 'second');
    const d = await diffEnvironments(root, a, b, values['no-render'] ? undefined : pipeline);
    io.out(values.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : formatEnvironmentDiff(d));
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
