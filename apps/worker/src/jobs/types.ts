/**
 * The job types this worker runs, by name. Kept apart from the handlers (registry.ts) so the
 * configuration can check `WORKER_TYPE_CONCURRENCY` against them without loading any handler;
 * registry.test.ts keeps the two lists equal.
 */
export const WORKER_JOB_TYPES = ['payment.process', 'webhook.deliver', 'payout.settle'] as const;

export type WorkerJobType = (typeof WORKER_JOB_TYPES)[number];
