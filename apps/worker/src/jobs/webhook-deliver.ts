/**
 * `webhook.deliver` {event_id, endpoint_id}: POSTs the event to the merchant's endpoint, signed
 * with `Payday-Signature` (every active secret during a rotation), and records the attempt in
 * `webhook_deliveries` (visible at GET /v1/webhook_endpoints/:id/deliveries).
 *
 * Retry policy (docs/design/apps.md §Webhooks, as Stripe and Adyen do): 2xx succeeds; timeouts,
 * network errors, 5xx and 429 retry with exponential backoff and jitter — 10 attempts from 10 min
 * doubling to a 24 h cap, about 3 days — then dead; other 4xx and 3xx are the receiver's answer and
 * dead-letter at once (a resend puts them back). Targets resolving to private addresses are refused
 * (SSRF guard). Delivery is at-least-once: receivers dedupe on the event id.
 */
import { type Executor, eventObject } from '@payday/db';
import * as schema from '@payday/db/schema';
import { type Lookup, resolveTarget, TargetRefusedError } from '@payday/db/webhook-target';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { WorkerMetrics } from '../observability/metrics.js';
import { defineHandler, type JobContext, PermanentJobError, RetryableJobError } from '../runner/handler.js';
import { postWebhook, WebhookTimeoutError } from '../webhooks/post-webhook.js';
import { signatureHeader } from '../webhooks/signature.js';

export const webhookDeliverPayload = z.strictObject({
  event_id: z.string().regex(/^evt_[0-9a-z]+$/),
  endpoint_id: z.string().regex(/^we_[0-9a-z]+$/),
});

/** ~3 days over 10 attempts: 10, 20, 40 min … 21 h, 24 h (see retry/backoff.test for the sum). */
export const WEBHOOK_BACKOFF = { baseMs: 10 * 60_000, capMs: 24 * 3_600_000, jitter: 0.2 };

export interface WebhookDeliverOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
  metrics?: WorkerMetrics;
  /** Injectable resolver (tests); default getaddrinfo. */
  lookup?: Lookup;
}

type Attempt = {
  status: 'succeeded' | 'failed' | 'refused';
  httpStatus?: number;
  durationMs?: number;
  error?: string;
  /** From the receiver's Retry-After (429/503): the next attempt waits at least this long. */
  retryAfterMs?: number;
};

export function createWebhookDeliverHandler(options: WebhookDeliverOptions) {
  return defineHandler({
    type: 'webhook.deliver',
    payload: webhookDeliverPayload,
    backoff: WEBHOOK_BACKOFF,
    async run({ event_id, endpoint_id }, ctx) {
      const { db } = ctx.database;
      const [endpoint] = await db
        .select()
        .from(schema.webhookEndpoints)
        .where(eq(schema.webhookEndpoints.id, endpoint_id));
      const [event] = await db.select().from(schema.events).where(eq(schema.events.id, event_id));
      if (!event) throw new PermanentJobError(`event ${event_id} does not exist`);
      // Tenant isolation: a job must never send one merchant's event to another's endpoint.
      if (endpoint && endpoint.merchantId !== event.merchantId) {
        throw new PermanentJobError(
          `event ${event_id} and endpoint ${endpoint_id} belong to different merchants`,
        );
      }
      if (!endpoint?.enabled) {
        // Deleted or disabled since the event: nothing to deliver, and nothing to retry.
        ctx.log.info({ endpoint_id }, 'endpoint gone or disabled; delivery skipped');
        await db.transaction((tx) => ctx.complete(tx));
        return;
      }
      const body = JSON.stringify(eventObject(event));
      const nowMs = ctx.now()?.getTime() ?? Date.now();
      const secrets = [endpoint.secret];
      if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt?.getTime() ?? 0) > nowMs) {
        secrets.push(endpoint.previousSecret);
      }
      const headers = {
        'payday-signature': signatureHeader(secrets, Math.floor(nowMs / 1000), body),
        'payday-event-id': event.id,
        'payday-delivery-attempt': String(ctx.job.attempts),
      };

      let attempt: Attempt;
      try {
        const target = await resolveTarget(endpoint.url, {
          allowPrivateTargets: options.allowPrivateTargets,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        });
        const res = await postWebhook({
          target,
          body,
          headers,
          timeoutMs: options.timeoutMs,
          signal: ctx.signal,
        });
        attempt = {
          status: res.status >= 200 && res.status < 300 ? 'succeeded' : 'failed',
          httpStatus: res.status,
          durationMs: res.durationMs,
          ...(res.status >= 300 ? { error: `receiver answered HTTP ${res.status}` } : {}),
          ...(res.retryAfterMs !== undefined ? { retryAfterMs: res.retryAfterMs } : {}),
        };
      } catch (err) {
        if (ctx.signal.aborted) throw err; // draining: no record, the job is released
        attempt =
          err instanceof TargetRefusedError
            ? { status: 'refused', error: err.message }
            : {
                status: 'failed',
                error:
                  err instanceof WebhookTimeoutError
                    ? `timeout: ${err.message}`
                    : String((err as Error).message ?? err),
              };
      }

      options.metrics?.webhookDelivery(attempt.status);
      if (attempt.status === 'succeeded') {
        await db.transaction(async (tx) => {
          await record(tx, ctx, endpoint_id, event_id, attempt);
          await ctx.complete(tx);
        });
        ctx.log.info({ endpoint_id, event_id, http_status: attempt.httpStatus }, 'webhook delivered');
        return;
      }
      await record(db, ctx, endpoint_id, event_id, attempt);
      const error = attempt.error ?? 'delivery failed';
      if (attempt.status === 'refused') throw new PermanentJobError(error);
      const status = attempt.httpStatus;
      if (status !== undefined && status !== 429 && status < 500) throw new PermanentJobError(error);
      throw new RetryableJobError(error, attempt.retryAfterMs);
    },
  });
}

async function record(
  tx: Executor,
  ctx: JobContext,
  endpointId: string,
  eventId: string,
  a: Attempt,
): Promise<void> {
  await tx.insert(schema.webhookDeliveries).values({
    endpointId,
    eventId,
    attempt: ctx.job.attempts,
    status: a.status,
    httpStatus: a.httpStatus ?? null,
    durationMs: a.durationMs ?? null,
    error: a.error ?? null,
  });
}
