/**
 * @payday/db: the schema, migrations and the domain operations that the API and the worker
 * share (ledger postings, events with webhook fan-out, payment completion, the job queue).
 */
export * from './client.js';
export * from './currencies.js';
export * from './embedded.js';
export * from './errors.js';
export * from './events/emit.js';
export * from './ids.js';
export * from './ledger/accounts.js';
export * from './ledger/balances.js';
export * from './ledger/post.js';
export * from './local-database.js';
export * from './migrate/migrate.js';
export * from './objects.js';
export * from './payments/complete.js';
export * from './payments/test-methods.js';
export * from './queue/index.js';
