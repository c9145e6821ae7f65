/** The single drizzle schema of Payday's database; drizzle-kit generates migrations from it. */
export * from './events.js';
export * from './idempotency.js';
export * from './jobs.js';
export * from './ledger.js';
export * from './merchants.js';
export * from './payments.js';
export * from './payouts.js';
