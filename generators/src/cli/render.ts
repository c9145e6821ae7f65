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
 *                otherwise runs beside the render and the gate, with --check too
 * Exit codes: 0 ok, 1 stale (--check) or unexpected error, 2 invalid input (environment file or
 * rendered object); on 2, nothing is written.
 *
 * This entry imports only what parsing needs: it starts the rehearsal thread first
 * (render/rehearsal-thread.ts, docs/rehearsal.md §Cost), then loads the render (render-command.ts).
 */

import { RehearsalThread } from '../render/rehearsal-thread.js';
import { type CliIo, parseRenderArgs, type RenderArgs, USAGE } from './render-args.js';

export type { CliIo } from './render-args.js';

/** `root` defaults to this repository (render/render.ts REPO_ROOT). */
export async function main(argv: string[], io: CliIo = defaultIo, root?: string): Promise<number> {
  let values: RenderArgs;
  try {
    values = parseRenderArgs(argv);
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const thread = values['no-rehearsal'] ? undefined : startThread(io);
  try {
    const { renderCommand } = await import('./render-command.js');
    return await renderCommand(values, io, root, thread);
  } finally {
    await thread?.close();
  }
}

/** No thread (tsx not resolvable, no worker threads): the rehearsal runs on this thread instead. */
function startThread(io: CliIo): RehearsalThread | undefined {
  try {
    return RehearsalThread.start();
  } catch (err) {
    io.stderr(`render: no rehearsal thread (${(err as Error).message}); rehearsing on the main thread\n`);
    return undefined;
  }
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
