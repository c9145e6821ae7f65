/**
 * `npm run promote -- <app…|--all> --to <env> [--from <env>] [--branch NAME] [--dry-run]
 *  [--override lineage|soak|freeze|hold --reason "…" --ticket ID]`
 *
 * Copies the `release:` block of the apps from the source environment (default: the target's
 * `promotesFrom`), re-renders, runs the policy gate and commits. See docs/release.md.
 */
import { parseArgs } from 'node:util';
import { formatDuration } from '@payday/generators/environments';
import { type CliIo, isEntryPoint, processIo, runCli, UsageError } from '../commands/cli-io.js';
import { promote } from '../commands/promote.js';
import { shortDigest } from '../environments/snapshot.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { realPipeline } from '../pipeline/real-pipeline.js';

export const USAGE = `usage: npm run promote -- <app…|--all> --to <env> [--from <env>] [--branch NAME] [--dry-run]
                      [--override lineage|soak|freeze|hold --reason "why" --ticket ID]

  --to ENV         environment to promote into (required)
  --from ENV       source environment (default: the target's promotesFrom)
  --all            every app in the source's release block
  --branch NAME    commit on a new branch for a pull request instead of the current branch
  --dry-run        show the environment diff and the rendered summary; write nothing
  --override RULE  promote despite a rule (repeatable or comma-separated); needs --reason and --ticket
  --reason TEXT    why (lands in the Reason: trailer)
  --ticket ID      change ticket (lands in the Ticket: trailer)
`;

export async function main(
  argv: string[],
  io: CliIo = processIo,
  pipeline: Pipeline = realPipeline(),
): Promise<number> {
  return runCli('promote', USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        to: { type: 'string' },
        from: { type: 'string' },
        all: { type: 'boolean', default: false },
        branch: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        override: { type: 'string', multiple: true },
        reason: { type: 'string' },
        ticket: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (!values.to) throw new UsageError('--to <env> is required');
    if (values.all && positionals.length) throw new UsageError('name apps or pass --all, not both');
    if (!values.all && positionals.length === 0) throw new UsageError('name at least one app, or pass --all');
    const result = await promote({
      cwd: io.cwd,
      apps: positionals,
      all: values.all,
      from: values.from,
      to: values.to,
      branch: values.branch,
      dryRun: values['dry-run'],
      overrides: values.override,
      reason: values.reason,
      ticket: values.ticket,
      pipeline,
      log: (line) => io.err(`· ${line}\n`),
    });
    io.out(`${result.message.split('\n')[0]}\n`);
    for (const a of result.apps) {
      const soak =
        a.soakObservedMs === undefined ? '' : `  soak observed ${formatDuration(a.soakObservedMs)}`;
      const over = a.violations.length ? `  OVERRIDDEN: ${a.violations.map((v) => v.rule).join(', ')}` : '';
      io.out(
        `  ${a.app}: ${a.previousVersion ?? 'none'} → ${a.version}  ${shortDigest(a.image)}${soak}${over}\n`,
      );
    }
    if (result.dryRun) {
      io.out(
        `\n${result.diff}\n${result.renderSummary}\n\ndry run: nothing was written. The commit message would be:\n\n${result.message}`,
      );
      return 0;
    }
    io.out(`  gate: ${result.gate}\n  ${result.renderSummary.replace(/\n/g, '\n  ')}\n`);
    io.out(
      result.branch
        ? `committed ${result.commit!.slice(0, 12)} on new branch ${result.branch} (you are still on your branch)\n  → git push -u origin ${result.branch}, then open a pull request\n`
        : `committed ${result.commit!.slice(0, 12)}\n  → git push, and Argo CD syncs ${result.to}\n`,
    );
    if (result.apps.some((a) => a.violations.length))
      io.out(
        '  → the override counts once an approver (not you) runs npm run approve on this commit (docs/release.md, "Overrides need a second person")\n',
      );
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
