/**
 * `rollback`: restores an earlier release of one app in one environment from the environment file's
 * own history, as a new commit (never a rewrite or a force-push,
 * docs/design/release-model.md §Rollback). The commit carries `Rollback-Of: <commit that introduced
 * the bad release>` and `Reason:`, passes the same render and gate as a promotion, and writes a
 * `holds:` entry so the next automated promotion cannot bring the rolled-back digest straight back;
 * a later promotion of the app lifts it.
 *
 * Freezes do not block a rollback: a freeze stops new change, and a rollback returns to a state
 * the environment already ran (the usual change-freeze exemption for incident response).
 */
import { nearest } from '@payday/generators/environments';
import {
  addHold,
  parseEnvDocument,
  releaseNode,
  setRelease,
  stringify,
} from '../environments/env-document.js';
import { readSnapshot } from '../environments/snapshot.js';
import { git } from '../git/git.js';
import { formatMessage, TRAILER } from '../git/trailers.js';
import { readHistory } from '../history/history-read.js';
import { buildTimeline, eventsOf, type ReleaseEvent } from '../history/timeline.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { formatRenderSummary, type RenderSummary } from '../pipeline/workspace.js';
import { envFile, environmentNames, preflight, requireEnvironment } from './preflight.js';
import { Refusal } from './refusal.js';
import { envDiff, type Log, prepare, readValidated, writeAndCommit } from './release-context.js';

export interface RollbackOptions {
  cwd: string;
  app: string;
  env: string;
  /** A version the environment ran, or a git revision whose file holds the release to restore. */
  to?: string;
  reason?: string;
  ticket?: string;
  branch?: string;
  dryRun?: boolean;
  pipeline: Pipeline;
  log?: Log;
  gitEnv?: NodeJS.ProcessEnv;
}

export interface RollbackResult {
  env: string;
  app: string;
  fromVersion: string;
  fromImage: string;
  toVersion: string;
  toImage: string;
  rollbackOf: string;
  message: string;
  diff: string;
  render: RenderSummary;
  renderSummary: string;
  gate: string | undefined;
  commit: string | undefined;
}

interface Target {
  /** The file text that holds the release to restore. */
  text: string;
  label: string;
}

async function fileAt(root: string, rev: string, file: string): Promise<string | undefined> {
  return git(root, ['show', `${rev}:${file}`]).catch(() => undefined);
}

export async function rollback(o: RollbackOptions): Promise<RollbackResult> {
  const log = o.log ?? (() => undefined);
  const command = 'rollback';
  if (!o.reason?.trim()) {
    throw new Refusal(
      'a rollback needs --reason',
      'say what went wrong, e.g. --reason "5xx rate above SLO after 1.4.2" (and --ticket INC-…)',
    );
  }
  const state = await preflight(o.cwd, command, { allowDetached: o.dryRun });
  const root = state.root;
  requireEnvironment(o.env, await environmentNames(root), 'target');
  const file = envFile(o.env);
  const text = await readValidated(root, o.pipeline, o.env, command);
  const snapshot = readSnapshot(text);
  const apps = Object.keys(snapshot.release).sort();
  const current = snapshot.release[o.app];
  if (!current) {
    const hint = nearest(o.app, apps);
    throw new Refusal(
      `unknown app "${o.app}": ${file} has no release for it${hint ? ` (did you mean "${hint}"?)` : ''}`,
      `roll back one of: ${apps.join(', ')}`,
    );
  }
  log(`reading the history of ${file}…`);
  const events = eventsOf(buildTimeline(await readHistory(root)), o.env, o.app);
  const introducedAt = events.findLastIndex((e) => e.image === current.image);
  const introduced = events[introducedAt];
  if (!introduced) {
    throw new Refusal(`${file} has no committed history for ${o.app}`, 'commit the file first');
  }
  const ran = events.filter((e) => e.image).map((e) => `${e.version} (${e.commit.slice(0, 12)})`);
  let target: Target | undefined;
  if (o.to) {
    const byVersion = events.findLast((e) => e.version === o.to && e.image && e.image !== current.image);
    if (byVersion) target = await releaseFileAfter(root, file, events, byVersion);
    else {
      const rev = await git(root, ['rev-parse', '--verify', '--quiet', `${o.to}^{commit}`]).then(
        (s) => s.trim(),
        () => undefined,
      );
      const atRev = rev ? await fileAt(root, rev, file) : undefined;
      if (!atRev) {
        throw new Refusal(
          `--to ${o.to} is neither a release of ${o.app} that ${o.env} ran nor a revision that has ${file}`,
          `pick one of the releases ${o.env} ran: ${ran.join(', ')}`,
        );
      }
      target = { text: atRev, label: rev!.slice(0, 12) };
    }
  } else {
    const previous = events.slice(0, introducedAt).findLast((e) => e.image && e.image !== current.image);
    if (!previous) {
      throw new Refusal(
        `${o.env} has no earlier release of ${o.app} than ${current.version} to roll back to`,
        'fix forward: promote a fixed release instead',
      );
    }
    target = await releaseFileAfter(root, file, events, previous);
  }
  const restoredDoc = parseEnvDocument(target.text, `${file}@${target.label}`);
  const restored = readSnapshot(target.text).release[o.app];
  const node = releaseNode(restoredDoc, o.app);
  if (!restored || !node) {
    throw new Refusal(
      `${file} at ${target.label} has no release for ${o.app}`,
      `pick one of: ${ran.join(', ')}`,
    );
  }
  if (restored.image === current.image) {
    throw new Refusal(
      `${o.env} already runs ${o.app} ${current.version} (${current.image})`,
      `pick an earlier release: ${ran.join(', ')}`,
    );
  }
  const doc = parseEnvDocument(text, file);
  setRelease(doc, o.app, node);
  if (!snapshot.holds.some((h) => h.app === o.app && h.image === current.image)) {
    addHold(doc, { app: o.app, image: current.image, reason: o.reason.trim(), since: introduced.commit });
  }
  const newText = stringify(doc, text);
  const prepared = await prepare({
    root,
    env: o.env,
    text: newText,
    pipeline: o.pipeline,
    dryRun: !!o.dryRun,
    command,
    log,
  });
  const subject = `rollback(${o.env}): ${o.app} ${current.version} → ${restored.version}`;
  const body = `Restores ${o.app} ${restored.version} and holds ${current.version} (introduced in ${introduced.commit.slice(0, 12)}) until a later promotion of ${o.app}.`;
  const trailers: [string, string][] = [
    [TRAILER.rolledBackApp, o.app],
    [TRAILER.rollbackOf, introduced.commit],
    [TRAILER.image, restored.image],
    [TRAILER.previousImage, current.image],
    [TRAILER.gate, prepared.gateTrailer],
    [TRAILER.reason, o.reason.trim()],
  ];
  if (o.ticket) trailers.push([TRAILER.ticket, o.ticket]);
  const message = formatMessage(subject, body, trailers);
  const result: RollbackResult = {
    env: o.env,
    app: o.app,
    fromVersion: current.version,
    fromImage: current.image,
    toVersion: restored.version,
    toImage: restored.image,
    rollbackOf: introduced.commit,
    message,
    diff: envDiff(o.env, text, newText),
    render: prepared.render,
    renderSummary: formatRenderSummary(prepared.render),
    gate: prepared.gate?.summary,
    commit: undefined,
  };
  if (o.dryRun) return result;
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

/**
 * The file as it was when `event`'s image was last current: just before the next image change,
 * so config changes made while that release ran are restored with it.
 */
async function releaseFileAfter(
  root: string,
  file: string,
  events: ReleaseEvent[],
  event: ReleaseEvent,
): Promise<Target> {
  const next = events[events.indexOf(event) + 1];
  const rev = next ? `${next.commit}^` : event.commit;
  const text = (await fileAt(root, rev, file)) ?? (await fileAt(root, event.commit, file));
  if (text === undefined)
    throw new Refusal(`cannot read ${file} at ${rev}`, 'is the history shallow? git fetch --unshallow');
  return { text, label: event.commit.slice(0, 12) };
}
