/**
 * Time as the worker sees it. Production passes `undefined` to the queue so PostgreSQL's `now()`
 * decides (one clock for every worker host); tests inject a fixed or stepped clock to check
 * run-at, lease and backoff arithmetic without sleeping.
 */
export interface Clock {
  /** `undefined` means "the database's now()". */
  now(): Date | undefined;
}

export const databaseClock: Clock = { now: () => undefined };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  #t: number;
  constructor(start: Date | string) {
    this.#t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  set(to: Date | string): void {
    this.#t = new Date(to).getTime();
  }
}
