import {
  CREATE_PAYMENTS,
  createPaymentAlone,
  createPaymentsValues,
  type Executor,
  type GroupedPaymentValues,
  pgErrorOf,
} from '@payday/db';

export interface CreationBatcherOptions {
  /**
   * Groups whose statement may be in flight at once; each holds one pool connection. Creations
   * that arrive while all are in flight wait and leave together as the next group.
   */
  maxInFlight: number;
  /** Most payments in one statement. */
  maxGroupSize: number;
}

/**
 * The grouping an app gets unless `AppDeps` says otherwise, and the defaults of
 * PAYMENT_GROUPS_IN_FLIGHT and PAYMENT_GROUP_MAX_SIZE (config.ts), which `start()` passes.
 */
export const DEFAULT_PAYMENT_GROUPS: CreationBatcherOptions = { maxInFlight: 4, maxGroupSize: 64 };

interface Pending {
  values: GroupedPaymentValues;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit of payment creations (bench/README.md, "API: where the time goes"): the
 * creations that arrive together, within one event-loop turn or while earlier groups' statements
 * are in flight, are written by ONE statement (`CREATE_PAYMENTS`, one row per payment), so
 * PostgreSQL's per-statement cost (a round trip, executor start-up, a transaction and its commit
 * record) is paid once per group instead of once per payment. A lone creation leaves at once as
 * the single-row statement it always was: no timer, only the hop to the end of the current
 * event-loop turn (`setImmediate`), in which the requests already read are served too.
 *
 * Every creation still gets its own outcome. The group statement is atomic, so when it fails
 * nothing of the group was written; each payment is then run again on its own statement, and
 * only a payment that fails alone fails, with exactly the error its own statement gives (a
 * reused Idempotency-Key's unique violation, say). An error that PostgreSQL did not report (a
 * connection lost mid-statement) leaves the outcome unknown, as it would for a single
 * statement: every payment of the group gets that error, and none is retried, since the
 * statement may have committed.
 */
export class PaymentCreationBatcher {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private sent = 0;
  private scheduled = false;

  constructor(
    private readonly db: Executor,
    private readonly options: CreationBatcherOptions,
  ) {
    if (options.maxInFlight < 1 || options.maxGroupSize < 1) {
      throw new Error('PaymentCreationBatcher needs maxInFlight and maxGroupSize of at least 1');
    }
  }

  /** Creations waiting for a group statement (not yet sent). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Group statements sent and not yet answered. */
  get groupsInFlight(): number {
    return this.inFlight;
  }

  /** Creations in those statements. */
  get creationsInFlight(): number {
    return this.sent;
  }

  /**
   * Writes one payment (with its event, fan-out and job, and its stored response when the
   * values carry one); resolves once it is committed, rejects with its own statement's error.
   */
  create(values: GroupedPaymentValues): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ values, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.options.maxInFlight) {
      const group = this.waiting.splice(0, this.options.maxGroupSize);
      this.inFlight++;
      this.sent += group.length;
      void this.send(group).finally(() => {
        this.inFlight--;
        this.sent -= group.length;
        this.schedule();
      });
    }
  }

  private async send(group: Pending[]): Promise<void> {
    if (group.length === 1) return this.sendAlone(group[0]!);
    try {
      await CREATE_PAYMENTS.execute(this.db, createPaymentsValues(group.map((p) => p.values)));
    } catch (error) {
      if (!pgErrorOf(error)) {
        for (const p of group) p.reject(error);
        return;
      }
      // Rolled back as a whole: each payment again on its own, so only a bad one fails. One
      // after another, on this group's one connection: a group of 64 retried all at once would
      // take every pool connection from the other requests, outside `maxInFlight`.
      for (const p of group) await this.sendAlone(p);
      return;
    }
    for (const p of group) p.resolve();
  }

  /** One payment on the single-row statement, the same one the API ran before grouping. */
  private async sendAlone(p: Pending): Promise<void> {
    try {
      await createPaymentAlone(this.db, p.values);
      p.resolve();
    } catch (error) {
      p.reject(error);
    }
  }
}
