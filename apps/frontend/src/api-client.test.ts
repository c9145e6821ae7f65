import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ApiUnavailableError } from './api.js';
import { createDashboardApi } from './api-client.js';
import { startTestStack, type TestStack } from './testing/stack.js';

describe('createDashboardApi against the real API', () => {
  let stack: TestStack;
  const sent: (string | null)[] = [];
  const echoed: (string | null)[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  const api = () =>
    createDashboardApi({
      baseUrl: 'http://api.test',
      fetch: async (request) => {
        sent.push(request.headers.get('x-request-id'));
        const response = await stack.apiApp.request(request);
        echoed.push(response.headers.get('x-request-id'));
        return response;
      },
    });

  it('passes the dashboard request id to the API, which adopts it', async () => {
    const login = await api().login(stack.merchant.email, stack.merchant.password, {
      requestId: 'dash-req-1',
    });
    expect(login.token).toMatch(/^dst_/);
    expect(login.merchantName).toBe('Blue Mug Coffee');
    await api().forToken(login.token, { requestId: 'dash-req-2' }).balances();
    expect(sent).toEqual(['dash-req-1', 'dash-req-2']);
    expect(echoed).toEqual(['dash-req-1', 'dash-req-2']);
  });

  it("turns the API's error shape into ApiError with its code and message", async () => {
    const login = await api().login(stack.merchant.email, stack.merchant.password);
    const error = await api()
      .forToken(login.token)
      .getPayment('pay_nosuchpayment')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'resource_missing' });
    const wrong = await api()
      .login(stack.merchant.email, 'wrong password')
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
  });
});

describe('createDashboardApi over real HTTP on loopback (its own transport)', () => {
  let stack: TestStack;
  let server: HttpServer;
  let baseUrl: string;
  const seen: { sent: string | null; echoed: string | null }[] = [];
  beforeAll(async () => {
    stack = await startTestStack();
    server = await new Promise<HttpServer>((resolve) => {
      const s = serve(
        {
          fetch: async (request: Request) => {
            const response = await stack.apiApp.fetch(request);
            seen.push({
              sent: request.headers.get('x-request-id'),
              echoed: response.headers.get('x-request-id'),
            });
            return response;
          },
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s as HttpServer),
      );
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
    await stack?.close();
  });

  it('signs in, reads and sends the request id, which the API adopts', async () => {
    const api = createDashboardApi({ baseUrl });
    try {
      const login = await api.login(stack.merchant.email, stack.merchant.password, { requestId: 'loop-1' });
      expect(login.merchantName).toBe('Blue Mug Coffee');
      const merchant = api.forToken(login.token, { requestId: 'loop-2' });
      expect(await merchant.listPayments({ limit: 25 })).toEqual({ data: [], hasMore: false });
      expect(seen).toEqual([
        { sent: 'loop-1', echoed: 'loop-1' },
        { sent: 'loop-2', echoed: 'loop-2' },
      ]);
      expect(await api.ping()).toBe(true);
    } finally {
      await api.close?.();
    }
  });

  it("maps the API's errors to ApiError", async () => {
    const api = createDashboardApi({ baseUrl });
    try {
      const login = await api.login(stack.merchant.email, stack.merchant.password);
      const missing = await api
        .forToken(login.token)
        .getPayment('pay_nosuchpayment')
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ApiError);
      expect(missing).toMatchObject({
        status: 404,
        code: 'resource_missing',
        message: "No such payment: 'pay_nosuchpayment'",
      });
      const wrong = await api.login(stack.merchant.email, 'wrong password').catch((e: unknown) => e);
      expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
    } finally {
      await api.close?.();
    }
  });
});

describe('createDashboardApi when the API answers 503 or stops mid-body', () => {
  let server: HttpServer;
  let baseUrl: string;
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      if (req.url?.startsWith('/v1/dashboard/login')) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"draining"}}');
        return;
      }
      // Headers and the first bytes of the body, then nothing: the deadline covers the body too.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"data":[');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  });

  it('a 503 is ApiUnavailableError', async () => {
    const api = createDashboardApi({ baseUrl, timeoutMs: 200 });
    const error = await api.login('a@b.test', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnavailableError);
    expect((error as ApiUnavailableError).cause).toEqual(new Error('HTTP 503'));
    await api.close?.();
  });

  it('a body that never ends gives up after the timeout with ApiUnavailableError', async () => {
    const api = createDashboardApi({ baseUrl, timeoutMs: 200 });
    const error = await api
      .forToken('dst_x')
      .listPayments({ limit: 25 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnavailableError);
    expect(String((error as ApiUnavailableError).cause)).toContain('The API did not answer within 200 ms');
    await api.close?.();
  });
});

describe('createDashboardApi when the API hangs', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: a wedged API.
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after the timeout with ApiUnavailableError', async () => {
    const { port } = server.address() as AddressInfo;
    const api = createDashboardApi({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
    const error = await api.login('a@b.test', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnavailableError);
    expect(String((error as ApiUnavailableError).cause)).toContain('The API did not answer within 200 ms');
    expect(await api.ping()).toBe(false);
    await api.close?.();
  });
});
