import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Error types, as Stripe names them (docs.stripe.com/api/errors): clients branch on `type` and
 * `code`, read `message`, and find the offending field in `param`.
 */
export type ErrorType = 'invalid_request_error' | 'idempotency_error' | 'api_error' | 'rate_limit_error';

export interface ErrorBody {
  error: { type: ErrorType; code: string; message: string; param?: string };
}

/** An error with an HTTP status that the app turns into the one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return {
      error: {
        type: this.type,
        code: this.code,
        message: this.message,
        ...(this.param === undefined ? {} : { param: this.param }),
      },
    };
  }
}

export const notFound = (kind: string, id: string, param?: string) =>
  new ApiError(404, 'invalid_request_error', 'resource_missing', `No such ${kind}: '${id}'`, param);

export const badRequest = (code: string, message: string, param?: string) =>
  new ApiError(400, 'invalid_request_error', code, message, param);

export function errorResponse(c: Context, error: ApiError): Response {
  return c.json(error.toBody(), error.status);
}
