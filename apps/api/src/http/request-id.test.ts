import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../types.js';
import { requestId } from './request-id.js';

const app = new Hono<AppEnv>();
app.use('*', requestId());
app.get('/id', (c) => c.json({ id: c.get('requestId') }));
// A handler answering with a Response of its own still carries the header.
app.get('/own', (c) => new Response(c.get('requestId')));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestId', () => {
  let server: ReturnType<typeof serve>;
  let url: string;
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Both ways a request reaches the app: over HTTP (@hono/node-server) and in process.
  const ways = {
    http: (path: string, init?: RequestInit) => fetch(`${url}${path}`, init),
    'in process': (path: string, init?: RequestInit) => Promise.resolve(app.request(path, init)),
  };
  for (const [way, send] of Object.entries(ways)) {
    it(`${way}: keeps a sane X-Request-Id and echoes it`, async () => {
      for (const id of ['req-123', 'A_b=c', 'x'.repeat(255)]) {
        const res = await send('/id', { headers: { 'x-request-id': id } });
        expect(res.headers.get('x-request-id')).toBe(id);
        expect(await res.json()).toEqual({ id });
      }
    });

    it(`${way}: replaces a missing, empty, too long or odd one with a fresh UUID`, async () => {
      const seen = new Set<string>();
      for (const id of [undefined, '', 'x'.repeat(256), 'has space', 'semi;colon', 'ünï']) {
        const res = await send('/id', id === undefined ? {} : { headers: { 'x-request-id': id } });
        const echoed = res.headers.get('x-request-id')!;
        expect(echoed).toMatch(UUID);
        expect(await res.json()).toEqual({ id: echoed });
        seen.add(echoed);
      }
      expect(seen.size).toBe(6);
    });
  }

  it('over HTTP: a Response the handler built itself carries the header too', async () => {
    const res = await fetch(`${url}/own`, { headers: { 'x-request-id': 'req-own' } });
    expect(res.headers.get('x-request-id')).toBe('req-own');
    expect(await res.text()).toBe('req-own');
  });
});
