/** JSON logs (pino) with the worker id on every line; job lines add `job_id` and `job_type`. */
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; workerId: string; version: string }): Logger {
  return pino({
    level: options.level,
    base: { app: 'worker', worker_id: options.workerId, version: options.version },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
