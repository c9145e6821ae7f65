import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, JOBS_CHANNEL, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../pgbench-script.js';
import { enqueueScript } from './queue-peers.js';

describe('the queue-peers suite pgbench scripts of the enqueue path', () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-queue-peers-test-'));
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
    await migrateDatabase(pg.url);
  });
  afterAll(async () => {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs @payday/db's enqueue statement as pgbench runs it: the same job, with its wake-up or without", async () => {
    const database = createDatabase(pg.url, { max: 1 });
    const seen: string[] = [];
    const listening = await database.sql.listen(JOBS_CHANNEL, (payload) => seen.push(payload));
    try {
      for (const wake of [true, false]) {
        const { script, defines } = enqueueScript(wake);
        expect(script.includes('pg_notify')).toBe(wake);
        const file = join(dir, `enqueue-${wake}.sql`);
        await writeFile(file, script);
        expect(await runScript(pg.url, { script: file, clients: 1, transactions: 1, defines })).toBe(1);
        // Notifications arrive in commit order: the marker comes after any of the insert's.
        await database.sql`select pg_notify(${JOBS_CHANNEL}, ${`marker-${wake}`})`;
        await expect.poll(() => seen.at(-1)).toBe(`marker-${wake}`);
      }
      expect(seen).toEqual(['payment.process', 'marker-true', 'marker-false']);
      const rows =
        await database.sql`select type, payload, status, max_attempts, unique_key from jobs order by id`;
      const job = {
        type: 'payment.process',
        payload: { payment_id: 'pay_bench' },
        status: 'queued',
        max_attempts: 10,
        unique_key: null,
      };
      expect(rows.map((r) => ({ ...r }))).toEqual([job, job]);
    } finally {
      await listening.unlisten();
      await database.close();
    }
  });
});
