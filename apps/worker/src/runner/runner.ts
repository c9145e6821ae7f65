/**
 * The job runner: claims batches, runs handlers with bounded concurrency, completes finished jobs
 * in batches, retries or dead-letters failed ones, keeps leases alive, and drains on stop.
 *
 * Delivery is at-least-once: a job is only marked completed after its handler returned (or inside
 * the handler's transaction), so a crash at any point leaves the job `running` with a lease that
 * expires and the rescue puts it back (docs/design/apps.md §Worker and the job queue; invariant 6
 * of docs/design/apps.md §Invariants).
 */
import {
  type ClaimedJob,
  claimJobs,
  claimOtherJobs,
  completeJobs,
  type Database,
  deadLetterJob,
  extendLeases,
  LeaseLostError,
  releaseJobs,
  retryJob,
} from '@payday/db';
import { redactText } from '@payday/db/log-redaction';
import { type Clock, databaseClock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { JobOutcome, WorkerMetrics } from '../observability/metrics.js';
import { withJobSpan } from '../observability/tracing.js';
import { backoffDelayMs } from '../retry/backoff.js';
import { type JobHandler, PermanentJobError, RetryableJobError } from './handler.js';
import { JobRun } from './job-run.js';
import { WakeListener, type WakeListenerOptions } from './wake-listener.js';

export interface RunnerOptions {
  database: Database;
  handlers: readonly JobHandler<unknown>[];
  workerId: string;
  /** Jobs of one type running at once in this process (each type has its own slots). */
  concurrency: number;
  /** Per-type overrides of `concurrency`, e.g. `{ 'payout.settle': 1 }`. */
  typeConcurrency?: Readonly<Record<string, number>>;
  /** Jobs claimed per query. */
  batchSize: number;
  /**
   * Jobs a lane may hold claimed beyond its slots (a local queue, default 0): the next batch is
   * already here when a slot frees, so a lane is not bound to one claim round trip per batch.
   * A lane also claims whenever a whole batch fits; with `prefetch` at least twice `batchSize`
   * that is while it still works through the batch it holds, so claims overlap the work, and it
   * sends the next claim before the previous one answered (claims in flight count against the
   * bound, see `#claimAhead`).
   * The price: those jobs are locked while they wait, and if the worker dies they come back
   * only when their lease expires, with the attempt their claim counted used up (the rescue
   * cannot tell a job that never started from one that crashed; on its last attempt it goes dead).
   */
  prefetch?: number;
  /** Sleep of a lane that found nothing; the fallback when a wake-up notification is missed. */
  pollIntervalMs: number;
  leaseMs: number;
  log: Logger;
  metrics?: WorkerMetrics;
  clock?: Clock;
  /** Jitter source for backoff; injectable for exact tests. */
  random?: () => number;
  /**
   * Wake on work: LISTEN for the enqueue statements' notifications (wake-listener.ts). Off, the
   * runner only polls. Pass listener options (self-check period, backoff) to tune it.
   */
  listen?: boolean | Omit<WakeListenerOptions, 'sql' | 'workerId' | 'log' | 'onWake'>;
}

interface InFlight {
  job: ClaimedJob;
  lane: Lane;
  /** The handler's context; `run.abort()` fires its signal. */
  run: JobRun;
  started: number;
  done: Promise<void>;
}

/**
 * The slots of one job type. Each type claims only its own jobs into its own slots, so a slow
 * type (a webhook receiver that takes 10 s per attempt) can fill its lane but never delays
 * another type's jobs (apps/worker/README.md, "Concurrency per job type").
 */
interface Lane {
  /** The job type, or `*` for types no handler knows (dead-lettered one at a time). */
  readonly name: string;
  readonly slots: number;
  busy: number;
  /** A notification came since the lane last began a claim. */
  woken: boolean;
  /** The last claim got fewer jobs than it asked for: the queue of this type looked empty. */
  drained: boolean;
  /** Claimed jobs waiting for a slot (only with `prefetch`). */
  buffer: ClaimedJob[];
  /** Claims in flight, the jobs they asked for in all, and their settling promises. */
  claiming: number;
  reserved: number;
  pending: Set<Promise<void>>;
  /** The last reply was short (the loop then waits) or the last claim failed (it backs off). */
  short: boolean;
  failed: boolean;
  wake: (() => void) | undefined;
  loop: Promise<void> | undefined;
  claims: number;
  emptyClaims: number;
}

export interface LaneStats {
  slots: number;
  busy: number;
  /** Claim queries sent, and how many of them came back empty. */
  claims: number;
  emptyClaims: number;
  /** Claimed jobs waiting for a slot (the local queue), and claims sent but not answered yet. */
  queued: number;
  claiming: number;
}

export interface DrainResult {
  /** Jobs that finished during the drain. */
  finished: number;
  /** Jobs given back to the queue because the drain budget ran out. */
  released: number;
}

const DRAIN_REASON = 'worker is draining';
const OTHER_LANE = '*';

export class JobRunner {
  readonly #o: RunnerOptions;
  readonly #handlers: Map<string, JobHandler<unknown>>;
  readonly #lanes: Map<string, Lane>;
  readonly #inFlight = new Map<number, InFlight>();
  readonly #clock: Clock;
  readonly #listener: WakeListener | undefined;
  #pendingComplete: { id: number; type: string; started: number }[] = [];
  #flushing: Promise<void> | undefined;
  #stopping = false;
  #started = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #toRelease: number[] = [];
  /**
   * When the lease of each job claimed ahead (in a lane's buffer) runs out, as this process can
   * tell: the time its claim was sent, or its last extending heartbeat was, plus `leaseMs`. Read
   * on the injected clock, else the monotonic one (earlier than the database's own expiry).
   */
  readonly #leaseUntil = new Map<number, number>();

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#clock = options.clock ?? databaseClock;
    this.#handlers = new Map(options.handlers.map((h) => [h.type, h]));
    const lane = (name: string, slots: number): [string, Lane] => [
      name,
      {
        name,
        slots,
        busy: 0,
        woken: false,
        drained: true,
        buffer: [],
        claiming: 0,
        reserved: 0,
        pending: new Set(),
        short: false,
        failed: false,
        wake: undefined,
        loop: undefined,
        claims: 0,
        emptyClaims: 0,
      },
    ];
    this.#lanes = new Map([
      ...[...this.#handlers.keys()].map((t) => lane(t, options.typeConcurrency?.[t] ?? options.concurrency)),
      lane(OTHER_LANE, 1),
    ]);
    if (options.listen) {
      this.#listener = new WakeListener({
        ...(typeof options.listen === 'object' ? options.listen : {}),
        sql: options.database.sql,
        workerId: options.workerId,
        log: options.log,
        onWake: (type) => this.#onWake(type),
      });
    }
  }

  /** Jobs currently held by this process. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get running(): boolean {
    return this.#started && !this.#stopping;
  }

  /** The wake-up listener, when `listen` is on (its state and counters). */
  get listener(): WakeListener | undefined {
    return this.#listener;
  }

  /** Slots and claim counters per lane (job type; `*` = types no handler knows). */
  laneStats(): Record<string, LaneStats> {
    return Object.fromEntries(
      [...this.#lanes.values()].map((l) => [
        l.name,
        {
          slots: l.slots,
          busy: l.busy,
          claims: l.claims,
          emptyClaims: l.emptyClaims,
          queued: l.buffer.length,
          claiming: l.claiming,
        },
      ]),
    );
  }

  start(): void {
    if (this.#started) throw new Error('runner already started');
    this.#started = true;
    this.#listener?.start();
    for (const lane of this.#lanes.values()) lane.loop = this.#run(lane);
    const beat = Math.max(250, Math.floor(this.#o.leaseMs / 3));
    this.#heartbeat = setInterval(() => void this.#extend(), beat);
    this.#heartbeat.unref();
  }

  /**
   * Claims one batch per job type (and, when those found nothing, of unknown types) and
   * processes them to the end (no loop): used by tests that step an injected clock, and by the
   * benchmark. Returns the number of jobs claimed.
   */
  async runOnce(): Promise<number> {
    let claimed = 0;
    for (const lane of this.#lanes.values()) {
      // Unknown types only once the known ones came back empty: one query per step, not two.
      if (lane.name === OTHER_LANE && claimed > 0) continue;
      const jobs = await this.#claim(lane, Math.min(this.#o.batchSize, lane.slots));
      for (const job of jobs) this.#dispatch(job, lane);
      claimed += jobs.length;
    }
    await Promise.all([...this.#inFlight.values()].map((f) => f.done));
    await this.#flush();
    return claimed;
  }

  /**
   * Graceful drain (SIGTERM): stop claiming, let in-flight jobs finish for up to `budgetMs`,
   * then abort the rest and release them to the queue without using an attempt.
   */
  async stop(budgetMs: number): Promise<DrainResult> {
    const before = this.#inFlight.size;
    this.#stopping = true;
    for (const lane of this.#lanes.values()) lane.wake?.();
    await Promise.all([...this.#lanes.values()].map((l) => l.loop));
    await this.#listener?.stop();
    // Prefetched jobs never ran: they go back now, without an attempt used, not after the drain.
    // From here on the heartbeat no longer extends them, and a drain budget may exceed the
    // lease: held until the running jobs finish, they could expire and be rescued with the
    // attempt their claim counted (dead-lettered on their last one) instead of running elsewhere.
    for (const lane of this.#lanes.values()) this.#toRelease.push(...lane.buffer.splice(0).map((j) => j.id));
    this.#leaseUntil.clear();
    const releasedUnstarted = await this.#release();
    const all = Promise.all([...this.#inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), budgetMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      const left = [...this.#inFlight.values()];
      for (const f of left) f.run.abort(new Error(DRAIN_REASON));
      // Handlers see the abort (HTTP requests are cancelled, transactions roll back) and settle.
      await Promise.all(left.map((f) => f.done));
    }
    await this.#flush();
    // The heartbeat ran through the drain: a drain longer than the lease must not let another
    // worker take over jobs this one is still finishing.
    clearInterval(this.#heartbeat);
    const releasedInFlight = await this.#release();
    return { finished: before - releasedInFlight, released: releasedUnstarted + releasedInFlight };
  }

  /**
   * Gives the jobs collected in `#toRelease` back to the queue; returns how many it released.
   * A release that fails (the database gone at SIGTERM) is logged and the drain goes on: the
   * jobs' leases expire and the rescue gives them back, with the attempt their claim counted.
   */
  async #release(): Promise<number> {
    if (this.#toRelease.length === 0) return 0;
    const ids = this.#toRelease;
    this.#toRelease = [];
    try {
      const released = (await releaseJobs(this.#o.database.sql, ids, { workerId: this.#o.workerId })).length;
      this.#o.log.info({ released_jobs: ids }, 'released unfinished jobs to the queue');
      return released;
    } catch (err) {
      this.#o.log.error(
        { err, jobs: ids },
        'releasing jobs failed; their leases expire and the rescue returns them',
      );
      return 0;
    }
  }

  /**
   * One lane's loop: claim into its free slots (and its local queue, see `#claimAt`), dispatch,
   * and when the queue had nothing, sleep until a notification for its type, a freed slot, or the
   * poll interval. Notifications that arrive while a claim runs only set `woken`, so a burst of
   * enqueues costs the lane one more claim, not one per job; while the lane is full they do not
   * wake it at all.
   *
   * A claim is not awaited here: its reply (`#claimed`) fills the lane and wakes this loop. While
   * one is in flight the loop may send another (`#claimAhead`), so with a local queue the next
   * batch is already on its way while the server answers the previous one and the lane works
   * through what it holds; every claim in flight counts against the lane's room, so slots plus
   * `prefetch` stay the bound on what the lane holds. On stop, the loop ends only once its claims
   * have answered, and whatever they brought is given back (`stop`).
   */
  async #run(lane: Lane): Promise<void> {
    const prefetch = this.#o.prefetch ?? 0;
    while (!this.#stopping) {
      this.#fill(lane);
      if (lane.claiming > 0) {
        if (!this.#claimAhead(lane, prefetch)) {
          // The reply wakes the lane; `woken` must not end this wait at once (it would spin).
          await this.#sleep(lane, this.#o.pollIntervalMs, true);
          continue;
        }
      } else {
        if (lane.failed) {
          lane.failed = false;
          await this.#sleep(lane, this.#o.pollIntervalMs, true);
          continue;
        }
        // Fewer jobs than asked for: the queue looked empty, so wait for a wake-up or the poll
        // rather than asking again at once.
        if (lane.short) {
          lane.short = false;
          if (!lane.woken) {
            await this.#sleep(lane, this.#idlePollMs(lane));
            continue;
          }
        }
        if (this.#room(lane, prefetch) < this.#claimAt(lane, prefetch)) {
          await this.#sleep(lane, this.#o.pollIntervalMs);
          continue;
        }
        // Jobs of one batch finish in the same tick: let them all free their slots first, so the
        // next claim fetches one batch instead of one job per freed slot.
        if (lane.busy > 0) {
          await new Promise((r) => setImmediate(r));
          if (this.#stopping) break;
        }
      }
      const limit = Math.min(this.#room(lane, prefetch), this.#o.batchSize);
      if (limit < 1) continue;
      lane.woken = false;
      this.#send(lane, limit);
    }
    await Promise.all(lane.pending);
  }

  /** What a lane may still claim: slots plus local queue, less what it holds and what it asked for. */
  #room(lane: Lane, prefetch: number): number {
    return lane.slots + prefetch - lane.busy - lane.buffer.length - lane.reserved;
  }

  /**
   * Whether a lane with a claim in flight sends another now: only with a local queue, only for a
   * known type (the unknown-types lane claims one job at a time), only while the queue of its
   * type looked full at the last reply (no pipelined empty claims at the tail of a burst), and
   * only when a whole batch still fits beside what is held and asked for.
   */
  #claimAhead(lane: Lane, prefetch: number): boolean {
    return (
      prefetch > 0 &&
      lane.name !== OTHER_LANE &&
      !lane.drained &&
      this.#room(lane, prefetch) >= Math.min(this.#o.batchSize, prefetch)
    );
  }

  /** Sends one claim for the lane without waiting for it; `#claimed` takes the reply. */
  #send(lane: Lane, limit: number): void {
    const claimedAt = this.#now();
    lane.claiming++;
    lane.reserved += limit;
    const reply = this.#claim(lane, limit).then(
      (jobs) => this.#claimed(lane, limit, claimedAt, jobs),
      (err: unknown) => {
        this.#o.log.error({ err, lane: lane.name }, 'claiming jobs failed; retrying after the poll interval');
        lane.failed = true;
      },
    );
    const settled = reply.finally(() => {
      lane.claiming--;
      lane.reserved -= limit;
      lane.pending.delete(settled);
      lane.wake?.();
    });
    lane.pending.add(settled);
  }

  /** A claim's reply: into the lane's local queue and slots, or straight back when stopping. */
  #claimed(lane: Lane, limit: number, claimedAt: number, jobs: ClaimedJob[]): void {
    if (this.#stopping) {
      // Claimed while a stop began: give them straight back.
      this.#toRelease.push(...jobs.map((j) => j.id));
      return;
    }
    lane.drained = jobs.length < limit;
    if (lane.drained) lane.short = true;
    for (const job of jobs) this.#leaseUntil.set(job.id, claimedAt + this.#o.leaseMs);
    lane.buffer.push(...jobs);
    this.#fill(lane);
  }

  /**
   * How much room a lane needs before it claims. Without prefetch: one free slot. With it: a
   * full batch (so the next claim runs while the lane works through the jobs it holds, instead
   * of after them), or any room at all once fewer than one round of jobs waits.
   */
  #claimAt(lane: Lane, prefetch: number): number {
    if (prefetch === 0 || lane.buffer.length < lane.slots) return 1;
    return Math.min(this.#o.batchSize, prefetch);
  }

  /**
   * The idle poll of a lane. Unknown job types only appear when a newer release enqueued them,
   * and their notifications wake this lane anyway, so it polls ten times less often, at least
   * every 5 s and at most once a second, instead of adding a claim query per poll interval to
   * every idle worker. Its claim first lists the queued types with a loose index scan (one index
   * descent per queued type, `CLAIM_OTHER_SQL`); until it did, it read every queued job of the
   * known types: 6–10 ms of server time with 20,000 of them queued, which a 10 ms poll interval
   * used to spend every 100 ms of a drain.
   */
  #idlePollMs(lane: Lane): number {
    const poll = this.#o.pollIntervalMs;
    return lane.name === OTHER_LANE ? Math.max(poll, Math.min(Math.max(poll * 10, 1000), 5000)) : poll;
  }

  async #claim(lane: Lane, limit: number): Promise<ClaimedJob[]> {
    const options = {
      workerId: this.#o.workerId,
      limit,
      leaseMs: this.#o.leaseMs,
      now: this.#clock.now(),
    };
    lane.claims++;
    const jobs =
      lane.name === OTHER_LANE
        ? await claimOtherJobs(this.#o.database.sql, { ...options, knownTypes: [...this.#handlers.keys()] })
        : await claimJobs(this.#o.database.sql, { ...options, type: lane.name });
    if (jobs.length === 0) lane.emptyClaims++;
    return jobs;
  }

  /** A notification named `type`: wake its lane if it has a free slot, else remember it. */
  #onWake(type: string): void {
    const lane = this.#lanes.get(type) ?? this.#lanes.get(OTHER_LANE)!;
    lane.woken = true;
    if (lane.busy < lane.slots) lane.wake?.();
  }

  /** Sleeps until the timeout, a stop, a wake-up for the lane, or a freed slot. */
  #sleep(lane: Lane, ms: number, ignoreWoken = false): Promise<void> {
    if (this.#stopping || (lane.woken && !ignoreWoken && lane.busy < lane.slots)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        lane.wake = undefined;
        resolve();
      }
      lane.wake = done;
    });
  }

  /**
   * Moves buffered jobs into the lane's free slots. A job whose lease ran out while it waited
   * (no heartbeat got through for a whole lease) is dropped unstarted: the rescue may have given
   * it back and another worker may be running it; if not, the rescue gives it back.
   */
  #fill(lane: Lane): void {
    while (lane.busy < lane.slots && lane.buffer.length > 0 && !this.#stopping) {
      const job = lane.buffer.shift()!;
      const leaseUntil = this.#leaseUntil.get(job.id);
      this.#leaseUntil.delete(job.id);
      if (leaseUntil !== undefined && this.#now() >= leaseUntil) {
        this.#o.log.warn({ job_id: job.id }, 'the lease of a job claimed ahead ran out; not starting it');
        continue;
      }
      this.#dispatch(job, lane);
    }
  }

  /** Now in ms, on the injected clock when there is one, else the monotonic clock. */
  #now(): number {
    return this.#clock.now()?.getTime() ?? performance.now();
  }

  #dispatch(job: ClaimedJob, lane: Lane): void {
    const run = new JobRun(job, this.#o.database, this.#o.workerId, this.#o.log, this.#clock);
    const entry: InFlight = { job, lane, run, started: performance.now(), done: Promise.resolve() };
    this.#inFlight.set(job.id, entry);
    lane.busy++;
    entry.done = this.#process(entry).finally(() => {
      this.#inFlight.delete(job.id);
      lane.busy--;
      this.#fill(lane);
      // A freed slot is only worth a claim when the queue may hold more: the last claim filled
      // every slot it asked for, or a notification came meanwhile. Otherwise the lane waits for
      // a notification or its poll, so the tail of a burst costs no empty claims.
      if (!lane.drained || lane.woken || this.#stopping) lane.wake?.();
    });
  }

  async #process(entry: InFlight): Promise<void> {
    const { job, run } = entry;
    const handler = this.#handlers.get(job.type);
    if (!handler) {
      await this.#dead(entry, `unknown job type ${JSON.stringify(job.type)}`, run.log);
      return;
    }
    const parsed = handler.payload.safeParse(job.payload);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      await this.#dead(entry, `malformed payload: ${issues}`, run.log);
      return;
    }
    try {
      await withJobSpan(job, () => handler.run(parsed.data, run));
    } catch (err) {
      await this.#failed(entry, handler, err, run.log);
      return;
    }
    if (run.completedInTx) {
      this.#record(job.type, 'completed', entry.started);
      if (this.#o.log.isLevelEnabled('debug')) run.log.debug('job completed');
      return;
    }
    // The slot frees now; the completion joins the next batched UPDATE, which runs while the
    // lane already claims its next jobs (a crash before it commits re-runs the job, as before).
    this.#pendingComplete.push({ id: job.id, type: job.type, started: entry.started });
    this.#kickFlush();
  }

  /**
   * Starts a completion round unless one runs: after one macrotask (so every job of a batch
   * that finishes in this tick joins), it completes everything pending in one statement, and
   * repeats while more jobs finished meanwhile. A batch of no-op jobs costs one UPDATE.
   */
  #kickFlush(): void {
    if (this.#flushing) return;
    this.#flushing = (async () => {
      await new Promise((r) => setImmediate(r));
      while (this.#pendingComplete.length) {
        const batch = this.#pendingComplete;
        this.#pendingComplete = [];
        await this.#complete(batch);
      }
    })().finally(() => {
      this.#flushing = undefined;
      if (this.#pendingComplete.length) this.#kickFlush();
    });
  }

  /** Waits until every finished job's completion was written. */
  async #flush(): Promise<void> {
    while (this.#flushing || this.#pendingComplete.length) {
      this.#kickFlush();
      await this.#flushing;
    }
  }

  async #complete(batch: { id: number; type: string; started: number }[]): Promise<void> {
    try {
      const done = new Set(
        await completeJobs(
          this.#o.database.sql,
          batch.map((b) => b.id),
          { workerId: this.#o.workerId, now: this.#clock.now() },
        ),
      );
      for (const b of batch) {
        if (done.has(b.id)) this.#record(b.type, 'completed', b.started);
        else this.#o.log.warn({ job_id: b.id }, 'finished a job whose lease was lost; it will run again');
      }
    } catch (err) {
      // The jobs stay `running`; their leases expire and they run again (at-least-once).
      this.#o.log.error({ err, job_ids: batch.map((b) => b.id) }, 'completing jobs failed');
    }
  }

  async #failed(entry: InFlight, handler: JobHandler<unknown>, err: unknown, log: Logger): Promise<void> {
    const { job, run } = entry;
    // Stored in jobs.last_error: no bound values, quoted rows or secrets (apps/worker/README.md).
    const message = redactText(err instanceof Error ? err.message : String(err));
    try {
      if (err instanceof LeaseLostError) {
        log.warn({ err }, 'lease lost; the work was rolled back and another worker owns the job');
        return;
      }
      if (run.aborted && this.#stopping) {
        this.#toRelease.push(job.id);
        return;
      }
      if (err instanceof PermanentJobError) {
        await this.#dead(entry, message, log);
        return;
      }
      if (job.attempts >= job.maxAttempts) {
        await this.#dead(entry, `gave up after ${job.attempts} attempts: ${message}`, log);
        return;
      }
      let delayMs = backoffDelayMs(handler.backoff, job.attempts, this.#o.random);
      if (err instanceof RetryableJobError && err.retryAfterMs !== undefined) {
        delayMs = Math.max(delayMs, err.retryAfterMs);
      }
      const retried = await retryJob(this.#o.database.sql, job.id, {
        workerId: this.#o.workerId,
        now: this.#clock.now(),
        delayMs,
        error: message,
      });
      if (retried) {
        this.#record(job.type, 'retried', entry.started);
        log.warn(
          { err: message, retry_at: retried.runAt.toISOString(), delay_ms: delayMs },
          'job failed; will retry',
        );
      }
    } catch (dbErr) {
      log.error({ err: dbErr, job_error: message }, 'recording the failure failed; the lease will expire');
    }
  }

  async #dead(entry: InFlight, reason: string, log: Logger): Promise<void> {
    const ok = await deadLetterJob(this.#o.database.sql, entry.job.id, {
      workerId: this.#o.workerId,
      now: this.#clock.now(),
      reason,
    }).catch((err: unknown) => {
      log.error({ err }, 'dead-lettering failed; the lease will expire');
      return false;
    });
    if (ok) {
      this.#record(entry.job.type, 'dead', entry.started);
      log.error({ reason }, 'job dead-lettered');
    }
  }

  #record(type: string, outcome: JobOutcome, started: number): void {
    this.#o.metrics?.jobProcessed(type, outcome, (performance.now() - started) / 1000);
  }

  /** Heartbeat: extend held leases; abort jobs whose lease another worker took over. */
  async #extend(): Promise<void> {
    const buffered = [...this.#lanes.values()].flatMap((l) => l.buffer.map((j) => j.id));
    const ids = [...this.#inFlight.keys(), ...buffered];
    if (ids.length === 0) return;
    const sentAt = this.#now();
    try {
      const kept = new Set(
        await extendLeases(this.#o.database.sql, ids, {
          workerId: this.#o.workerId,
          leaseMs: this.#o.leaseMs,
          now: this.#clock.now(),
        }),
      );
      const asked = new Set(ids);
      for (const lane of this.#lanes.values()) {
        // A prefetched job whose lease another worker took over is theirs now: never start it.
        // Jobs claimed while this heartbeat was in flight were not in `ids`: they stay.
        lane.buffer = lane.buffer.filter((j) => kept.has(j.id) || !asked.has(j.id));
      }
      for (const id of buffered) {
        if (kept.has(id) && this.#leaseUntil.has(id)) this.#leaseUntil.set(id, sentAt + this.#o.leaseMs);
        else this.#leaseUntil.delete(id);
      }
      for (const id of ids) {
        const f = this.#inFlight.get(id);
        if (f && !kept.has(id) && !this.#pendingComplete.some((p) => p.id === id)) {
          f.run.abort(new Error('lease lost'));
        }
      }
    } catch (err) {
      this.#o.log.warn({ err }, 'lease heartbeat failed');
    }
  }
}
