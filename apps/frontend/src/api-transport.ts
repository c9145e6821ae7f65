/**
 * How the dashboard's server reaches the API: one HTTP exchange (request, response headers and
 * the whole body) under one deadline. The default transport is undici's `Agent.request` with
 * keep-alive connections: global `fetch` (undici's WHATWG Fetch) wraps every call in Request,
 * Response, Headers and a web ReadableStream, and on this dashboard's pages that wrapping cost
 * more than the API's own handler (bench/README.md, "Frontend: where the time goes"). The typed
 * client keeps its `fetch` seam (api-client.ts adapts it to this interface), so tests can still
 * call the API app in-process.
 */
import { Agent } from 'undici';

export interface ApiRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The whole body, read within the deadline; empty when there was none. */
  body: string;
}

/** Sends one request; aborting `signal` must abandon it (and its connection). */
export type Exchange = (request: ApiRequest, signal: AbortSignal) => Promise<ApiAnswer>;

/**
 * undici's keep-alive agent. `headersTimeout` / `bodyTimeout` are undici's inactivity limits
 * (undici v7 docs, "Client": time to the response headers, and between two body chunks); the
 * per-call deadline in `withDeadline` bounds the whole exchange, so these only back it up.
 */
export function undiciExchange(options: { timeoutMs: number }): {
  exchange: Exchange;
  close(): Promise<void>;
} {
  const agent = new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    // Idle sockets are kept for the server's `Keep-Alive: timeout=` hint minus 2 s
    // (`keepAliveTimeoutThreshold`), 4 s without a hint (undici v7 docs, "Client"), so the
    // dashboard never reuses a socket just as the API closes it.
    keepAliveTimeout: 4_000,
  });
  return {
    async exchange(request, signal) {
      const url = new URL(request.url);
      const response = await agent.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method as 'GET',
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
      return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
    },
    close: () => agent.close(),
  };
}

/** The same exchange over a WHATWG `fetch` (tests pass one that calls the API app in-process). */
export function fetchExchange(fetch: (request: Request) => Promise<Response>): Exchange {
  return async (request, signal) => {
    const response = await fetch(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      }),
    );
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  };
}

/**
 * Runs one exchange — headers *and* body — under a deadline. The deadline is enforced by racing
 * a timer, not only by aborting: on Node 20, undici's fetch links a request to the caller's
 * AbortSignal through weak references, and once the intermediate Request objects are
 * garbage-collected an abort no longer reaches the socket, so a call to a wedged API could hang
 * forever (this package's "API hangs" test caught it with global fetch). The abort is still
 * sent, to free the socket when it does get through; a caller's own signal (a probe's) aborts
 * the call too.
 */
export async function withDeadline(
  exchange: Exchange,
  request: ApiRequest,
  ms: number,
  parent?: AbortSignal,
): Promise<ApiAnswer> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DOMException(`The API did not answer within ${ms} ms`, 'TimeoutError');
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  try {
    return await Promise.race([exchange(request, controller.signal), expired]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}
