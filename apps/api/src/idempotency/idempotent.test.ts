import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, readJson, type TestApi } from '../testing/harness.js';
import { sweepIdempotencyKeys } from './idempotent.js';

describe('Idempotency-Key', () => {
  let api: TestApi;
  let key: string;
  let merchantId: string;
  beforeAll(async () => {
    api = await createTestApi();
    const m = await api.merchant();
    key = m.apiKey.secret;
    merchantId = m.merchantId;
  });
  afterAll(async () => api.close());

  const post = (idem: string, body: unknown, path = '/v1/payments') =>
    api.call('POST', path, { token: key, body, headers: { 'idempotency-key': idem } });

  it('50 concurrent identical POSTs make exactly one payment and one job; every answer is the payment or 409', async () => {
    const body = { amount: 4200, currency: 'usd', description: 'concurrent' };
    const responses = await Promise.all(Array.from({ length: 50 }, () => post('k-concurrent', body)));
    const texts = await Promise.all(responses.map((r) => r.text()));
    const ok = responses
      .map((r, i) => ({ status: r.status, text: texts[i]! }))
      .filter((r) => r.status === 200);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(ok.length + conflicts.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.text)).size).toBe(1);
    for (const c of conflicts) expect(c.headers.get('content-type')).toMatch(/json/);
    const conflictBody = JSON.parse(texts[responses.findIndex((r) => r.status === 409)] ?? 'null');
    if (conflictBody)
      expect(conflictBody.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    const payment = JSON.parse(ok[0]!.text);
    const [row] = await api.database.sql`
      select (select count(*)::int from payments where description = 'concurrent') as payments,
             (select count(*)::int from jobs where type = 'payment.process' and payload->>'payment_id' = ${payment.id}) as jobs`;
    expect(row).toEqual({ payments: 1, jobs: 1 });
    // After settling: still exactly one ledger transaction for it.
    await api.settle(payment.id);
    const [tx] = await api.database
      .sql`select count(*)::int as n from ledger_transactions where payment_id = ${payment.id}`;
    expect(tx!.n).toBe(1);
  });

  it('replays the stored response byte for byte after the first request finished', async () => {
    const first = await post('k-replay', { amount: 100, currency: 'usd', metadata: { b: '2', a: '1' } });
    const firstText = await first.text();
    const again = await post('k-replay', { metadata: { a: '1', b: '2' }, currency: 'usd', amount: 100 });
    expect(again.status).toBe(first.status);
    expect(await again.text()).toBe(firstText);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 422 when the key is reused with a different body, and writes nothing', async () => {
    await post('k-mismatch', { amount: 100, currency: 'usd' });
    const before = await api.count('payments');
    const res = await post('k-mismatch', { amount: 101, currency: 'usd' });
    expect(res.status).toBe(422);
    expect((await readJson(res)).error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
    });
    expect(await api.count('payments')).toBe(before);
    // The same key on another endpoint is a different request, too.
    const other = await post('k-mismatch', { payment: 'pay_x', amount: 1 }, '/v1/refunds');
    expect(other.status).toBe(422);
  });

  it('answers 409 while the first request is in flight, and nothing is saved for it', async () => {
    await api.database.sql`
      insert into idempotency_keys (merchant_id, key, method, path, fingerprint)
      values (${merchantId}, 'k-inflight', 'POST', '/v1/payments', 'x')`;
    const before = await api.count('payments');
    // Same fingerprint as the in-flight claim: rewrite the stored fingerprint to this body's.
    const probe = await post('k-probe', { amount: 5, currency: 'usd' });
    expect(probe.status).toBe(200);
    const [{ fingerprint }] = (await api.database.sql`
      select fingerprint from idempotency_keys where key = 'k-probe'`) as unknown as [
      { fingerprint: string },
    ];
    await api.database.sql`update idempotency_keys set fingerprint = ${fingerprint} where key = 'k-inflight'`;
    const res = await post('k-inflight', { amount: 5, currency: 'usd' });
    expect(res.status).toBe(409);
    expect((await readJson(res)).error.code).toBe('idempotency_key_in_use');
    expect(await api.count('payments')).toBe(before + 1);
  });

  it('takes over a claim abandoned by a crashed request (older than the stale limit)', async () => {
    const probe = await post('k-probe-2', { amount: 6, currency: 'usd' });
    expect(probe.status).toBe(200);
    const [{ fingerprint }] = (await api.database.sql`
      select fingerprint from idempotency_keys where key = 'k-probe-2'`) as unknown as [
      { fingerprint: string },
    ];
    await api.database.sql`
      insert into idempotency_keys (merchant_id, key, method, path, fingerprint, locked_at)
      values (${merchantId}, 'k-stale', 'POST', '/v1/payments', ${fingerprint}, now() - interval '5 minutes')`;
    const res = await post('k-stale', { amount: 6, currency: 'usd' });
    expect(res.status).toBe(200);
    const [row] = await api.database.sql`select status from idempotency_keys where key = 'k-stale'`;
    expect(row!.status).toBe('completed');
  });

  it('saves nothing when validation fails, so the corrected retry with the same key works', async () => {
    const bad = await post('k-validation', { amount: -1, currency: 'usd' });
    expect(bad.status).toBe(400);
    const [row] = await api.database
      .sql`select count(*)::int as n from idempotency_keys where key = 'k-validation'`;
    expect(row!.n).toBe(0);
    const good = await post('k-validation', { amount: 1, currency: 'usd' });
    expect(good.status).toBe(200);
  });

  it('stores and replays a business error that happened once execution began', async () => {
    const first = await post('k-error', { payment: 'pay_missing' }, '/v1/refunds');
    expect(first.status).toBe(404);
    const text = await first.text();
    const again = await post('k-error', { payment: 'pay_missing' }, '/v1/refunds');
    expect(again.status).toBe(404);
    expect(await again.text()).toBe(text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects keys longer than 255 characters, naming the header', async () => {
    const res = await post('k'.repeat(256), { amount: 1, currency: 'usd' });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error).toMatchObject({
      code: 'parameter_invalid',
      param: 'Idempotency-Key',
    });
  });

  it('scopes keys per merchant: another merchant may use the same key', async () => {
    const other = await api.merchant('Other');
    const a = await post('k-shared', { amount: 10, currency: 'usd' });
    const b = await api.call('POST', '/v1/payments', {
      token: other.apiKey.secret,
      body: { amount: 10, currency: 'usd' },
      headers: { 'idempotency-key': 'k-shared' },
    });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect((await readJson(a)).id).not.toBe((await readJson(b)).id);
  });

  it('sweeps keys older than 24 hours; a payment keeps its key, so reuse after that is a clear 409', async () => {
    const first = await post('k-old', { amount: 7, currency: 'usd' });
    expect(first.status).toBe(200);
    await api.database
      .sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'k-old'`;
    expect(await sweepIdempotencyKeys(api.database)).toBe(1);
    const reuse = await post('k-old', { amount: 7, currency: 'usd' });
    expect(reuse.status).toBe(409);
    expect((await readJson(reuse)).error.code).toBe('idempotency_key_expired');
    const [row] = await api.database.sql`select count(*)::int as n from idempotency_keys where key = 'k-old'`;
    expect(row!.n).toBe(0);
  });
});
