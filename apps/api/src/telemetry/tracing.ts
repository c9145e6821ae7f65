import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

const tracer = () => trace.getTracer('payday-api');

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Registers a global tracer provider exporting over OTLP/HTTP. Called only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise the OpenTelemetry API stays a no-op and spans
 * cost next to nothing. `register()` also installs the W3C trace-context propagator and the
 * AsyncLocalStorage context manager that carries the active span through awaits.
 */
export function initTracing(options: {
  endpoint?: string;
  serviceName: string;
  version: string;
  /** Tests pass an in-memory exporter with a simple processor. */
  processor?: SpanProcessor;
  exporter?: SpanExporter;
}): Tracing {
  const processor =
    options.processor ??
    new BatchSpanProcessor(
      options.exporter ?? new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/$/, '')}/v1/traces` }),
    );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: options.version,
    }),
    spanProcessors: [processor],
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Runs `fn` in a child span named `name` (a database transaction, say); records failures. */
export async function withSpan<T>(
  name: string,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Stored with enqueued jobs (jobs.trace_context); one definition, in the queue. */
export { currentTraceContext } from '@payday/db';

/** Trace and span id of the active span, for log lines. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan();
  const ctx = span?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return undefined;
  return { trace_id: ctx.traceId, span_id: ctx.spanId };
}

export { tracer };
