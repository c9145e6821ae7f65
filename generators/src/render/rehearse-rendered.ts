/**
 * The cluster rehearsal (docs/rehearsal.md) of what a render produced, summarised for the render
 * command (cli/render.ts), which the render bench suite times the same way. Loads
 * @payday/rehearsal on first use, so a render with --no-rehearsal never pays for it.
 */
import { existsSync } from 'node:fs';
import {
  defaultCacheDir,
  type LoadedBundle,
  loadRehearsalBundle,
  type RehearsalModule,
} from './rehearsal-bundle.js';
import type { RenderedObject } from './types.js';

/** What a rehearsal needs from a render. */
export interface RehearsalRequest {
  /** Every rendered object (environments and global trees). */
  objects: readonly Pick<RenderedObject, 'path' | 'object' | 'environment'>[];
  /**
   * When the shared trees (gitops/argocd, gitops/platform) were not rendered (--env), the committed
   * ones in this directory stand in, if it exists.
   */
  sharedFrom?: string;
  /** Rehearse only these environments' scenarios (--env). */
  only?: string[];
  /** Told once when the process first loads the rehearsal and has to build its bundle. */
  progress?: Progress;
}

/** The verdict: counts, and the full report only when it failed. */
export interface RehearsalOutcome {
  passed: boolean;
  scenarios: number;
  errors: number;
  /** Findings that are not errors (to review). */
  notes: number;
  /** The text report (formatText), present when the rehearsal failed. */
  report?: string;
}

/** Told about long one-time work (building the bundle), one line without a newline. */
type Progress = (message: string) => void;

let loading: Promise<LoadedBundle> | undefined;
/**
 * Loaded once and kept: every `import()` call goes through the module loader again, and under
 * tsx that is a round trip to its loader thread (about a tenth of a warm rehearsal). From the
 * cached bundle (rehearsal-bundle.ts) unless `PAYDAY_REHEARSAL_BUNDLE=0`; when the bundle cannot
 * be built or loaded (no esbuild, a read-only cache), from the modules themselves.
 */
function loadRehearsal(progress?: Progress): Promise<LoadedBundle> {
  loading ??= importRehearsal(progress);
  return loading;
}
async function importRehearsal(progress?: Progress): Promise<LoadedBundle> {
  if (process.env.PAYDAY_REHEARSAL_BUNDLE !== '0') {
    try {
      return await loadRehearsalBundle(defaultCacheDir(), progress ? { onBuild: progress } : {});
    } catch {
      // The modules themselves run the same code, only slower to load.
    }
  }
  return { module: await import('./rehearsal-entry.js'), built: false };
}

/**
 * The rehearsal's module (rehearsal-entry.ts), loaded once per process: the render command takes
 * its policy gate from it too.
 */
export async function loadRehearsalModule(progress?: Progress): Promise<RehearsalModule> {
  return (await loadRehearsal(progress)).module;
}

export async function rehearseRendered(request: RehearsalRequest): Promise<RehearsalOutcome> {
  const loaded = await loadRehearsal(request.progress);
  const { CHECKS, formatText, fromRendered, readGitopsDir, rehearse, rehearsalChecks } = loaded.module;
  const inputs = fromRendered(request.objects);
  if (request.sharedFrom && existsSync(request.sharedFrom))
    inputs.push(...readGitopsDir(request.sharedFrom, { sharedOnly: true }));
  const result = rehearse(inputs, {
    checks: rehearsalChecks(CHECKS),
    ...(request.only ? { only: request.only } : {}),
  });
  // The bundle has run now: its V8 code cache holds the compiled functions (validate/compile.ts),
  // and the queries it parsed can be kept (rehearsal-bundle.ts). Once per process; a cache that
  // cannot be written costs the next process time, never a verdict.
  const afterRun = loaded.afterRun;
  if (afterRun) {
    delete loaded.afterRun;
    await afterRun().catch(() => {});
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  return {
    passed: result.passed,
    scenarios: result.scenarios.length,
    errors,
    notes: result.findings.length - errors,
    ...(result.passed ? {} : { report: formatText(result) }),
  };
}
