import type { JobHandler } from '../runner/handler.js';
import { paymentProcessHandler } from './payment-process.js';
import { payoutSettleHandler } from './payout-settle.js';
import { createWebhookDeliverHandler, type WebhookDeliverOptions } from './webhook-deliver.js';

/** Every job type this worker runs. A type missing here is dead-lettered as unknown. */
export function createHandlers(options: WebhookDeliverOptions): JobHandler<unknown>[] {
  return [paymentProcessHandler, createWebhookDeliverHandler(options), payoutSettleHandler];
}
