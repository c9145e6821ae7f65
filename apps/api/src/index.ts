/** @payday/api: the payments API as a Hono app (`createApp`) and a server (`start`). */
export { createApp, OPENAPI_INFO } from './app.js';
export { type ApiEnv, EnvError, loadEnv } from './config.js';
export { ApiError } from './errors.js';
export { createMetrics } from './http/metrics.js';
export { sweepIdempotencyKeys } from './idempotency/idempotent.js';
export { type RunningApi, type StartOptions, start } from './server.js';
export { type CreatedMerchant, createMerchant } from './services/merchants.js';
export { createLogger } from './telemetry/logger.js';
export type { AppDeps, AppEnv } from './types.js';
