import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      type: z.enum(['invalid_request_error', 'idempotency_error', 'api_error', 'rate_limit_error']),
      code: z.string().openapi({ example: 'parameter_invalid' }),
      message: z.string(),
      param: z.string().optional().openapi({ example: 'amount' }),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: ErrorSchema } } as const;

/** The error responses every authenticated route can give (Stripe's use of HTTP codes). */
export const errorResponses = {
  400: { description: 'Invalid request: the `param` names the field', content: errorContent },
  401: { description: 'Missing, invalid, expired or revoked credential', content: errorContent },
  404: { description: 'No such object (also for objects of other merchants)', content: errorContent },
  409: { description: 'The Idempotency-Key is in use by a request still in flight', content: errorContent },
  413: { description: 'Request body too large', content: errorContent },
  415: { description: 'The request body is not application/json', content: errorContent },
  422: { description: 'The Idempotency-Key was used with different parameters', content: errorContent },
  429: {
    description:
      'Too many requests (per credential), or too many failed authentications from this address; ' +
      'see `Retry-After` and back off exponentially',
    content: errorContent,
  },
  500: { description: 'A bug on our side; the message carries the request id', content: errorContent },
} as const;

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header-07), optional on every POST. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Makes the POST safe to retry: at most 255 characters, kept for 24 hours.',
      example: '8e03978e-40d5-43e8-bc93-6894a57f9324',
    }),
});

/** A path parameter holding a public id with the given prefix (`pay_…`). */
export function idParam(name: string, prefix: string) {
  return z.object({
    [name]: z
      .string()
      .regex(new RegExp(`^${prefix}_[0-9a-z]{1,64}$`), `must be an id starting with ${prefix}_`)
      .openapi({ param: { name, in: 'path' }, example: `${prefix}_01jd7a7m1v3b2q8x5n4k6c9r0t` }),
  } as Record<string, z.ZodString>);
}

/** Cursor pagination (docs.stripe.com/api/pagination): newest first. */
export function paginationQuery(prefix: string) {
  const cursor = z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{1,64}$`), `must be an id starting with ${prefix}_`);
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .openapi({ description: '1 to 100, default 10' }),
    starting_after: cursor.optional().openapi({ description: 'Id of the last object of the previous page' }),
    ending_before: cursor.optional().openapi({ description: 'Id of the first object of the next page' }),
  });
}

export function listSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      object: z.literal('list'),
      url: z.string(),
      has_more: z.boolean(),
      data: z.array(item),
    })
    .openapi(name);
}

export const MetadataSchema = z
  .record(z.string().max(40), z.string().max(500))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys')
  .openapi({ description: 'Up to 50 string key/value pairs for your own use' });

export const TimestampSchema = z
  .string()
  .openapi({ format: 'date-time', example: '2026-11-21T06:00:00.000Z' });
