import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { enqueue } from './enqueue.js';

/**
 * Manual resend of a webhook (`POST /v1/webhook_endpoints/:id/deliveries/…/resend`): the event is
 * delivered again to the endpoint with a fresh attempt budget. A dead delivery job is put back in
 * the queue (it keeps its unique key `webhook.deliver:<event>:<endpoint>`); otherwise — the first
 * delivery succeeded, or its job was pruned — a new job is added. A job still queued or running
 * is left alone and returned. Runs in the caller's transaction.
 */
export async function resendWebhook(
  tx: Executor,
  options: { eventId: string; endpointId: string; traceContext?: Record<string, string> | null },
): Promise<{ jobId: number; action: 'requeued' | 'enqueued' | 'pending' }> {
  const key = `webhook.deliver:${options.eventId}:${options.endpointId}`;
  const existing = await tx.execute<{ id: string; status: string }>(sql`
    select id, status from jobs where unique_key = ${key} for update`);
  const job = existing[0];
  if (job && (job.status === 'queued' || job.status === 'running')) {
    return { jobId: Number(job.id), action: 'pending' };
  }
  if (job && job.status === 'dead') {
    await tx.execute(sql`
      update jobs set status = 'queued', attempts = 0, run_at = now(), completed_at = null, last_error = null
       where id = ${job.id}`);
    return { jobId: Number(job.id), action: 'requeued' };
  }
  // Without the unique key: the delivered (or pruned) job may still hold it.
  const inserted = await enqueue(tx, {
    type: 'webhook.deliver',
    payload: { event_id: options.eventId, endpoint_id: options.endpointId },
    traceContext: options.traceContext ?? null,
  });
  return { jobId: inserted!.id, action: 'enqueued' };
}
