import { isSQLWrapper, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { type PreparedStatement, prepareStatement } from '../prepared.js';
import { defaultMaxAttempts } from './job-types.js';
import { ENQUEUE_MANY_SQL, wakeUp } from './statements.js';

/**
 * Payloads of the job types (team brief, "The jobs table"). Every field is text:
 * `enqueueStatement` builds a payload with `jsonb_build_object` from text values.
 */
export interface JobPayloads {
  'payment.process': { payment_id: string };
  'webhook.deliver': { event_id: string; endpoint_id: string };
  'payout.settle': { date: string };
}

export type JobType = keyof JobPayloads;

export interface EnqueueOptions<T extends JobType> {
  type: T;
  payload: JobPayloads[T];
  /** Not before this instant; default now. */
  runAt?: Date;
  /** At most one job per key ever (`jobs.unique_key`): a duplicate enqueue is a no-op. */
  uniqueKey?: string;
  /** Default: the type's budget in `job-types.ts` (10 for every current type). */
  maxAttempts?: number;
  /** W3C trace context (`traceparent`, `tracestate`) so the job's spans join the request's trace. */
  traceContext?: Record<string, string> | null;
}

/** A job's value, or SQL standing for it: a prepared statement's placeholder, a column of `source`. */
export type JobValue<V> = V | SQLWrapper;

/** What `enqueueStatement` inserts: `EnqueueOptions` whose values may be SQL. */
export interface JobInsert<T extends JobType> {
  type: T;
  payload: { [K in keyof JobPayloads[T]]: JobValue<JobPayloads[T][K]> };
  /** Not before this instant (or SQL standing for it, a `timestamptz`); default now. */
  runAt?: JobValue<Date>;
  uniqueKey?: JobValue<string>;
  maxAttempts?: JobValue<number>;
  traceContext?: JobValue<Record<string, string> | null> | undefined;
  /**
   * One job per row of this FROM clause (with its conditions), whose columns the values may
   * name; without it, one job.
   */
  source?: SQL;
  /**
   * Send the workers' wake-up (`wakeUp`) when the job is due; default true. Off, the job waits
   * for the workers' poll (the benchmark's baseline for the wake-up's cost).
   */
  wake?: boolean;
}

/**
 * The queue's one INSERT: `insert into jobs … select … on conflict (unique_key) … do nothing`, the
 * statement `enqueue` runs, the webhook fan-out runs (one job per endpoint, `source`) and the
 * API's payment creation runs as a data-modifying CTE. Every value is cast, so the statement
 * reads the same whether a value is a parameter, a placeholder or an expression; the text
 * depends only on which options are given, so a statement built from it can be prepared. The
 * conflict target's predicate is explained at `ENQUEUE_MANY_SQL`.
 *
 * It also wakes the workers (`wakeUp`, unless `wake` is false): the `type` value is an
 * uncorrelated sub-select that notifies on its way, which PostgreSQL evaluates once per
 * statement, when the first row is built, and not at all when `source` yields no row (an
 * "InitPlan"; PostgreSQL docs, EXPLAIN). So a fan-out to no endpoint sends nothing, and a job
 * whose `runAt` is still in the future sends nothing (the poll finds it when due), nor does one
 * job whose `uniqueKey` already exists. With `source`, a row then skipped as a duplicate key has
 * already notified: at most one empty claim per worker.
 */
export function enqueueStatement<T extends JobType>(job: JobInsert<T>): SQL {
  const payload = sql.join(
    Object.entries(job.payload as Record<string, JobValue<string>>).map(([key, value]) => {
      if (!/^[a-z_]+$/.test(key))
        throw new Error(`job payload key ${JSON.stringify(key)} is not a plain name`);
      return sql`${sql.raw(`'${key}'`)}, ${value}::text`;
    }),
    sql`, `,
  );
  const trace = isSQLWrapper(job.traceContext) ? job.traceContext : traceContextJson(job.traceContext);
  const from = job.source ? sql` from ${job.source}` : sql``;
  const runAt =
    job.runAt === undefined
      ? undefined
      : sql`${isSQLWrapper(job.runAt) ? job.runAt : job.runAt.toISOString()}::timestamptz`;
  const type =
    job.wake === false
      ? sql`${job.type}::text`
      : wakingType(job.type, runAt, job.source ? undefined : job.uniqueKey);
  return sql`insert into jobs (type, payload, run_at, unique_key, max_attempts, trace_context)
      select ${type}, jsonb_build_object(${payload}),
             ${runAt ?? sql`now()`},
             ${job.uniqueKey ?? null}::text, ${job.maxAttempts ?? defaultMaxAttempts(job.type)}::int,
             ${trace}::jsonb${from}
      on conflict (unique_key) where unique_key is not null do nothing`;
}

/**
 * `type` as a sub-select that sends the wake-up for it: always the type, notifying on the way
 * unless `runAt` (default now) is still in the future or the job's `uniqueKey` already exists
 * (the daily settlement is enqueued on every maintenance tick and is a duplicate on all but the
 * first, so it would wake every worker's lane for nothing). The key is checked only when it
 * cannot name a column of `source`, the sub-select being evaluated before any row.
 */
function wakingType(type: JobType, runAt: SQL | undefined, uniqueKey: JobValue<string> | undefined): SQL {
  const skip = [
    ...(runAt ? [sql`when ${runAt} > clock_timestamp() then true`] : []),
    ...(uniqueKey !== undefined
      ? [sql`when exists (select from jobs where unique_key = ${uniqueKey}::text) then true`]
      : []),
  ];
  const wake = sql.raw(wakeUp('w.type'));
  const condition = skip.length ? sql`case ${sql.join(skip, sql` `)} else ${wake} end` : wake;
  return sql`(select w.type from (select ${type}::text as type) as w where ${condition})`;
}

/** `jobs.trace_context` as JSON text: null when there is none (an empty carrier is none). */
export function traceContextJson(traceContext: Record<string, string> | null | undefined): string | null {
  return traceContext && Object.keys(traceContext).length ? JSON.stringify(traceContext) : null;
}

/**
 * Adds a job inside the caller's transaction (the transactional-outbox pattern): the job exists
 * if and only if the change that needs it commits. Returns the job id, or null when a job with
 * the same `uniqueKey` already exists.
 *
 * It runs `enqueueReturningId` compiled once per shape (`compiledEnqueue`) as a named prepared
 * statement: one Bind/Execute round trip, where drizzle's `execute` of the same `sql` sends
 * Parse/Describe and waits before Bind/Execute (two round trips, see apps/db/src/prepared.ts),
 * and rebuilt the statement's fragments on every call (about 35 µs of CPU and most of the
 * enqueue's garbage; bench/README.md, "Fifth round: warm-ups and sample sizes").
 */
export async function enqueue<T extends JobType>(
  tx: Executor,
  options: EnqueueOptions<T>,
): Promise<{ id: number } | null> {
  const statement = compiledEnqueue(options);
  const rows = statement
    ? await statement.execute(tx, enqueueValues(options))
    : await tx.execute<{ id: string | number }>(enqueueReturningId(options));
  return rows[0] ? { id: Number(rows[0].id) } : null;
}

type EnqueueValues = Record<string, unknown>;

/** The shapes `enqueue` has compiled, by `shapeOf`: a handful in all (the job types' payloads). */
const compiled = new Map<string, PreparedStatement<EnqueueValues>>();
/**
 * Job types and payload keys come from code (`JobPayloads`), so the shapes are few (about 30
 * possible today). The bound keeps a caller that builds payload keys from data from growing the
 * map, and every connection's statement cache with it: postgres.js keeps a prepared statement
 * per connection until the connection closes (postgres 3.4.9 src/connection.js, `statements`).
 * A shape past the bound runs unprepared, as every enqueue did before.
 */
export const MAX_ENQUEUE_SHAPES = 64;

/**
 * What decides the statement's text: the type (its default attempt budget is part of the
 * statement unless `maxAttempts` is given), the payload's keys in order, and which optional
 * values are given. The values themselves are parameters (`enqueueValues`).
 */
function shapeOf(options: EnqueueOptions<JobType>): string {
  return [
    options.type,
    Object.keys(options.payload).join(','),
    options.runAt === undefined ? '' : 'runAt',
    options.uniqueKey === undefined ? '' : 'uniqueKey',
    options.maxAttempts === undefined ? '' : 'maxAttempts',
  ].join('|');
}

/**
 * `enqueueReturningId` for the shape of `options`, compiled once with placeholders; undefined
 * once `MAX_ENQUEUE_SHAPES` other shapes were compiled.
 */
export function compiledEnqueue(
  options: EnqueueOptions<JobType>,
): PreparedStatement<EnqueueValues> | undefined {
  const shape = shapeOf(options);
  let statement = compiled.get(shape);
  if (!statement) {
    if (compiled.size >= MAX_ENQUEUE_SHAPES) return undefined;
    statement = prepareStatement<EnqueueValues>(
      enqueueReturningId({
        type: options.type,
        payload: Object.fromEntries(Object.keys(options.payload).map((k) => [k, sql.placeholder(`p_${k}`)])),
        ...(options.runAt === undefined ? {} : { runAt: sql.placeholder('runAt') }),
        ...(options.uniqueKey === undefined ? {} : { uniqueKey: sql.placeholder('uniqueKey') }),
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: sql.placeholder('maxAttempts') }),
        traceContext: sql.placeholder('traceContext'),
      } as JobInsert<JobType>),
    );
    compiled.set(shape, statement);
  }
  return statement;
}

/** The placeholders' values for `compiledEnqueue(options)`. */
function enqueueValues(options: EnqueueOptions<JobType>): EnqueueValues {
  const values: EnqueueValues = { traceContext: traceContextJson(options.traceContext) };
  for (const [k, v] of Object.entries(options.payload)) values[`p_${k}`] = v;
  if (options.runAt !== undefined) values.runAt = options.runAt.toISOString();
  if (options.uniqueKey !== undefined) values.uniqueKey = options.uniqueKey;
  if (options.maxAttempts !== undefined) values.maxAttempts = options.maxAttempts;
  return values;
}

/** The statement `enqueue` runs (the benchmark runs it too, bench/suites/queue-peers.ts). */
export function enqueueReturningId<T extends JobType>(job: JobInsert<T>): SQL {
  return sql`${enqueueStatement(job)} returning id`;
}

/**
 * Adds many jobs in ONE statement inside the caller's transaction (see `ENQUEUE_MANY_SQL`):
 * one round trip and one plan whatever the count, and at most one wake-up notification per job type.
 * Returns the ids of the jobs inserted; a job whose `uniqueKey` already exists (in the table or
 * earlier in the same batch) is skipped.
 */
export async function enqueueMany(
  tx: Executor,
  jobsToAdd: readonly EnqueueOptions<JobType>[],
): Promise<number[]> {
  if (jobsToAdd.length === 0) return [];
  const records = jobsToAdd.map((o) => ({
    type: o.type,
    payload: o.payload,
    run_at: o.runAt ? o.runAt.toISOString() : null,
    unique_key: o.uniqueKey ?? null,
    max_attempts: o.maxAttempts ?? defaultMaxAttempts(o.type),
    trace_context: o.traceContext && Object.keys(o.traceContext).length ? o.traceContext : null,
  }));
  const [before, after] = ENQUEUE_MANY_SQL.split('$1') as [string, string];
  const rows = await tx.execute<{ id: string | number }>(
    sql.join([sql.raw(before), sql`${JSON.stringify(records)}`, sql.raw(after)]),
  );
  return [...rows].map((r) => Number(r.id));
}
