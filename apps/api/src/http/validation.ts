import type { Hook } from '@hono/zod-openapi';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../types.js';
import { unstorableText } from './text-input.js';

const TARGET_NAMES: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** The value at `path` inside the request input (undefined when absent). */
function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * Turns the first zod issue into the one error shape, naming the field the way a client wrote
 * it (`amount`, `metadata.order_id`, `Idempotency-Key`), in Stripe's words: "Missing required
 * param", "Received unknown parameter", "Invalid …".
 */
export function validationError(target: string, data: unknown, error: z.ZodError): ApiError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const param = [...issue.path, key].join('.');
    return new ApiError(
      400,
      'invalid_request_error',
      'parameter_unknown',
      `Received unknown parameter: ${param}`,
      param,
    );
  }
  let param = issue.path.map(String).join('.');
  if (target === 'header' && param === 'idempotency-key') param = 'Idempotency-Key';
  if (!param) {
    return new ApiError(
      400,
      'invalid_request_error',
      'parameter_invalid',
      `The request ${TARGET_NAMES[target] ?? target} must be a JSON object: ${issue.message}`,
    );
  }
  if (valueAt(data, issue.path) === undefined) {
    return new ApiError(
      400,
      'invalid_request_error',
      'parameter_missing',
      `Missing required param: ${param}.`,
      param,
    );
  }
  return new ApiError(
    400,
    'invalid_request_error',
    'parameter_invalid',
    `Invalid ${param}: ${issue.message}`,
    param,
  );
}

/**
 * Runs after each input (body, query, path, headers) is parsed by its route schema: a schema
 * failure, then text the database cannot store, become the one 400 shape. Being the default
 * hook of every router, the text check covers every text input of every route.
 */
export const validationHook: Hook<unknown, Env, string, unknown> = (result) => {
  if (!result.success) {
    throw validationError(result.target, (result as { data?: unknown }).data, result.error as z.ZodError);
  }
  const unstorable = unstorableText(result.data);
  if (unstorable) throw unstorable;
};

/** A router whose request validation failures all take the one error shape. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}
