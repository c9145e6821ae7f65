import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHeader } from './request-header.js';

/** What the route saw: our read of `x-a` and `authorization`, and hono's own `c.req.header('x-a')`. */
const app = new Hono();
app.get('/h', (c) =>
  c.json({
    ours: requestHeader(c, 'x-a') ?? null,
    hono: c.req.header('x-a') ?? null,
    authorization: requestHeader(c, 'authorization') ?? null,
  }),
);

/** One request written byte for byte (repeated fields, odd spacing), the JSON body read back. */
async function raw(port: number, headerLines: string[]): Promise<Record<string, unknown>> {
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `GET /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines.map((l) => `${l}\r\n`).join('')}\r\n`,
  );
  let text = '';
  for await (const chunk of socket) text += String(chunk);
  expect(text).toMatch(/^HTTP\/1\.1 200/);
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

describe('requestHeader', () => {
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('over HTTP reads what c.req.header reads: repeated fields joined in order, any case, trimmed', async () => {
    expect(await raw(port, ['X-A:   one  ', 'x-a: two', 'Authorization: Bearer sk_1'])).toEqual({
      ours: 'one, two',
      hono: 'one, two',
      authorization: 'Bearer sk_1',
    });
    expect(await raw(port, ['Authorization: Bearer sk_1', 'AUTHORIZATION: Bearer sk_2'])).toEqual({
      ours: null,
      hono: null,
      authorization: 'Bearer sk_1, Bearer sk_2',
    });
    expect(await raw(port, ['x-ab: longer name', 'x: shorter'])).toEqual({
      ours: null,
      hono: null,
      authorization: null,
    });
  });

  it('in process (no Node request) is c.req.header', async () => {
    const res = await app.request('/h', { headers: { 'x-a': 'one', authorization: 'Bearer sk_1' } });
    expect(await res.json()).toEqual({ ours: 'one', hono: 'one', authorization: 'Bearer sk_1' });
  });
});
