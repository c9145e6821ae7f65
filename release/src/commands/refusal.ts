/**
 * A release command that declines to act. Every refusal says why and how to proceed, and is
 * raised before anything is written (or after everything written was put back), so the CLI can
 * promise "nothing changed".
 */
export class Refusal extends Error {
  constructor(
    /** What is wrong, e.g. `the working tree has uncommitted changes`. */
    readonly why: string,
    /** What to do about it, e.g. `commit or stash them, then run promote again`. */
    readonly how: string,
  ) {
    super(`${why}\n  → ${how}`);
    this.name = 'Refusal';
  }
}
