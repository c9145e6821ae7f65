/**
 * `promote`: copies the `release:` block of some apps from one environment into another,
 * re-renders, runs the policy gate, and commits (or prepares a PR branch) with a message that reads
 * as an audit entry (docs/design/release-model.md §Promotion). Lineage, soak, freezes and holds are
 * checked from git history before anything is written; each can be overridden only explicitly, with
 * a reason and a ticket, and the override lands in the `Override:` trailer.
 */
import { isDeepStrictEqual } from 'node:util';
import { formatDuration, nearest } from '@payday/generators/environments';
import {
  liftHolds,
  parseEnvDocument,
  releaseNode,
  setRelease,
  stringify,
} from '../environments/env-document.js';
import { readSnapshot } from '../environments/snapshot.js';
import { git } from '../git/git.js';
import { formatMessage, TRAILER } from '../git/trailers.js';
import { readHistory } from '../history/history-read.js';
import { buildRanIndex, buildTimeline } from '../history/timeline.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { formatRenderSummary, type RenderSummary } from '../pipeline/workspace.js';
import { HoldLedger } from '../verify/holds.js';
import { evaluateRules, RULES, type Rule, type RuleViolation } from '../verify/rules.js';
import { envFile, environmentNames, preflight, requireEnvironment } from './preflight.js';
import { Refusal } from './refusal.js';
import { envDiff, type Log, prepare, readValidated, writeAndCommit } from './release-context.js';

export interface PromoteOptions {
  cwd: string;
  /** App names; empty with `all` for every app in the source's release block. */
  apps: string[];
  all?: boolean;
  /** Source environment; defaults to the target's `promotesFrom`. */
  from?: string;
  to: string;
  branch?: string;
  dryRun?: boolean;
  overrides?: string[];
  reason?: string;
  ticket?: string;
  /** The moment of the promotion (tests pin it; default now). */
  now?: Date;
  pipeline: Pipeline;
  log?: Log;
  /** Extra environment for git (tests pin commit dates with it). */
  gitEnv?: NodeJS.ProcessEnv;
}

export interface PromotedApp {
  app: string;
  version: string;
  image: string;
  previousImage: string | undefined;
  previousVersion: string | undefined;
  soakObservedMs: number | undefined;
  violations: RuleViolation[];
  liftedHolds: string[];
}

export interface PromoteResult {
  from: string;
  to: string;
  apps: PromotedApp[];
  message: string;
  diff: string;
  render: RenderSummary;
  renderSummary: string;
  gate: string | undefined;
  commit: string | undefined;
  branch: string | undefined;
  dryRun: boolean;
}

function checkOverrides(o: PromoteOptions): Set<Rule> {
  const out = new Set<Rule>();
  for (const raw of o.overrides ?? []) {
    for (const name of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!(RULES as readonly string[]).includes(name)) {
        const hint = nearest(name, [...RULES]);
        throw new Refusal(
          `unknown override "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
          `--override takes one of: ${RULES.join(', ')}`,
        );
      }
      out.add(name as Rule);
    }
  }
  if (out.size && (!o.reason?.trim() || !o.ticket?.trim())) {
    throw new Refusal(
      `--override ${[...out].join(',')} needs both --reason and --ticket`,
      'say why the rule does not apply and link the ticket that approves it, e.g. --reason "hotfix for INC-42" --ticket INC-42',
    );
  }
  return out;
}

export async function promote(o: PromoteOptions): Promise<PromoteResult> {
  const log = o.log ?? (() => undefined);
  const command = 'promote';
  const overrides = checkOverrides(o);
  const state = await preflight(o.cwd, command, { allowDetached: o.dryRun });
  const root = state.root;
  const known = await environmentNames(root);
  requireEnvironment(o.to, known, 'target');
  const targetText = await readValidated(root, o.pipeline, o.to, command);
  const target = readSnapshot(targetText);
  const from = o.from ?? target.promotesFrom;
  if (!from) {
    throw new Refusal(
      `${envFile(o.to)} has no promotesFrom, so there is no default source`,
      `name the source with --from <env> (one of: ${known.filter((e) => e !== o.to).join(', ')})`,
    );
  }
  requireEnvironment(from, known, 'source');
  if (from === o.to)
    throw new Refusal(`--from and --to are both "${from}"`, 'promote between two different environments');
  const sourceText = await readValidated(root, o.pipeline, from, command);
  const source = readSnapshot(sourceText);
  if (o.branch) {
    const exists = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${o.branch}`]).then(
      () => true,
      () => false,
    );
    if (exists)
      throw new Refusal(
        `branch ${o.branch} already exists`,
        'choose another --branch name or delete the old branch',
      );
    const valid = await git(root, ['check-ref-format', '--branch', o.branch]).then(
      () => true,
      () => false,
    );
    if (!valid)
      throw new Refusal(
        `"${o.branch}" is not a valid branch name`,
        'use letters, digits, / - _ . (git check-ref-format)',
      );
  }

  const sourceApps = Object.keys(source.release).sort();
  let apps = o.all ? sourceApps : [...new Set(o.apps)];
  if (apps.length === 0) {
    throw new Refusal('no app to promote', `name apps (${sourceApps.join(', ')}) or pass --all`);
  }
  for (const app of apps) {
    if (!source.release[app]) {
      const hint = nearest(app, sourceApps);
      throw new Refusal(
        `unknown app "${app}": ${envFile(from)} has no release for it${hint ? ` (did you mean "${hint}"?)` : ''}`,
        `promote one of: ${sourceApps.join(', ')}`,
      );
    }
  }
  const unchanged = apps.filter((a) => isDeepStrictEqual(source.release[a], target.release[a]));
  apps = apps.filter((a) => !unchanged.includes(a));
  if (apps.length === 0) {
    throw new Refusal(
      `nothing to promote: ${o.to} already runs the same release as ${from} for ${unchanged
        .map((a) => `${a} ${source.release[a]!.version}`)
        .join(', ')}`,
      `promote when ${from} has a new release (npm run diff -- ${from} ${o.to} shows what differs)`,
    );
  }

  log(`reading the history of environments/…`);
  const commits = await readHistory(root);
  const timeline = buildTimeline(commits);
  const ran = buildRanIndex(commits);
  // A hold removed by hand (without the documented lift) still holds.
  const droppedHolds = HoldLedger.replay(commits).of(o.to);
  const at = (o.now ?? new Date()).getTime();
  const sourceDoc = parseEnvDocument(sourceText, envFile(from));
  const targetDoc = parseEnvDocument(targetText, envFile(o.to));
  const promoted: PromotedApp[] = [];
  const blocking: string[] = [];
  for (const app of apps) {
    const rel = source.release[app]!;
    const prev = target.release[app];
    const imageChanges = prev?.image !== rel.image;
    // A config-only change of the same image has soaked already; lineage (the upstream ran this
    // config) and freezes still apply, as history --verify checks them.
    const result = evaluateRules({
      timeline,
      env: o.to,
      target,
      app,
      image: rel.image,
      at,
      release: rel,
      ran,
      droppedHolds,
    });
    const violations = imageChanges
      ? result.violations
      : result.violations.filter((v) => v.rule === 'freeze' || v.rule === 'lineage');
    for (const v of violations) if (!overrides.has(v.rule)) blocking.push(`${v.rule}: ${v.message}`);
    setRelease(targetDoc, app, releaseNode(sourceDoc, app)!);
    const liftedHolds = liftHolds(targetDoc, app);
    promoted.push({
      app,
      version: rel.version,
      image: rel.image,
      previousImage: prev?.image,
      previousVersion: prev?.version,
      soakObservedMs: result.soakObservedMs,
      violations,
      liftedHolds,
    });
  }
  if (blocking.length) {
    const rules = [...new Set(blocking.map((b) => b.split(':')[0]))];
    throw new Refusal(
      `promotion into ${o.to} is blocked:\n${blocking.map((b) => `    ${b}`).join('\n')}`,
      rules.includes('hold')
        ? `promote a newer release of the app (that lifts the hold), or if this is deliberate: --override ${rules.join(',')} --reason "…" --ticket …`
        : `wait until the rule is satisfied, or if this is deliberate: --override ${rules.join(',')} --reason "…" --ticket …`,
    );
  }

  const newText = stringify(targetDoc, targetText);
  const diff = envDiff(o.to, targetText, newText);
  const prepared = await prepare({
    root,
    env: o.to,
    text: newText,
    pipeline: o.pipeline,
    dryRun: !!o.dryRun,
    command,
    log,
  });
  const used = [...new Set(promoted.flatMap((p) => p.violations.map((v) => v.rule)))].filter((r) =>
    overrides.has(r),
  );
  const subject = `promote(${o.to}): ${promoted.map((p) => `${p.app} ${p.version}`).join(', ')} from ${from}`;
  const trailers: [string, string][] = [];
  for (const p of promoted) {
    trailers.push([TRAILER.app, p.app]);
    trailers.push([TRAILER.from, from]);
    trailers.push([TRAILER.to, o.to]);
    trailers.push([TRAILER.image, p.image]);
    trailers.push([TRAILER.previousImage, p.previousImage ?? 'none']);
    trailers.push([TRAILER.soak, p.soakObservedMs === undefined ? 'n/a' : formatDuration(p.soakObservedMs)]);
  }
  trailers.push([TRAILER.gate, prepared.gateTrailer]);
  for (const rule of used) trailers.push([TRAILER.override, rule]);
  if (o.reason) trailers.push([TRAILER.reason, o.reason]);
  if (o.ticket) trailers.push([TRAILER.ticket, o.ticket]);
  const body = promoted
    .map(
      (p) =>
        `${p.app}: ${p.previousVersion ?? 'none'} → ${p.version}${p.liftedHolds.length ? ` (lifts the hold on ${p.liftedHolds.join(', ')})` : ''}`,
    )
    .join('\n');
  const message = formatMessage(subject, body, trailers);
  const result: PromoteResult = {
    from,
    to: o.to,
    apps: promoted,
    message,
    diff,
    render: prepared.render,
    renderSummary: formatRenderSummary(prepared.render),
    gate: prepared.gate?.summary,
    commit: undefined,
    branch: o.branch,
    dryRun: !!o.dryRun,
  };
  if (o.dryRun) return result;
  log(`committing ${prepared.writes.length} file(s)…`);
  result.commit = await writeAndCommit({
    root,
    prepared,
    message,
    branch: o.branch,
    current: state.branch!,
    env: o.gitEnv,
  });
  return result;
}
