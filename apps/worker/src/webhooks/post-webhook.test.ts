import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, WebhookTimeoutError } from './post-webhook.js';

describe('postWebhook', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; body: string; signature?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ host: req.headers.host, body, signature: req.headers['payday-signature'] as string });
        if (req.url === '/slow') return; // never answers
        res.writeHead(req.url === '/fail' ? 503 : 200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('connects to the pinned address while keeping the hostname in Host', async () => {
    // `public.test` does not exist in DNS: the request can only succeed through the pin.
    const target = {
      url: new URL(`http://public.test:${port}/ok`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    const result = await postWebhook({
      target,
      body: '{"a":1}',
      headers: { 'payday-signature': 't=1,v1=x' },
      timeoutMs: 2000,
    });
    expect(result.status).toBe(200);
    expect(seen.at(-1)).toEqual({ host: `public.test:${port}`, body: '{"a":1}', signature: 't=1,v1=x' });
  });

  it('returns the status of a failing receiver', async () => {
    const target = {
      url: new URL(`http://127.0.0.1:${port}/fail`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    expect((await postWebhook({ target, body: '{}', headers: {}, timeoutMs: 2000 })).status).toBe(503);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const target = {
      url: new URL(`http://127.0.0.1:${port}/slow`),
      address: '127.0.0.1',
      family: 4 as const,
    };
    await expect(postWebhook({ target, body: '{}', headers: {}, timeoutMs: 200 })).rejects.toBeInstanceOf(
      WebhookTimeoutError,
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores garbage', async () => {
    const { parseRetryAfter } = await import('./post-webhook.js');
    const now = Date.parse('2026-11-21T06:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 06:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
