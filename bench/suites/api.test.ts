import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { merchants, webhookEndpoints } from '@payday/db/schema';
import { freePort } from '@payday/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../pgbench-script.js';
import { postScript } from './api.js';

describe('the api suite pgbench script', () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-api-test-'));
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
    await migrateDatabase(pg.url);
  });
  afterAll(async () => {
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs @payday/db's CREATE_PAYMENT as pgbench runs it and writes what the API writes", async () => {
    const database = createDatabase(pg.url, { max: 1 });
    try {
      const [merchant] = await database.db.insert(merchants).values({ name: 'Bench' }).returning();
      await database.db
        .insert(webhookEndpoints)
        .values({ merchantId: merchant!.id, url: 'https://example.test/', secret: 'whsec_x' });
      const { script, defines } = postScript(merchant!.id);
      const file = join(dir, 'post.sql');
      await writeFile(file, script);
      expect(await runScript(pg.url, { script: file, clients: 2, transactions: 3, defines })).toBe(6);
      const [counts] = await database.sql`
        select (select count(*) from payments where status = 'pending')::int as payments,
               (select count(*) from events e join payments p on p.id = e.object_id
                 where e.type = 'payment.created')::int as events,
               (select count(*) from jobs j join payments p on j.payload->>'payment_id' = p.id
                 where j.type = 'payment.process' and j.unique_key = 'payment.process:' || p.id)::int as jobs,
               (select count(*) from jobs j join events e on j.payload->>'event_id' = e.id
                 where j.type = 'webhook.deliver')::int as deliveries`;
      expect(counts).toEqual({ payments: 6, events: 6, jobs: 6, deliveries: 6 });
      expect(defines).toContain(`p2=${merchant!.id}`);
    } finally {
      await database.close();
    }
  });
});
