import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentProcessHandler } from '../jobs/payment-process.js';
import { JobRunner } from '../runner/runner.js';
import { createMerchant, createPendingPayment, silentLog, useTestDatabase } from '../testing/fixtures.js';

const db = useTestDatabase();
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('job tracing', () => {
  it('continues the trace stored with the job and hands it on to the jobs it causes', async () => {
    const merchant = await createMerchant(db.current);
    await db.current
      .sql`insert into webhook_endpoints (id, merchant_id, url, secret) values ('we_trace', ${merchant}, 'https://example.com/h', 's')`;
    const { jobId } = await createPendingPayment(db.current, merchant);
    await db.current
      .sql`update jobs set trace_context = ${JSON.stringify({ traceparent: `00-${TRACE_ID}-${PARENT}-01` })}::jsonb where id = ${jobId}`;
    const runner = new JobRunner({
      database: db.current,
      handlers: [paymentProcessHandler],
      workerId: 'w',
      concurrency: 1,
      batchSize: 1,
      pollIntervalMs: 20,
      leaseMs: 30_000,
      log: silentLog,
    });
    await runner.runOnce();
    const span = exporter.getFinishedSpans().find((s) => s.name === 'job payment.process')!;
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT);
    expect(span.attributes).toMatchObject({
      'messaging.destination.name': 'payment.process',
      'payday.job.attempt': 1,
    });
    // The webhook job the payment's event enqueued carries the same trace, as a child of the job span.
    const [hook] = await db.current.sql`select trace_context from jobs where type = 'webhook.deliver'`;
    expect(hook!.trace_context.traceparent).toBe(`00-${TRACE_ID}-${span.spanContext().spanId}-01`);
  });
});
