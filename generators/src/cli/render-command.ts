/**
 * The body of `npm run render` (cli/render.ts is the entry: it parses the arguments and starts
 * the rehearsal thread before this module, and the render's modules with it, are loaded).
 * Exit codes: 0 ok, 1 stale (--check) or unexpected error, 2 invalid input (environment file or
 * rendered object) or a failed gate or rehearsal; on 2, nothing is written.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatCosts } from '../cost/cost.js';
import { EnvironmentError } from '../environments/errors.js';
import { type EnvironmentWarning, formatWarning } from '../environments/warnings.js';
import { PLATFORM } from '../platform.js';
import { describeDiff } from '../render/check.js';
import type { RehearsalThread } from '../render/rehearsal-thread.js';
import {
  type RehearsalOutcome,
  type RehearsalRequest,
  rehearsalRequest,
  rehearseRendered,
} from '../render/rehearse-rendered.js';
import { REPO_ROOT, renderEnvironments, UnknownEnvironmentError } from '../render/render.js';
import { changedRows, formatSummary, summaryRows } from '../render/summary.js';
import { diffTrees, isEmptyDiff, readTree } from '../render/tree.js';
import type { RenderedObject } from '../render/types.js';
import { writeRendered } from '../render/write.js';
import { RenderValidationError } from '../validate/validate.js';
import type { CliIo, RenderArgs } from './render-args.js';

export async function renderCommand(
  values: RenderArgs,
  io: CliIo,
  root: string = REPO_ROOT,
  thread?: RehearsalThread,
): Promise<number> {
  const started = process.hrtime.bigint();
  const outDir = values.out ? resolve(values.out) : resolve(root, PLATFORM.gitopsDir);
  const shownOut = `${relative(process.cwd(), outDir) || '.'}/`;
  let result: Awaited<ReturnType<typeof renderEnvironments>>;
  const warnings: EnvironmentWarning[] = [];
  // The cluster rehearsal (docs/rehearsal.md) of what would be written: Argo CD's placement, the
  // controllers' expansion and every rehearsal check. It starts as soon as the objects are built,
  // on the rehearsal thread when there is one; with --env the shared trees (gitops/argocd,
  // gitops/platform) are not rendered, so the committed ones stand in.
  let rehearsal: Rehearsal | undefined;
  const startRehearsal = (objects: RenderedObject[]): Rehearsal => {
    const request = rehearsalRequest(objects, values.env ? { sharedFrom: outDir, only: values.env } : {});
    const onThread = thread?.rehearse(request);
    onThread?.catch(() => {}); // awaited in rehearsalPasses; an early return must not leave it unhandled
    return { request, ...(onThread ? { onThread } : {}) };
  };
  try {
    result = await renderEnvironments({
      root,
      ...(values.env ? { only: values.env } : {}),
      progress: (m) => io.stderr(`render: ${m}\n`),
      onWarning: (w) => warnings.push(w),
      ...(values['no-rehearsal'] ? {} : { onBuilt: (objects) => (rehearsal = startRehearsal(objects)) }),
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
    // Loaded only when the gate runs: --check and --no-gate do not pay for the CEL engine.
    const { gateRendered } = await import('@payday/policy-engine');
    const gate = gateRendered(envs, { policiesDir: join(root, 'policies') });
    if (!gate.passed) {
      io.stderr(
        `${gate.report}render: policy gate ${gate.summary}; nothing was written (--no-gate skips it)\n`,
      );
      return 2;
    }
    io.stderr(`render: policy gate ${gate.summary}\n`);
  }
  if (rehearsal && !(await rehearsalPasses(rehearsal, io))) return 2;

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

/** A rehearsal under way on the thread, or only requested (it then runs here). */
interface Rehearsal {
  request: RehearsalRequest;
  onThread?: Promise<RehearsalOutcome>;
}

/**
 * The rehearsal's verdict: the thread's, or this thread's when the thread could not be had or
 * failed (said on stderr: the rehearsal itself still runs, so nothing goes unchecked).
 */
async function rehearsalPasses(rehearsal: Rehearsal, io: CliIo): Promise<boolean> {
  let outcome: RehearsalOutcome | undefined;
  if (rehearsal.onThread) {
    try {
      outcome = await rehearsal.onThread;
    } catch (err) {
      io.stderr(`render: ${(err as Error).message.split('\n')[0]}; rehearsing on the main thread\n`);
    }
  }
  outcome ??= await rehearseRendered(rehearsal.request);
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
