import type { createDatabase } from '@payday/db';
import { openTestDatabase } from '@payday/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from './config.js';
import { start } from './server.js';
import { createMerchant } from './services/merchants.js';
import { spawnApi } from './testing/spawn-api.js';

/** Resolves once some backend of this database waits on a row lock (our blocked request). */
async function waitForLockWaiter(sql: ReturnType<typeof createDatabase>['sql']): Promise<void> {
  for (;;) {
    const [row] = await sql`select count(*)::int as n from pg_stat_activity
                            where datname = current_database() and wait_event_type = 'Lock'`;
    if (row!.n > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('graceful shutdown', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  let key: string;
  beforeAll(async () => {
    t = await openTestDatabase();
    key = (await createMerchant(t, { name: 'Shutdown' })).apiKey.secret;
  });
  afterAll(async () => t.cleanup());

  /** A payment whose row the test holds locked, so a refund of it stays in flight until released. */
  async function lockedPayment(baseUrl: string) {
    const res = await fetch(`${baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1000, currency: 'usd' }),
    });
    const payment = (await res.json()) as { id: string };
    await t.sql`update payments set status = 'succeeded', amount_captured = amount where id = ${payment.id}`;
    const lock = await t.sql.reserve();
    await lock`begin`;
    await lock`select 1 from payments where id = ${payment.id} for update`;
    return {
      id: payment.id,
      async release() {
        await lock`commit`;
        lock.release();
      },
    };
  }

  const refund = (baseUrl: string, payment: string) =>
    fetch(`${baseUrl}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payment, amount: 100 }),
    });

  it('close(): in-flight requests finish with 200, then the listener is gone and the pool drained', async () => {
    const env = loadEnv({ DATABASE_URL: t.test.url, API_PORT: '0', LOG_LEVEL: 'silent' });
    const api = await start({ env, logger: pino({ level: 'silent' }) });
    const locked = await lockedPayment(api.url);
    const inFlight = refund(api.url, locked.id);
    await waitForLockWaiter(t.sql);
    const closing = api.close();
    expect(api.lifecycle.draining).toBe(true);
    await locked.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    await closing;
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
  });

  it('SIGTERM to the real process: readiness 503 during the preStop delay, in-flight request completes, exit 0', async () => {
    const { url, child, messages, exited } = await spawnApi({
      DATABASE_URL: t.test.url,
      SHUTDOWN_DELAY_MS: '500',
    });
    const locked = await lockedPayment(url);
    const inFlight = refund(url, locked.id);
    await waitForLockWaiter(t.sql);
    child.kill('SIGTERM');
    // During the delay the server still answers, and says it is not ready.
    let ready: Response;
    do ready = await fetch(`${url}/readyz`);
    while (ready.status === 200);
    expect(ready.status).toBe(503);
    await locked.release();
    expect((await inFlight).status).toBe(200);
    expect(await exited).toBe(0);
    expect(messages).toEqual(
      expect.arrayContaining(['signal received', 'shutting down: readiness is now 503', 'shut down']),
    );
  });
});
