/**
 * `npm run rollback -- <app> --env <env> --reason "…" [--to <version|rev>] [--ticket ID]
 *  [--branch NAME] [--dry-run]`
 *
 * Restores the previous (or the named) release of one app from the environment file's history
 * as a new commit, and holds the rolled-back digest. See docs/release.md.
 */
import { parseArgs } from 'node:util';
import { type CliIo, isEntryPoint, processIo, runCli, UsageError } from '../commands/cli-io.js';
import { rollback } from '../commands/rollback.js';
import { shortDigest } from '../environments/snapshot.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { realPipeline } from '../pipeline/real-pipeline.js';

export const USAGE = `usage: npm run rollback -- <app> --env <env> --reason "why" [--to <version|rev>] [--ticket ID]
                       [--branch NAME] [--dry-run]

  --env ENV        environment to roll back (required)
  --reason TEXT    what went wrong (required; lands in the Reason: trailer and the hold)
  --to VERSION|REV a version the environment ran, or a git revision (default: the previous release)
  --ticket ID      incident ticket
  --branch NAME    commit on a new branch for a pull request
  --dry-run        show what would change; write nothing
`;

export async function main(
  argv: string[],
  io: CliIo = processIo,
  pipeline: Pipeline = realPipeline(),
): Promise<number> {
  return runCli('rollback', USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        env: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        ticket: { type: 'string' },
        branch: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('name exactly one app');
    if (!values.env) throw new UsageError('--env <env> is required');
    const r = await rollback({
      cwd: io.cwd,
      app: positionals[0]!,
      env: values.env,
      to: values.to,
      reason: values.reason,
      ticket: values.ticket,
      branch: values.branch,
      dryRun: values['dry-run'],
      pipeline,
      log: (line) => io.err(`· ${line}\n`),
    });
    io.out(`${r.message.split('\n')[0]}\n`);
    io.out(
      `  ${r.app}: ${r.fromVersion} ${shortDigest(r.fromImage)} → ${r.toVersion} ${shortDigest(r.toImage)}\n`,
    );
    io.out(
      `  rolls back ${r.rollbackOf.slice(0, 12)}; holds ${shortDigest(r.fromImage)} until a later promotion of ${r.app}\n`,
    );
    if (values['dry-run']) {
      io.out(
        `\n${r.diff}\n${r.renderSummary}\n\ndry run: nothing was written. The commit message would be:\n\n${r.message}`,
      );
      return 0;
    }
    io.out(`  gate: ${r.gate}\n  ${r.renderSummary.replace(/\n/g, '\n  ')}\n`);
    io.out(
      `committed ${r.commit!.slice(0, 12)}${values.branch ? ` on new branch ${values.branch}` : ''}\n  → git push; Argo CD syncs ${r.env}\n`,
    );
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
