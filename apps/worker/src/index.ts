/** @payday/worker: the job runner, its handlers and the merchant-facing signature helper. */

export { KEDA_QUEUE_DEPTH_SQL } from '@payday/db';
export * from './clock.js';
export * from './config.js';
export { createApp } from './health-app.js';
export { settleDay } from './jobs/payout-settle.js';
export { createHandlers } from './jobs/registry.js';
export { WEBHOOK_BACKOFF } from './jobs/webhook-deliver.js';
export * from './runner/handler.js';
export { Maintenance, settlementDate } from './runner/maintenance.js';
export { JobRunner } from './runner/runner.js';
export { type SimulationSummary, simulateTraffic } from './simulator/traffic.js';
export { type ReceivedWebhook, startWebhookSink, type WebhookSink } from './sink/webhook-sink.js';
export * from './start.js';
export * from './webhooks/signature.js';
