/**
 * Traces: each job runs in a CONSUMER span that continues the trace stored with the job
 * (`jobs.trace_context`, W3C `traceparent`), so a payment's trace runs from the API request
 * through `payment.process` to every `webhook.deliver`. Without an SDK registered (no
 * OTEL_EXPORTER_OTLP_ENDPOINT) the OpenTelemetry API is a no-op and this costs nothing.
 */
import { propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ClaimedJob } from '@payday/db';

const tracer = trace.getTracer('@payday/worker');

export async function withJobSpan<T>(job: ClaimedJob, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, job.traceContext ?? {});
  return tracer.startActiveSpan(
    `job ${job.type}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'postgresql',
        'messaging.operation.type': 'process',
        'messaging.destination.name': job.type,
        'messaging.message.id': String(job.id),
        'payday.job.attempt': job.attempts,
      },
    },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

/** Stored with enqueued jobs (jobs.trace_context); one definition, in the queue. */
export { currentTraceContext } from '@payday/db';

/**
 * Registers the OTLP/HTTP exporter when an endpoint is configured (the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT variable). Returns a shutdown that flushes pending spans.
 */
export async function startTracing(options: {
  endpoint: string | undefined;
  version: string;
}): Promise<() => Promise<void>> {
  if (!options.endpoint) return async () => {};
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payday-worker', 'service.version': options.version }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }),
      ),
    ],
  });
  provider.register();
  return () => provider.shutdown();
}
