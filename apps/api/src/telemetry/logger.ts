import { LOG_REDACT, redactLine, serializeError } from '@payday/db/log-redaction';
import pino, { type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from './tracing.js';

/**
 * JSON logs on stdout, one line per event, with the active trace and span ids mixed into every
 * line (so a log line leads to its trace). Credentials never reach a log: request logs carry
 * method, route and status only; errors are serialized without the values of their query;
 * credential keys are censored; and every finished line is searched for secret shapes (`sk_…`,
 * `whsec_…`, `dst_…`) and quoted query values, whichever key or message carried them. The
 * redaction is shared with the worker's logger: `@payday/db/log-redaction`
 * (apps/db/src/log-redaction.ts).
 */
export function createLogger(options: {
  level: string;
  version: string;
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'api', version: options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'message',
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => activeTraceIds() ?? {},
      serializers: { err: serializeError },
      hooks: { streamWrite: redactLine },
      redact: LOG_REDACT,
    },
    options.destination,
  );
}
