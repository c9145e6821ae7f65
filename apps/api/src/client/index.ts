/**
 * `@payday/api/client`: a typed client for the Payday API, built on openapi-fetch with types
 * generated from the API's own OpenAPI document (schema.gen.ts). Paths, parameters, bodies and
 * responses are checked by the compiler.
 *
 *   const payday = createPaydayClient({ baseUrl: 'http://127.0.0.1:3000', token: 'sk_test_…' });
 *   const { data, error } = await payday.POST('/v1/payments', { body: { amount: 2500, currency: 'usd' } });
 *
 * Pass `fetch` to call an app in-process (tests: `(req) => app.request(req)`).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.gen.js';

export type { components, paths };
export type PaydayClient = Client<paths>;
export type PaydayError = components['schemas']['Error'];

export interface PaydayClientOptions {
  baseUrl: string;
  /** A secret API key (`sk_test_…`) or a dashboard session token (`dst_…`). */
  token?: string;
  fetch?: (request: Request) => Promise<Response>;
}

export function createPaydayClient(options: PaydayClientOptions): PaydayClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
}
