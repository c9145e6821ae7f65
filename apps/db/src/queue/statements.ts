/**
 * The queue's SQL, as text with positional parameters, in one place: the worker runs exactly
 * these statements (prepared, through postgres.js), and the benchmark feeds the same text to
 * `pgbench` as its baseline (bench/suites/worker.ts), so the comparison is like for like.
 *
 * Every statement that reads the clock takes the current time as `$1` and falls back to the database clock when it
 * is NULL (`coalesce($1, now())`): production passes NULL, so one clock (PostgreSQL's) decides
 * run-at and lease expiry for every worker host; tests pass an injected time.
 */

/**
 * Claims up to `$2` runnable jobs of type `$5` for worker `$3` with a lease of `$4` ms.
 * `FOR UPDATE SKIP LOCKED` lets concurrent workers take disjoint rows without waiting on each
 * other (PostgreSQL docs, SELECT "The Locking Clause"). The inner query is one range scan of the
 * partial index `jobs_queued_type_run_at_idx (type, run_at) WHERE status = 'queued'`, oldest
 * first, that stops at the limit. Claims are per type because the worker gives each type its own
 * slots. It is the only index whose predicate `status = 'queued'` implies (migration 0006), so
 * the plan does not depend on the `status` statistics, which are normally stale when a burst of
 * jobs arrives (last analyzed with every row completed): with an index over queued and running
 * rows the planner read and sorted every queued job of the type on each claim (statements.test.ts
 * checks the plan in that state; bench/README.md, "The claim's plan and stale statistics").
 * The UPDATE then finds the claimed rows by primary key, `id = ANY(ARRAY(SELECT id FROM next))`:
 * the planner cannot know how many ids that array will hold and assumes 10 (PostgreSQL 17
 * src/backend/utils/adt/selfuncs.c, estimate_array_length), so it probes the primary key
 * whatever the statistics say. Written as a join (`FROM next WHERE j.id = next.id`), the
 * planner hashed the claimed ids and read the whole table whenever fresh statistics said many
 * jobs were queued: 20,000 rows read to update 250. The rows come back in id order, so
 * `claimJobs` puts them in run-at order.
 * The attempt counter is raised at claim time, so a worker killed mid-job still used an attempt
 * and a job that crashes its worker every time ends dead instead of looping forever.
 *
 * The claim commits without waiting for its WAL flush (`synchronous_commit` off for this
 * transaction only, set by the statement itself: an uncorrelated sub-select runs once, before
 * any row). Safe because a claim changes nothing a client relies on: a job's effects commit in
 * its completion, which waits for the flush, and PostgreSQL flushes WAL in order, so a durable
 * completion makes its claim durable too (PostgreSQL docs, "Asynchronous Commit"). What a server
 * crash can lose is a claim whose job had not completed: the job is queued again without that
 * attempt counted and without its lease, so another worker may claim it while the first still
 * runs its handler; the first one's completion then matches no row and its transaction's effects
 * roll back, so effects inside the database stay exactly-once and effects outside it (a webhook
 * delivery) stay at-least-once, as after a worker crash. A job that crashes the server within
 * the WAL writer's delay of every claim would not use up its attempts. In exchange, the
 * enqueue→start latency and the drain lose one flush wait per claim (bench/README.md, "Enqueue
 * → start, step by step"). Run it on the pool, in its own transaction: inside a caller's
 * transaction the setting would cover the caller's writes too (claim.test.ts shows it).
 */
export const CLAIM_SQL = claimSql('type = $5::text');

/**
 * `CLAIM_SQL` for the job types `$5` (text[]) does NOT know: the worker claims them one at a
 * time to dead-letter them with a reason instead of leaving them queued forever.
 *
 * It must not read the known types' jobs. `type <> ALL($5)` cannot seek in the `(type, run_at)`
 * index, so the first version walked every queued job of every known type on each poll (20,000
 * queued: 5–20 ms; with statistics from before a churn the planner chose a sequential scan of
 * the whole table, 93 ms at 520,000 rows; bench/README.md, "Churn: where the time went").
 * Now it first lists the types that have queued jobs with a loose index scan: a recursive CTE
 * whose every step is one descent of `jobs_queued_type_run_at_idx` to the last entry before the
 * previous type (PostgreSQL wiki, "Loose indexscan"), so as many steps as there are queued types
 * plus one, whatever the number of jobs. Backwards, from the newest run-at of each type: until a
 * VACUUM removes them, the entries of claimed jobs stay in the index as dead entries at the
 * oldest end of their type's range (claims take the oldest first), and a forward step would walk
 * over them to reach the first live one. Each type not in `$5` is then read like `CLAIM_SQL`
 * reads one type (`type = u.type`, a range scan of the same index, oldest first), and the
 * oldest `$2` of those win. Not `type = ANY(array of unknown types)`: the planner cannot see the
 * array's contents, estimates it matches most rows and may scan the whole table (claim.test.ts
 * checks the rows the plan reads). Rows of one type beyond the `$2` oldest overall are locked
 * for the statement's instant and not claimed; another worker's `SKIP LOCKED` passes over them
 * once, and its next claim takes them.
 */
export const CLAIM_OTHER_SQL = `WITH RECURSIVE queued_types(type) AS (
  (SELECT type FROM jobs WHERE status = 'queued' ORDER BY type DESC LIMIT 1)
  UNION ALL
  SELECT (SELECT q.type FROM jobs AS q WHERE q.status = 'queued' AND q.type < t.type ORDER BY q.type DESC LIMIT 1)
    FROM queued_types AS t
   WHERE t.type IS NOT NULL
),
next AS (
  SELECT c.id
    FROM queued_types AS u
   CROSS JOIN LATERAL (
     SELECT id, run_at FROM jobs
      WHERE status = 'queued' AND type = u.type AND run_at <= coalesce($1::timestamptz, now())
      ORDER BY run_at
      LIMIT $2
      FOR UPDATE SKIP LOCKED
   ) AS c
   WHERE u.type IS NOT NULL AND u.type <> ALL($5::text[])
   ORDER BY c.run_at
   LIMIT $2
)
${CLAIM_SQL.slice(CLAIM_SQL.indexOf('UPDATE jobs AS j'))}`;

/** The claim statement for the jobs whose type matches `typeFilter` (a condition on `$5`). */
function claimSql(typeFilter: string): string {
  return `WITH next AS (
  SELECT id FROM jobs
   WHERE status = 'queued' AND ${typeFilter} AND run_at <= coalesce($1::timestamptz, now())
   ORDER BY run_at
   LIMIT $2
   FOR UPDATE SKIP LOCKED
)
UPDATE jobs AS j
   SET status = 'running',
       attempts = j.attempts + 1,
       locked_by = $3,
       locked_until = coalesce($1::timestamptz, now()) + $4::bigint * interval '1 millisecond'
 WHERE j.id = ANY(ARRAY(SELECT id FROM next))
   AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'
RETURNING j.id, j.type, j.payload, j.attempts, j.max_attempts, j.run_at, j.trace_context, j.created_at`;
}

/**
 * The channel the queue's enqueue statements notify when they insert due jobs (`wakeUp`); the
 * payload is the job type. Workers LISTEN on it to claim at once instead of waiting for their
 * next poll.
 */
export const JOBS_CHANNEL = 'payday_jobs';

/**
 * The wake-up sent by the queue's own INSERTs (`enqueueStatement`, `ENQUEUE_MANY_SQL`), as a
 * condition on the job type `typeExpr` that is always true: NOTIFY `JOBS_CHANNEL` with the type,
 * delivered when the transaction commits (PostgreSQL docs, NOTIFY), unless another transaction
 * is notifying that type right now.
 *
 * Why only one at a time: a notifying transaction takes one cluster-wide lock from its
 * pre-commit until after its commit record is flushed (PostgreSQL src/backend/commands/async.c,
 * PreCommit_Notify: "Serialize writers by acquiring a special lock that we hold till after
 * commit"), so notifying transactions commit one at a time and lose group commit (pgbench,
 * 16 clients inserting one job each: about 10x fewer commits; bench/README.md, "NOTIFY on the
 * enqueue path"). `pg_try_advisory_xact_lock` never waits: the first transaction per type takes
 * the lock (held until its commit) and notifies, concurrent ones skip, since the worker woken by
 * the first claims whatever has committed by then and its next claim or poll takes a job that
 * committed just after. A trickle (no overlap) notifies on every enqueue. Identical
 * notifications of one transaction are folded into one by PostgreSQL, and the lock is
 * re-entrant, so a transaction that enqueues twice still notifies once. `CASE` fixes the order:
 * no notification without the lock (PostgreSQL docs, "Expression Evaluation Rules").
 * The lock key space is two int4s, the first the bytes of "jobs" (the key migration
 * 0002_queue_wake's trigger used, which 0004 dropped).
 */
export function wakeUp(typeExpr: string): string {
  return `CASE WHEN pg_try_advisory_xact_lock(1785684595, hashtext(${typeExpr}))
            THEN pg_notify('${JOBS_CHANNEL}', ${typeExpr}) IS NOT NULL ELSE true END`;
}

/**
 * Inserts many jobs in one statement: `$1` is a JSON array of
 * `{type, payload, run_at, unique_key, max_attempts, trace_context}` records (one parameter, so
 * no limit of 65,535 bind parameters and one plan whatever the batch size). A null `run_at`
 * means now. Duplicates of an existing or earlier `unique_key` are skipped. The conflict target
 * names `WHERE unique_key IS NOT NULL`, so it infers today's all-keys unique constraint and a
 * unique index on the non-NULL keys alike (PostgreSQL docs, INSERT, `index_predicate`): the
 * latter would spare a keyless job's two UPDATEs an index entry each (bench/README.md, "What
 * the worker writes and sends per job"), and code written this way runs against both.
 * Then the wake-up (`wakeUp`): once per type among the rows actually inserted and due; the
 * uncorrelated sub-select runs once, before the first id is returned, and reads every inserted
 * row (PostgreSQL docs, "WITH Queries": a data-modifying statement in WITH runs exactly once,
 * to completion).
 */
export const ENQUEUE_MANY_SQL = `WITH inserted AS (
  INSERT INTO jobs (type, payload, run_at, unique_key, max_attempts, trace_context)
  SELECT r.type, r.payload, coalesce(r.run_at, now()), r.unique_key, r.max_attempts, r.trace_context
    FROM jsonb_to_recordset($1::jsonb) AS r(type text, payload jsonb, run_at timestamptz, unique_key text,
                                            max_attempts int, trace_context jsonb)
  ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL DO NOTHING
  RETURNING id, type, run_at
)
SELECT id FROM inserted
 WHERE (SELECT count(*) FROM (SELECT DISTINCT type FROM inserted WHERE run_at <= clock_timestamp()) AS due
         WHERE ${wakeUp('due.type')}) >= 0`;

/**
 * Completes jobs `$2` (bigint[]) held by worker `$3`. The `locked_by` guard makes a worker whose
 * lease expired (and whose job was re-claimed by another) complete nothing. It is also the
 * status guard: only a running job has a holder (the CHECK `jobs_locked_only_while_running`,
 * migration 0005). No `status = 'running'` here, nor in `RELEASE_SQL` and `EXTEND_LEASE_SQL`:
 * that condition implies the predicate of the partial index `jobs_running_type_idx`, and then the
 * planner may read that whole index into a bitmap to AND with the primary key's rows: a dead
 * entry for every job finished since the last VACUUM (two with the index over queued and
 * running rows that migration 0006 dropped: 50–130 ms per 100 jobs after 500,000 jobs, against
 * 1–2 ms by the primary key alone; bench/README.md, "Churn: where the time went").
 */
export const COMPLETE_SQL = `UPDATE jobs
   SET status = 'completed', completed_at = coalesce($1::timestamptz, now()),
       locked_by = NULL, locked_until = NULL, last_error = NULL
 WHERE id = ANY($2::bigint[]) AND locked_by = $3
RETURNING id`;

/** Puts job `$2` back with run-at now + `$4` ms and the error `$5` (a retry after backoff). */
export const RETRY_SQL = `UPDATE jobs
   SET status = 'queued', run_at = coalesce($1::timestamptz, now()) + $4::bigint * interval '1 millisecond',
       last_error = $5, locked_by = NULL, locked_until = NULL
 WHERE id = $2 AND status = 'running' AND locked_by = $3
RETURNING id, run_at`;

/** Dead-letters job `$2` with the reason `$4`; it stays in the table for inspection and resend. */
export const DEAD_SQL = `UPDATE jobs
   SET status = 'dead', completed_at = coalesce($1::timestamptz, now()), last_error = $4,
       locked_by = NULL, locked_until = NULL
 WHERE id = $2 AND status = 'running' AND locked_by = $3
RETURNING id`;

/**
 * Returns claimed jobs `$1` (of worker `$2`) that never ran (or were interrupted by a drain) to the queue without
 * using up an attempt; their run-at is kept so they keep their place in line.
 */
export const RELEASE_SQL = `UPDATE jobs
   SET status = 'queued', attempts = greatest(attempts - 1, 0), locked_by = NULL, locked_until = NULL
 WHERE id = ANY($1::bigint[]) AND locked_by = $2
RETURNING id`;

/** Heartbeat: extends the lease of jobs `$2` still held by worker `$3` to now + `$4` ms. */
export const EXTEND_LEASE_SQL = `UPDATE jobs
   SET locked_until = coalesce($1::timestamptz, now()) + $4::bigint * interval '1 millisecond'
 WHERE id = ANY($2::bigint[]) AND locked_by = $3
RETURNING id`;

/**
 * Returns jobs whose lease expired (their worker crashed or was SIGKILLed) to the queue, or
 * dead-letters them when that was their last attempt. This is what makes "no lost job" hold:
 * a job is never only in a dead process's memory for longer than its lease (River's
 * `RescueStuckJobsAfter`; graphile-worker's equivalent waits 4 h).
 */
export const RESCUE_SQL = `UPDATE jobs
   SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
       completed_at = CASE WHEN attempts >= max_attempts THEN coalesce($1::timestamptz, now()) END,
       run_at = coalesce($1::timestamptz, now()),
       last_error = 'lease expired: worker ' || coalesce(locked_by, '?') || ' did not finish attempt ' || attempts,
       locked_by = NULL, locked_until = NULL
 WHERE status = 'running' AND locked_until < coalesce($1::timestamptz, now())
RETURNING id, type, status`;

/**
 * Deletes up to `$2` completed jobs finished before `$1`, and dead jobs finished before `$3`.
 * Finished rows are useless to the queue and only cost vacuum work and cache; deleting them in
 * bounded batches keeps each transaction short.
 */
export const PRUNE_SQL = `DELETE FROM jobs
 WHERE id IN (
   SELECT id FROM jobs
    WHERE (status = 'completed' AND completed_at < $1::timestamptz)
       OR (status = 'dead' AND completed_at < $3::timestamptz)
    LIMIT $2
 )`;

/**
 * Queue depth and the age of the oldest runnable job, per type, for /metrics. Queued rows are
 * read through `jobs_queued_type_run_at_idx` and running rows through `jobs_running_type_idx`,
 * one arm each (both index-only when the visibility map allows): `status IN ('queued',
 * 'running')` implies neither partial index's predicate, so it would read the whole table.
 */
export const DEPTH_BY_TYPE_SQL = `SELECT type,
       count(*)::int AS depth,
       coalesce(extract(epoch FROM coalesce($1::timestamptz, now())
                - min(run_at) FILTER (WHERE run_at <= coalesce($1::timestamptz, now()))), 0)::float8
         AS oldest_age_seconds
  FROM (SELECT type, run_at FROM jobs WHERE status = 'queued'
        UNION ALL
        SELECT type, NULL FROM jobs WHERE status = 'running') AS active
 GROUP BY type`;

/**
 * The KEDA `postgresql` scaler query (apps/worker/README.md): jobs that need a worker now —
 * running, or queued and due. Jobs waiting out a retry backoff or scheduled for later do not
 * count, so a receiver outage does not scale the worker up for nothing. Returns one number,
 * `count`. One count per status, each through its own partial index (`DEPTH_BY_TYPE_SQL`).
 */
export const KEDA_QUEUE_DEPTH_SQL =
  "SELECT (SELECT count(*) FROM jobs WHERE status = 'queued' AND run_at <= now()) + (SELECT count(*) FROM jobs WHERE status = 'running' AND run_at <= now()) AS count";

/** Puts dead job `$2` back in the queue with fresh attempts (manual resend / replay). */
export const REQUEUE_DEAD_SQL = `UPDATE jobs
   SET status = 'queued', attempts = 0, run_at = coalesce($1::timestamptz, now()),
       completed_at = NULL, last_error = NULL
 WHERE id = $2 AND status = 'dead'
RETURNING id`;
