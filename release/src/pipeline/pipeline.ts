/**
 * The steps a release command runs after editing an environment file: validate, render, gate,
 * write. They are injected so the release logic can be tested on small repositories with a
 * small pipeline (../testing/pipeline.ts) and run for real with the repository's own renderer and
 * policy gate (real-pipeline.ts).
 */

/** A rendered file, path relative to the repository root with `/` separators. */
export interface RenderedFile {
  path: string;
  content: string;
}

export interface RenderOutput {
  files: RenderedFile[];
  /** Folders the renderer owns for these environments: tracked files there that are not in `files` are stale. */
  owned: string[];
}

export interface GateOutcome {
  passed: boolean;
  /** One line for the terminal, e.g. `pass (14 policies, 212 objects, 0 denials)`. */
  summary: string;
  /** The full report; its sha256 goes into the `Gate:` trailer so an auditor can match it. */
  report: string;
}

export interface Pipeline {
  /**
   * Validates one environment file's text; throws an Error whose message lists every problem
   * (`file:line:col: path: message`). `envFile` is relative to the root.
   */
  validate(root: string, envFile: string, text: string): Promise<void>;
  /** Renders `envs` with `overrides` (env name → file text) in place of the files on disk, in memory. */
  render(root: string, envs: string[], overrides: Map<string, string>): Promise<RenderOutput>;
  /** Runs the policy gate over rendered output. */
  gate(root: string, envs: string[], rendered: RenderOutput): Promise<GateOutcome>;
}
