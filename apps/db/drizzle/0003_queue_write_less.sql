-- Write less per job (bench/README.md, "Queue: wake-up, peers, and where the time goes").
-- Claiming and completing a job are two UPDATEs that change `status`, which the partial
-- indexes' predicates read, so neither can be a HOT update (PostgreSQL
-- src/backend/access/heap/README.HOT: an update is HOT only when no indexed column changes),
-- and each writes a new entry into every index whose predicate the new row version satisfies.
--
-- 1. `unique_key` is NULL for a job enqueued without a key, and a plain unique constraint
--    indexes NULLs too, so every UPDATE of such a job added an entry to it. A unique index
--    on the non-NULL keys enforces the same rule ("at most one job per key"; NULLs were never
--    equal to each other) without those entries. `ON CONFLICT (unique_key)` now names its
--    predicate (apps/db/src/queue/enqueue.ts) to infer this index.
ALTER TABLE "jobs" DROP CONSTRAINT "jobs_unique_key_key";--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_unique_key_key" ON "jobs" USING btree ("unique_key") WHERE "jobs"."unique_key" is not null;--> statement-breakpoint
-- 2. A non-HOT UPDATE whose new row version does not fit on the old one's page moves to
--    another page, and then PostgreSQL also WAL-logs a lock on the old version before the
--    update itself (heapam.c, heap_update: "mark the old tuple as locked" when it must release
--    the buffer lock), and it dirties two heap pages instead of one. A job row is inserted
--    once and updated twice (claim, completion), so half of each page is left free at insert
--    for its two new versions; page pruning reclaims the dead ones in between. The price is a
--    heap about twice as large per retained completed job (JOB_RETENTION_HOURS). Only pages
--    written from now on are filled this way; existing rows stay where they are.
ALTER TABLE "jobs" SET (fillfactor = 50);
