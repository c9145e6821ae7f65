-- The wake-up moves from a trigger into the enqueue statements (apps/worker/README.md, "Wake on
-- work"; bench/README.md, "The wake-up trigger's cost"). Measured with pgbench, one-job inserts
-- from 16 clients cost about 1.3x the server CPU of the same inserts while ANY trigger on `jobs`
-- is enabled, even one whose function does nothing, so no trigger design is cheaper than none.
-- The queue's own INSERTs (`enqueueStatement` and `ENQUEUE_MANY_SQL`, apps/db/src/queue/) now
-- send the same notification themselves: channel `payday_jobs`, payload the job type, only for
-- due jobs, only while no other transaction is notifying that type (the same
-- `pg_try_advisory_xact_lock` key as before). Rows inserted any other way (hand-written SQL,
-- COPY) wake nobody: the workers' poll finds them, as it finds scheduled jobs and retries.
--
-- Rollout: the previous release's enqueues relied on this trigger, so while it still runs (a
-- canary, or after a rollback) its jobs are found by the poll (`WORKER_POLL_INTERVAL_MS`)
-- instead of at once: slower, never lost. Workers of either release listen on the same channel.
DROP TRIGGER IF EXISTS jobs_notify_insert ON jobs;--> statement-breakpoint
DROP FUNCTION IF EXISTS payday_jobs_notify();
