/**
 * `npm run render [-- --env NAME…] [--check] [--out DIR]`
 *
 * Renders environments/*.yaml through the cdk8s charts into gitops/
 * (docs/design/rendering.md §Deterministic output):
 *   --env NAME   render only this environment (repeatable); other folders are left alone
 *   --check      render in memory and compare with the committed tree; exit 1 when stale
 *   --out DIR    write (or check) DIR instead of gitops/; like gitops/, the renderer owns DIR
 *                and replaces its content atomically
 *   --no-gate    skip the policy gate (npm run gate; policies/README.md)
 *   --no-rehearsal  skip the cluster rehearsal (npm run rehearse; docs/rehearsal.md), which
 *                otherwise runs after the gate, with --check too
 * Exit codes: 0 ok, 1 stale (--check) or unexpected error, 2 invalid input (environment file or
 * rendered object); on 2, nothing is written.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatCosts } from '../cost/cost.js';
import { EnvironmentError } from '../environments/errors.js';
import { type EnvironmentWarning, formatWarning } from '../environments/warnings.js';
import { PLATFORM } from '../platform.js';
import { describeDiff } from '../render/check.js';
import { loadRehearsalModule, rehearseRendered } from '../render/rehearse-rendered.js';
import { REPO_ROOT, renderEnvironments, UnknownEnvironmentError } from '../render/render.js';
import { changedRows, formatSummary, summaryRows } from '../render/summary.js';
import { diffTrees, isEmptyDiff, readTree } from '../render/tree.js';
import type { RenderedObject } from '../render/types.js';
import { writeRendered } from '../render/write.js';
import { RenderValidationError } from '../validate/validate.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const USAGE = 'usage: npm run render -- [--env NAME]… [--check] [--out DIR] [--no-gate] [--no-rehearsal]';

export async function main(argv: string[], io: CliIo = defaultIo, root = REPO_ROOT): Promise<number> {
  let values: {
    env?: string[];
    check?: boolean;
    out?: string;
    'no-gate'?: boolean;
    'no-rehearsal'?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string', multiple: true },
        check: { type: 'boolean', default: false },
        out: { type: 'string' },
        'no-gate': { type: 'boolean', default: false },
        'no-rehearsal': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
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
  const started = process.hrtime.bigint();
  const outDir = values.out ? resolve(values.out) : resolve(root, PLATFORM.gitopsDir);
  const shownOut = `${relative(process.cwd(), outDir) || '.'}/`;
  let result: Awaited<ReturnType<typeof renderEnvironments>>;
  const warnings: EnvironmentWarning[] = [];
  try {
    result = await renderEnvironments({
      root,
      ...(values.env ? { only: values.env } : {}),
      progress: (m) => io.stderr(`render: ${m}\n`),
      onWarning: (w) => warnings.push(w),
    });
  } catch (err) {
    if (err instanceof EnvironmentError) {
      io.stderr(`${err.message}\nrender: invalid environment file(s); nothing was written\n`);
      return 2;
    }
    if (err instanceof RenderValidationError) {
      io.stderr(
        `${err.message}\nrender: ${err.problems.length} invalid rendered object(s); nothing was written\n`,
      );
      return 2;
    }
    if (err instanceof UnknownEnvironmentError) {
      io.stderr(`render: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (warnings.length) {
    io.stderr(
      warnings.map((w) => `${formatWarning(w)}\n`).join('') +
        `render: ${warnings.length} warning(s): valid values that are probably wrong; silence one with ` +
        `\`# payday:allow <id>\` on its line (environments/README.md, "Warnings")\n`,
    );
  }
  // The tree on disk, for the comparison below, is read while the gate and the rehearsal load and
  // run: its file reads complete on libuv's threads whenever the module loading yields. Awaited
  // below; an early return (gate or rehearsal failure) must not leave its rejection unhandled.
  const currentTree = readTree(outDir, result.scope);
  currentTree.catch(() => {});
  // The policy gate (policies/engine, docs/design/policy-gate.md §What the gate does) judges what
  // would be written, unless --no-gate; a Deny failure or a fail-closed error means nothing is
  // written. `--check` only compares.
  if (!values.check && !values['no-gate'] && existsSync(join(root, 'policies'))) {
    const envs = [...result.environments, ...groupGlobal(result.global)].map((e) => ({
      name: e.name,
      objects: e.objects.map((o) => ({ path: `${PLATFORM.gitopsDir}/${o.path}`, object: o.object })),
    }));
    // Loaded only when the gate runs or the rehearsal does (--check and --no-gate with
    // --no-rehearsal never pay for the CEL engine), from the rehearsal's bundle: the rehearsal's
    // admission then reuses the policies the gate read and their compiled CEL.
    const { gateRendered } = await loadRehearsalModule((m) => io.stderr(`render: ${m}\n`));
    const gate = gateRendered(envs, { policiesDir: join(root, 'policies') });
    if (!gate.passed) {
      io.stderr(
        `${gate.report}render: policy gate ${gate.summary}; nothing was written (--no-gate skips it)\n`,
      );
      return 2;
    }
    io.stderr(`render: policy gate ${gate.summary}\n`);
  }
  if (!values['no-rehearsal'] && !(await rehearsalPasses(result, outDir, values.env, io))) return 2;

  const current = await currentTree;
  const diff = diffTrees(current, result.files);
  const seconds = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(2);
  const objects = result.environments.reduce((n, e) => n + e.objects.length, result.global.length);
  const what = `${result.environments.length} environment(s), ${objects} objects`;

  if (values.check) {
    if (isEmptyDiff(diff)) {
      io.stdout(`render --check: ${shownOut} is up to date (${what}, ${seconds} s)\n`);
      return 0;
    }
    io.stderr(
      `render --check: ${shownOut} is stale: ${diff.added.length} to add, ${diff.changed.length} changed, ${diff.removed.length} to remove\n` +
        `${await describeDiff(diff, current, result.files, shownOut)}\n` +
        `Run \`npm run render\` and commit the result.\n`,
    );
    return 1;
  }
  if (isEmptyDiff(diff)) {
    io.stdout(`render: ${shownOut} is up to date (${what}, ${seconds} s)\n`);
    return 0;
  }
  await writeRendered(result, { outDir });
  io.stdout(
    `${formatSummary(changedRows(summaryRows(result, diff)))}\n` +
      // Cost awareness (docs/design/rendering.md §Gate and summary): requests at minimum and
      // maximum autoscaled replicas, per environment.
      formatCosts(result.environments) +
      `render: wrote ${shownOut} (${what}; +${diff.added.length} ~${diff.changed.length} -${diff.removed.length} files, ${seconds} s)\n`,
  );
  return 0;
}

/**
 * The cluster rehearsal (docs/rehearsal.md) over what would be written: Argo CD's placement, the
 * controllers' expansion and every rehearsal check. With --env the shared trees (gitops/argocd,
 * gitops/platform) are not rendered, so the committed ones stand in.
 */
async function rehearsalPasses(
  result: Awaited<ReturnType<typeof renderEnvironments>>,
  outDir: string,
  only: string[] | undefined,
  io: CliIo,
): Promise<boolean> {
  const outcome = await rehearseRendered({
    objects: [...result.environments.flatMap((e) => e.objects), ...result.global],
    ...(result.global.length ? {} : { sharedFrom: outDir }),
    ...(only ? { only } : {}),
    progress: (m) => io.stderr(`render: ${m}\n`),
  });
  const summary = `${outcome.scenarios} scenarios, ${outcome.errors} errors${outcome.notes ? `, ${outcome.notes} to review` : ''}`;
  if (!outcome.passed) {
    io.stderr(
      `${outcome.report}render: cluster rehearsal fail (${summary}); nothing was written (npm run rehearse shows it again; --no-rehearsal skips it)\n`,
    );
    return false;
  }
  io.stderr(`render: cluster rehearsal pass (${summary})\n`);
  return true;
}

/** Global objects (gitops/argocd/…) are gated as their own group, named by their top folder. */
function groupGlobal(objects: RenderedObject[]): { name: string; objects: RenderedObject[] }[] {
  const groups = new Map<string, RenderedObject[]>();
  for (const o of objects) {
    const name = o.path.split('/')[0]!;
    groups.set(name, [...(groups.get(name) ?? []), o]);
  }
  return [...groups].map(([name, list]) => ({ name, objects: list }));
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli/render.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `render: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
