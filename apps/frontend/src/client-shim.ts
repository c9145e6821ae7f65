/**
 * Stand-in for `@payday/api/client` until the API's generated client lands: the same openapi-fetch
 * calls, untyped. Replaced by the typed import in api-client.ts as soon as it exists.
 */
import createClient from 'openapi-fetch';

// biome-ignore lint/suspicious/noExplicitAny: untyped until the generated API types exist
type Loose = any;
type Result = Promise<{ data?: Loose; error?: unknown; response: Response }>;

export interface LooseClient {
  GET(path: string, init?: object): Result;
  POST(path: string, init?: object): Result;
}

export function createPaydayClient(o: {
  baseUrl: string;
  token?: string;
  fetch?: (r: Request) => Promise<Response>;
}): LooseClient {
  return createClient<Loose>({
    baseUrl: o.baseUrl,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
  }) as LooseClient;
}
