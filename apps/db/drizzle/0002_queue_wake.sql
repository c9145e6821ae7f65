-- The worker claims per job type (its slots are split by type so slow webhooks never hold the
-- slots payments need): `type = $5 AND run_at <= now() ORDER BY run_at` is one range scan of
-- this index. Workers of the previous release still claim without a type; they read this
-- index in full and sort, which is slower but correct during a rollout.
DROP INDEX "jobs_queued_run_at_idx";--> statement-breakpoint
CREATE INDEX "jobs_queued_type_run_at_idx" ON "jobs" USING btree ("type","run_at") WHERE "jobs"."status" = 'queued';
--> statement-breakpoint

-- Wake on work: a statement that inserts due jobs sends one notification per job type on
-- channel `payday_jobs` (payload: the type), delivered when its transaction commits. A
-- statement-level trigger with a transition table costs one query per INSERT statement, not one
-- per row, so a batch enqueue of 20,000 jobs sends one notification per type, and PostgreSQL
-- folds identical notifications of one transaction into one (NOTIFY docs).
--
-- NOTIFY is not free: a notifying transaction takes one cluster-wide lock from its pre-commit
-- until after its commit record is flushed (PostgreSQL src/backend/commands/async.c,
-- PreCommit_Notify: "Serialize writers by acquiring a special lock that we hold till after
-- commit"), so notifying transactions commit one at a time and lose group commit. Measured with
-- pgbench, 16 clients inserting one job each: about 10x fewer commits per second with
-- synchronous_commit=on. So only ONE transaction per job type notifies at a time:
-- pg_try_advisory_xact_lock (two-int4 key space, first key = the bytes of "jobs"; it never waits) lets the first one through and the
-- others skip, since the worker woken by the first claims whatever has committed by then, and
-- its poll catches a job that committed just after. With no contention (a trickle) every
-- enqueue notifies. Jobs scheduled for later send nothing: the poll finds them when due.
-- Only INSERT notifies; jobs coming back by retry, rescue or resend are found by the poll.
CREATE OR REPLACE FUNCTION payday_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('payday_jobs', t.type)
     FROM (SELECT DISTINCT type FROM new_jobs WHERE run_at <= clock_timestamp()) AS t
    WHERE pg_try_advisory_xact_lock(1785684595, hashtext(t.type));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
  REFERENCING NEW TABLE AS new_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION payday_jobs_notify();
