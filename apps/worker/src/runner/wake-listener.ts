/**
 * Wake on work: LISTEN on the queue's channel so a runner claims a job milliseconds after its
 * enqueue commits, instead of at its next poll. The queue's enqueue statements (`wakeUp` in
 * apps/db/src/queue/statements.ts) send one notification per job type per inserting statement.
 *
 * Notifications are a hint, never the only path: the runner keeps polling, which also finds
 * scheduled (`run_at`) jobs, retries and rescued jobs, rows inserted by other means than the
 * queue's statements, and anything whose notification was lost or skipped.
 *
 * Connection loss. postgres.js runs LISTEN on a dedicated connection and re-issues it once when
 * that connection closes (postgres v3.4.9 src/index.js `listen`); when that one attempt fails the
 * listener is silently gone. So this class checks itself: every `checkIntervalMs` it notifies
 * its own channel with a ping only it recognises and expects to hear it back within
 * `checkTimeoutMs`. A missing ping (dropped, half-open or re-listen-failed connection) or a
 * failed LISTEN marks the listener down and retries with exponential backoff and jitter; the
 * runner polls meanwhile, as it always does.
 */
import { type Database, JOBS_CHANNEL } from '@payday/db';
import type { Logger } from '../observability/logger.js';
import { type BackoffPolicy, backoffDelayMs } from '../retry/backoff.js';

export type WakeState = 'stopped' | 'connecting' | 'listening' | 'down';

export interface WakeListenerOptions {
  /** The pool: LISTEN gets its own connection beside it (postgres.js `sql.listen`). */
  sql: Database['sql'];
  workerId: string;
  log: Logger;
  /** Called once per notification with the job type it names. */
  onWake(type: string): void;
  /** Called when the listener goes down or comes back. */
  onState?(state: WakeState): void;
  /** Self-check period (a ping through the channel); default 5000 ms. */
  checkIntervalMs?: number;
  /** How long a ping may take to come back before the listener counts as down; default 2000 ms. */
  checkTimeoutMs?: number;
  /** Delay between reconnection attempts; default 100 ms doubling to 10 s, ±20 %. */
  backoff?: BackoffPolicy;
  random?: () => number;
}

export interface WakeStats {
  /** Wake-up notifications received (pings excluded). */
  notifications: number;
  /** Times LISTEN succeeded (the first time included). */
  listens: number;
  /** LISTEN attempts or self-checks that failed. */
  failures: number;
}

const PING_PREFIX = 'ping:';

export class WakeListener {
  readonly #o: WakeListenerOptions;
  readonly #stats: WakeStats = { notifications: 0, listens: 0, failures: 0 };
  #state: WakeState = 'stopped';
  #unlisten: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failuresInARow = 0;
  #pingSeq = 0;
  readonly #awaitedPings = new Map<string, () => void>();
  #generation = 0;

  constructor(options: WakeListenerOptions) {
    this.#o = options;
  }

  get state(): WakeState {
    return this.#state;
  }

  get stats(): Readonly<WakeStats> {
    return { ...this.#stats };
  }

  start(): void {
    if (this.#state !== 'stopped') return;
    void this.#listen();
  }

  async stop(): Promise<void> {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#setState('stopped');
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => {});
  }

  /** Runs one self-check now (tests; the timer runs it every `checkIntervalMs`). */
  async check(): Promise<boolean> {
    if (this.#state !== 'listening') return false;
    const generation = this.#generation;
    const token = `${PING_PREFIX}${this.#o.workerId}:${++this.#pingSeq}`;
    let heardIt: () => void = () => {};
    const heard = new Promise<true>((resolve) => {
      heardIt = () => resolve(true);
    });
    // Armed before sending: the ping may arrive before the query's reply.
    this.#awaitedPings.set(token, heardIt);
    let timer: NodeJS.Timeout | undefined;
    let ok: boolean;
    try {
      // The wait starts once the NOTIFY committed, so a busy pool cannot fake a lost listener.
      await this.#o.sql`select pg_notify(${JOBS_CHANNEL}, ${token})`;
      ok = await Promise.race([
        heard,
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), this.#o.checkTimeoutMs ?? 2000);
        }),
      ]);
    } catch {
      ok = false;
    } finally {
      clearTimeout(timer);
      this.#awaitedPings.delete(token);
    }
    if (generation !== this.#generation) return ok;
    if (!ok) {
      this.#stats.failures++;
      this.#o.log.warn({ channel: JOBS_CHANNEL }, 'wake-up listener lost; polling until it is back');
      this.#down();
    }
    return ok;
  }

  async #listen(): Promise<void> {
    const generation = ++this.#generation;
    clearTimeout(this.#timer);
    this.#setState('connecting');
    const previous = this.#unlisten;
    this.#unlisten = undefined;
    // Not awaited: on a dead connection it waits for a reconnect; postgres.js queues it before
    // the new LISTEN on the same connection, so order is kept.
    previous?.().catch(() => {});
    try {
      const handle = await this.#o.sql.listen(
        JOBS_CHANNEL,
        // A listener of an earlier generation (postgres.js may re-listen it by itself after we
        // gave up on it) stays inert, so no notification is counted twice.
        (payload) => {
          if (generation === this.#generation) this.#notified(payload);
        },
        // postgres.js calls this again after it re-listened on a new connection by itself.
        () => {
          if (generation === this.#generation && this.#state !== 'listening') this.#listening();
        },
      );
      if (generation !== this.#generation) {
        await handle.unlisten().catch(() => {});
        return;
      }
      this.#unlisten = handle.unlisten;
      if (this.#state !== 'listening') this.#listening();
    } catch (err) {
      if (generation !== this.#generation) return;
      this.#stats.failures++;
      this.#o.log.warn({ err, attempt: this.#failuresInARow + 1 }, 'LISTEN failed; polling until it is back');
      this.#down();
    }
  }

  #listening(): void {
    this.#failuresInARow = 0;
    this.#stats.listens++;
    this.#setState('listening');
    this.#schedule(this.#o.checkIntervalMs ?? 5000, () => void this.check().then(() => this.#rearm()));
  }

  /** After a passing check, the next one. */
  #rearm(): void {
    if (this.#state === 'listening') {
      this.#schedule(this.#o.checkIntervalMs ?? 5000, () => void this.check().then(() => this.#rearm()));
    }
  }

  #down(): void {
    this.#setState('down');
    this.#failuresInARow++;
    const delay = backoffDelayMs(
      this.#o.backoff ?? { baseMs: 100, capMs: 10_000, jitter: 0.2 },
      this.#failuresInARow,
      this.#o.random,
    );
    this.#schedule(delay, () => void this.#listen());
  }

  #schedule(ms: number, fn: () => void): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(fn, ms);
    this.#timer.unref();
  }

  #notified(payload: string): void {
    if (payload.startsWith(PING_PREFIX)) {
      this.#awaitedPings.get(payload)?.();
      return;
    }
    this.#stats.notifications++;
    this.#o.onWake(payload);
  }

  #setState(state: WakeState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#o.onState?.(state);
  }
}
