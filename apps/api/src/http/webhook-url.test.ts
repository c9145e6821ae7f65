import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../testing/harness.js';

/**
 * Registration refuses webhook URLs the worker's SSRF guard would refuse at delivery. They used
 * to be accepted, and the merchant learned of it only from `refused` deliveries.
 */
describe('webhook URL checked at registration', () => {
  let api: TestApi;
  let key: string;
  let endpointId: string;
  beforeAll(async () => {
    api = await createTestApi();
    key = (await api.merchant()).apiKey.secret;
    endpointId = (
      await api.json('POST', '/v1/webhook_endpoints', {
        token: key,
        body: { url: 'https://shop.example/hooks' },
      })
    ).body.id;
  });
  afterAll(async () => api.close());

  it('refuses loopback, private, link-local and mapped addresses, literal or resolved, writing nothing', async () => {
    for (const [url, reason] of [
      ['http://127.0.0.1:3003/hooks', '127.0.0.1 is loopback (RFC 1122)'],
      ['http://[::1]/hooks', '::1 is loopback (RFC 4291)'],
      [
        'http://169.254.169.254/latest/meta-data',
        '169.254.169.254 is link-local, incl. cloud metadata (RFC 3927)',
      ],
      ['https://10.1.2.3/hooks', '10.1.2.3 is private (RFC 1918)'],
      ['https://[::ffff:7f00:1]/hooks', '::ffff:7f00:1 is IPv4-mapped (RFC 4291)'],
      // Resolved through the system resolver (/etc/hosts), as the worker does.
      ['http://localhost:8080/hooks', 'localhost (resolves to'],
    ] as const) {
      const before = await api.count('webhook_endpoints');
      const res = await api.json('POST', '/v1/webhook_endpoints', { token: key, body: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'url_not_allowed',
        param: 'url',
      });
      expect(res.body.error.message).toContain(reason);
      expect(await api.count('webhook_endpoints')).toBe(before);
    }
  });

  it('says why in the words of the delivery-time guard', async () => {
    const res = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: { url: 'http://127.0.0.1:3003/hooks' },
    });
    expect(res.body.error.message).toBe(
      'Invalid url: refused 127.0.0.1: 127.0.0.1 is loopback (RFC 1122); private targets are not allowed (SSRF guard)',
    );
  });

  it('refuses credentials in the URL', async () => {
    const res = await api.json('POST', '/v1/webhook_endpoints', {
      token: key,
      body: { url: 'https://user:pass@shop.example/hooks' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Invalid url: credentials in the URL are not allowed');
  });

  it('refuses moving an endpoint to a private address, and keeps its URL', async () => {
    const res = await api.json('POST', `/v1/webhook_endpoints/${endpointId}`, {
      token: key,
      body: { url: 'http://192.168.1.10/hooks' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'url_not_allowed', param: 'url' });
    const ep = await api.json('GET', `/v1/webhook_endpoints/${endpointId}`, { token: key });
    expect(ep.body.url).toBe('https://shop.example/hooks');
  });

  it('accepts public addresses, and hosts that do not resolve yet (delivery checks again)', async () => {
    for (const url of ['https://8.8.8.8/hooks', 'https://not-yet-registered.example/hooks']) {
      const res = await api.json('POST', '/v1/webhook_endpoints', { token: key, body: { url } });
      expect(res.status, url).toBe(200);
    }
  });

  it('accepts loopback when private targets are allowed (local runs)', async () => {
    const local = await createTestApi({ webhookUrls: { allowPrivateTargets: true } });
    try {
      const k = (await local.merchant()).apiKey.secret;
      const res = await local.json('POST', '/v1/webhook_endpoints', {
        token: k,
        body: { url: 'http://127.0.0.1:3003/hooks' },
      });
      expect(res.status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
