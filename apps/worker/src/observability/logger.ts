/**
 * JSON logs (pino) with the worker id on every line; job lines add `job_id` and `job_type`.
 * The worker holds webhook signing secrets (`whsec_…`) and writes merchant rows, so its lines
 * get the API's redaction (`@payday/db/log-redaction`): credential keys are censored, errors
 * are serialized with their SQLSTATE and constraint but without their query's bound values or
 * PostgreSQL's `detail`, and every finished line is rewritten to drop secret shapes (`sk_…`,
 * `whsec_…`, `dst_…`) and quoted query values, whichever key or message carried them — a job's
 * error message is logged as text on retry and dead-letter lines.
 */
import { LOG_REDACT, redactLine, serializeError } from '@payday/db/log-redaction';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(options: {
  level: string;
  workerId: string;
  version: string;
  /** Where lines go; default stdout (tests capture them here). */
  destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { app: 'worker', worker_id: options.workerId, version: options.version },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      hooks: { streamWrite: redactLine },
      redact: LOG_REDACT,
    },
    options.destination,
  );
}
