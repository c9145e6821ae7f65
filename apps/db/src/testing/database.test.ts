import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.js';

describe('createTestDatabase', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

  it('gives each caller its own real PostgreSQL database', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    dbs.push(a, b);
    expect(a.name).not.toBe(b.name);
    const sa = postgres(a.url, { max: 1 });
    const sb = postgres(b.url, { max: 1 });
    try {
      await sa`create table probe (id int)`;
      const [row] = await sb`select count(*)::int as n from pg_tables where tablename = 'probe'`;
      expect(row?.n).toBe(0);
      const [{ current_database }] = await sa`select current_database()`;
      expect(current_database).toBe(a.name);
    } finally {
      await sa.end();
      await sb.end();
    }
  });
});
