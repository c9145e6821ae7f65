/**
 * `npm run approve -- --key ~/.ssh/id_ed25519 [--as PRINCIPAL] [--dry-run]`
 *
 * Signs the approval of the override recorded by HEAD and adds it to HEAD's message
 * (`Approved-By:`, `Approval:`). Run by an approver who is not the author. See docs/release.md.
 */
import { parseArgs } from 'node:util';
import { approve } from '../commands/approve.js';
import { type CliIo, isEntryPoint, processIo, runCli, UsageError } from '../commands/cli-io.js';

export const USAGE = `usage: npm run approve -- --key KEYFILE [--as PRINCIPAL] [--dry-run]

  --key KEYFILE    your private SSH key (its public half is in release/allowed_signers with roles=approver)
  --as PRINCIPAL   your principal in release/allowed_signers (default: git config user.email)
  --dry-run        print what you would sign; change nothing
`;

export async function main(
  argv: string[],
  io: CliIo = processIo,
  gitEnv?: NodeJS.ProcessEnv,
): Promise<number> {
  return runCli('approve', USAGE, io, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string' },
        as: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError('approve takes no positional arguments: it approves HEAD');
    if (!values.key) throw new UsageError('--key <private key file> is required');
    const r = await approve({
      cwd: io.cwd,
      key: values.key,
      as: values.as,
      dryRun: values['dry-run'],
      gitEnv,
    });
    io.out(
      `${values['dry-run'] ? 'would sign' : 'signed'} as ${r.approver}:\n\n${r.payload.trimEnd().replace(/^/gm, '  ')}\n\n`,
    );
    if (r.commit)
      io.out(
        `amended ${r.previous.slice(0, 12)} → ${r.commit.slice(0, 12)} with Approved-By: and Approval:\n  → git push --force-with-lease (the PR branch), then merge\n`,
      );
    return 0;
  });
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
