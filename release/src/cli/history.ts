/**
 * `npm run history -- [--env E]… [--app A]… [--since WHEN] [--until WHEN]
 *  [--format table|json|csv] [--html DIR] [--verify [--range A..B]]`
 *
 * The audit log of environments/ from git alone; `--verify` re-checks lineage, soak, freezes
 * and holds over the whole history (or only a PR's commits with --range) and exits 1 on a
 * violation without a recorded `Override:`. See docs/release.md.
 */
import { parseArgs } from 'node:util';
import { nearest } from '@payday/generators/environments';
import { type CliIo, isEntryPoint, parseWhen, processIo, runCli, UsageError } from '../commands/cli-io.js';
import { git, repoRoot } from '../git/git.js';
import { filterEntries } from '../history/entries.js';
import { loadHistory } from '../history/history.js';
import { FORMATS, type Format, formatEntries, formatViolations } from '../report/history-format.js';

export const USAGE = `usage: npm run history -- [--env E]… [--app A]… [--since WHEN] [--until WHEN]
                      [--format table|json|csv] [--html DIR] [--rev REV]
       npm run history -- --verify [--range BASE..HEAD]

  --env, --app     only these environments / apps (repeatable; a name the history never saw is refused)
  --since, --until a date (2026-11-01, 2026-11-01T12:00:00Z) or a duration ago (7d, 24h)
  --format         table (default), json or csv
  --html DIR       also write a static report (DIR/index.html): matrix, timeline, delivery metrics
  --rev REV        read history as of REV (default HEAD)
  --verify         re-check every landed change: lineage, soak, freezes and holds (overrides count
                   only with a second person's signed approval), landed time, hand edits of
                   gitops/, and signatures when release/signing.yaml requires them; exit 1 on any
  --range A..B     with --verify: check only what a pull request lands (git rev-list --first-parent A..B)
`;

export async function main(argv: string[], io: CliIo = processIo, now: Date = new Date()): Promise<number> {
  return runCli('history', USAGE, io, async () => {
    const { values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string', multiple: true },
        app: { type: 'string', multiple: true },
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string', default: 'table' },
        html: { type: 'string' },
        rev: { type: 'string' },
        verify: { type: 'boolean', default: false },
        range: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${values.format}")`);
    if (values.range && !values.verify) throw new UsageError('--range only applies to --verify');
    if (values.range && values.rev) throw new UsageError('use --range A..B or --rev REV, not both');
    const since = parseWhen('--since', values.since, now);
    const until = parseWhen('--until', values.until, now);
    // A revision is handed to git as an argument: one that starts with `-` would be read as an
    // option (`--output=FILE` makes `git log` write a file) before it is checked, since a listing
    // starts reading while the check runs. git-rev-parse(1) names no revision that starts with `-`.
    for (const [flag, value] of [
      ['--rev', values.rev],
      ['--range', values.range],
    ] as const) {
      if (value?.startsWith('-'))
        throw new UsageError(`${flag} "${value}" is not a revision (it starts with "-")`);
    }
    const root = await repoRoot(io.cwd);

    let rev = values.rev ?? 'HEAD';
    let only: Set<string> | undefined;
    if (values.range) {
      const m = /^(.+?)\.\.(.*)$/.exec(values.range);
      if (!m || m[0].includes('...'))
        throw new UsageError(`--range must look like BASE..HEAD (got "${values.range}")`);
      rev = m[2] || 'HEAD';
      // First parent: what the range lands on the branch, merges included (a merge's own edits are its change).
      const list = await git(root, ['rev-list', '--first-parent', values.range]).catch((err: Error) => {
        throw new UsageError(`cannot resolve --range ${values.range}: ${err.message}`);
      });
      only = new Set(list.split('\n').filter(Boolean));
    }
    const exists = git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then(
      () => true,
      () => false,
    );
    // A listing starts reading while the revision is checked (a revision that is not a commit
    // reads as an empty history, and is refused below before anything is printed).
    const listing = values.verify || values.html ? undefined : loadHistory(root, { rev });
    listing?.catch(() => {}); // awaited below; this keeps a refusal from leaving it unhandled
    if (!(await exists)) throw new UsageError(`"${rev}" is not a commit in ${root}`);
    // The audit (verify rules, signing, landed time) and the HTML report are loaded only when
    // asked for: a listing needs neither, and loading them is a measurable part of its start-up.
    if (values.verify) {
      const { auditHistory } = await import('../verify/audit.js');
      const { violations, checked } = await auditHistory(root, { rev, only });
      io.out(formatViolations(violations, checked));
      return violations.some((v) => !v.overridden) ? 1 : 0;
    }
    // The listing needs the audit rows only; the verify rules (and the signing settings and
    // landed-time walk they need) run only for the report, which shows their findings.
    const audit = values.html
      ? await (await import('../verify/audit.js')).auditHistory(root, { rev, entries: true })
      : undefined;
    const history = audit?.history ?? (await (listing ?? loadHistory(root, { rev })));
    checkFilter(
      '--env',
      values.env,
      history.entries.map((e) => e.env),
    );
    checkFilter(
      '--app',
      values.app,
      history.entries.map((e) => e.app).filter((a) => a !== '*'),
    );
    const rows = filterEntries(history.entries, { env: values.env, app: values.app, since, until });
    io.out(formatEntries(rows, format));
    if (values.html) {
      const { writeReport } = await import('../report/report-html.js');
      const file = await writeReport(values.html, history, {
        now,
        violations: audit?.violations ?? [],
        filter: { env: values.env, app: values.app, since, until },
        // Cost awareness (docs/design/rendering.md §Gate and summary): requests at min and max
        // replicas of the committed tree. Loaded only here: the generators' main entry brings
        // cdk8s and the validator, which the rest of `history` never needs.
        costs: (await import('@payday/generators')).costsOfRepository(root),
      });
      io.err(`wrote ${file}\n`);
    }
    return 0;
  });
}

/**
 * A filter value that no entry of the history carries is a typo, not an empty result: it is
 * refused like an unknown environment in promote and diff. The names come from the history
 * itself, so an environment or app that was removed since can still be asked for.
 */
function checkFilter(flag: string, wanted: string[] | undefined, seen: string[]): void {
  const known = [...new Set(seen)].sort();
  for (const name of wanted ?? []) {
    if (known.includes(name)) continue;
    const hint = nearest(name, known);
    throw new UsageError(
      `${flag} "${name}" names nothing in the history${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`,
    );
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
