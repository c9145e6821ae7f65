/** The PostgreSQL job queue: enqueue (API, in its transactions), claim/finish/lease (worker). */
export * from './claim.js';
export * from './enqueue.js';
export * from './finish.js';
export * from './job.js';
export * from './job-types.js';
export * from './lease.js';
export * from './maintenance.js';
export * from './resend.js';
export * from './statements.js';
export * from './trace-context.js';
