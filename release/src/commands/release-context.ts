/**
 * Shared steps of promote and rollback: read and validate the environment files involved,
 * render + gate the edited result in memory, then write and commit with an undo.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { GateOutcome, Pipeline } from '../pipeline/pipeline.js';
import {
  applyWrites,
  commitPaths,
  type FileWrite,
  planRendered,
  type RenderSummary,
} from '../pipeline/workspace.js';
import { envFile } from './preflight.js';
import { Refusal } from './refusal.js';

export type Log = (line: string) => void;

/** Reads an environment file and runs the repository's validation on it. */
export async function readValidated(
  root: string,
  pipeline: Pipeline,
  env: string,
  command: string,
): Promise<string> {
  const file = envFile(env);
  const text = await readFile(join(root, file), 'utf8');
  try {
    await pipeline.validate(root, file, text);
  } catch (err) {
    throw new Refusal(
      `${file} no longer validates:\n${indent((err as Error).message)}`,
      `fix the file (npm run render lists every problem), commit the fix, then run ${command} again`,
    );
  }
  return text;
}

export function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

export function envDiff(env: string, before: string, after: string): string {
  const file = envFile(env);
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // drop the "Index:"/separator line the diff package starts with
    .join('\n')
    .replace(/^=+\n/, '');
}

export interface Prepared {
  writes: FileWrite[];
  render: RenderSummary;
  gate: GateOutcome | undefined;
  gateHash: string | undefined;
  /** The `Gate:` trailer's value: `pass <hash>`, or why the gate did not run. */
  gateTrailer: string;
}

/**
 * Validates the edited text, renders in memory and (unless dry) runs the gate. Nothing is
 * written here; a gate failure is a Refusal.
 */
export async function prepare(opts: {
  root: string;
  env: string;
  text: string;
  pipeline: Pipeline;
  dryRun: boolean;
  command: string;
  log: Log;
}): Promise<Prepared> {
  const { root, env, text, pipeline, log } = opts;
  const file = envFile(env);
  try {
    await pipeline.validate(root, file, text);
  } catch (err) {
    throw new Refusal(
      `the edited ${file} would not validate:\n${indent((err as Error).message)}`,
      'this is a bug or a schema change between environments; edit the file by hand and open a PR',
    );
  }
  log(`rendering ${env}…`);
  const rendered = await pipeline.render(root, [env], new Map([[env, text]]));
  const plan = await planRendered(root, rendered);
  if (opts.dryRun)
    return {
      writes: [{ path: file, content: text }, ...plan.writes],
      render: plan.summary,
      gate: undefined,
      gateHash: undefined,
      gateTrailer: 'not run (dry run)',
    };
  log(`running the policy gate on ${env}…`);
  const gate = await pipeline.gate(root, [env], rendered);
  const gateHash = `sha256:${createHash('sha256').update(gate.report).digest('hex')}`;
  if (!gate.passed) {
    throw new Refusal(
      `the policy gate failed for ${env}: ${gate.summary}\n${indent(gate.report.trim().split('\n').slice(0, 30).join('\n'))}`,
      `fix the release or the policy (npm run gate shows the full report), or add a PolicyException with an owner, reason and expiry; then run ${opts.command} again`,
    );
  }
  return {
    writes: [{ path: file, content: text }, ...plan.writes],
    render: plan.summary,
    gate,
    gateHash,
    // Only a passing gate gets here: a failure is a Refusal above.
    gateTrailer: `pass ${gateHash}`,
  };
}

/** Writes the prepared files and commits them; on any failure the files are put back. */
export async function writeAndCommit(opts: {
  root: string;
  prepared: Prepared;
  message: string;
  branch: string | undefined;
  current: string;
  env?: NodeJS.ProcessEnv;
}): Promise<string> {
  const undo = await applyWrites(opts.root, opts.prepared.writes);
  try {
    return await commitPaths({
      root: opts.root,
      paths: opts.prepared.writes.map((w) => w.path),
      message: opts.message,
      branch: opts.branch,
      current: opts.current,
      env: opts.env,
    });
  } catch (err) {
    await undo();
    throw err;
  }
}
