/**
 * One webhook HTTP attempt: POST the body to the checked address with a short timeout.
 *
 * The connection is pinned to the address `resolveTarget` checked by handing node:http a
 * `lookup` that returns only that address; the Host header and TLS SNI/certificate check still
 * use the URL's hostname. Receivers must answer within the timeout (Adyen asks for 10 s), so
 * slow receivers are a retryable failure, not a stuck worker.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from '@payday/db/webhook-target';

export interface PostResult {
  status: number;
  durationMs: number;
  /** Retry-After of a 429/503 answer, in ms (RFC 9110 §10.2.3: seconds or an HTTP date). */
  retryAfterMs?: number;
}

export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export class WebhookTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

export interface PostOptions {
  target: WebhookTarget;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Cancels the request (worker drain). */
  signal?: AbortSignal;
}

export function postWebhook({ target, body, headers, timeoutMs, signal }: PostOptions): Promise<PostResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const started = performance.now();
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target.url,
      {
        method: 'POST',
        lookup: pinned,
        // One attempt, one connection: a pooled socket could outlive the address check.
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Payday-Webhooks/1.0',
          ...headers,
        },
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
      },
      (res: IncomingMessage) => {
        // The body is not needed; read and drop it (bounded by the timeout below).
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          const retryAfter =
            status === 429 || status === 503
              ? parseRetryAfter(res.headers['retry-after'], Date.now())
              : undefined;
          resolve({
            status,
            durationMs: Math.round(performance.now() - started),
            ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
          });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    // `timeout` above is an idle-socket timeout; this one bounds the whole exchange.
    const timer = setTimeout(() => req.destroy(new WebhookTimeoutError(timeoutMs)), timeoutMs);
    req.on('timeout', () => req.destroy(new WebhookTimeoutError(timeoutMs)));
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
