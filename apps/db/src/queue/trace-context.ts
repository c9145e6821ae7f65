import { context, propagation } from '@opentelemetry/api';

/**
 * The active trace context as W3C Trace Context headers (`traceparent`, `tracestate`), the
 * value stored in `jobs.trace_context` so the job's consumer continues the producer's trace.
 * Null when tracing is off (no propagator registered, or no active span).
 * https://www.w3.org/TR/trace-context/
 */
export function currentTraceContext(): Record<string, string> | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length ? carrier : null;
}
