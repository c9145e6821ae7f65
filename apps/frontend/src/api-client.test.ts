import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
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
    await expect(api.login('a@b.test', 'x')).rejects.toBeInstanceOf(ApiUnavailableError);
    expect(await api.ping()).toBe(false);
  });
});
