import type { Response } from './validator.js';

/** A rule that could not be evaluated: Kyverno reports it as `error`, not `fail`. */
export const ruleError = (what: string, err: unknown): Response => ({
  status: 'error',
  message: `${what}: ${(err as Error).message ?? String(err)}`,
});
