import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { KEDA_READER_ROLE } from '../roles.js';
import { createTestDatabase, type TestDatabase } from '../testing/database.js';
import { knownMigrations, migrateDatabase, migrationStatus } from './migrate.js';

const dbs: TestDatabase[] = [];
afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

/** An empty database (the template is already migrated, so drop the schema it carries). */
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  dbs.push(db);
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  await sql.unsafe('drop schema public cascade; create schema public; drop schema drizzle cascade');
  await sql.end();
  return db;
}

describe('migrateDatabase', () => {
  it('applies every migration once; a second run applies nothing', async () => {
    const db = await emptyDatabase();
    const first = await migrateDatabase(db.url);
    expect(first.applied).toEqual(knownMigrations().map((m) => m.tag));
    const second = await migrateDatabase(db.url);
    expect(second.applied).toEqual([]);
  });

  it('serialises concurrent runs with the advisory lock: exactly one applies', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase(db.url)));
    const appliers = results.filter((r) => r.applied.length > 0);
    expect(appliers).toHaveLength(1);
    const sql = postgres(db.url, { max: 1 });
    const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await sql.end();
    expect(row?.n).toBe(knownMigrations().length);
  });

  it('reports an unmigrated database as not current and a migrated one as current', async () => {
    const db = await emptyDatabase();
    const sql = postgres(db.url, { max: 1 });
    try {
      expect((await migrationStatus(sql)).current).toBe(false);
      await migrateDatabase(db.url);
      const status = await migrationStatus(sql);
      expect(status.current).toBe(true);
      expect(status.expected).toBe(knownMigrations().at(-1)?.tag);
    } finally {
      await sql.end();
    }
  });
});

describe('role grants', () => {
  it('grants the KEDA reader SELECT on jobs and nothing else, on every run', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      // Roles are cluster-wide: create it once for the whole test server.
      await sql.unsafe(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${KEDA_READER_ROLE}') THEN
          CREATE ROLE ${KEDA_READER_ROLE} LOGIN;
        END IF; END $$;`);
      const before = await migrateDatabase(db.url);
      expect(before.applied).toEqual([]);
      const [row] = await sql<{ jobs: boolean; payments: boolean }[]>`
        select has_table_privilege(${KEDA_READER_ROLE}, 'jobs', 'SELECT') as jobs,
               has_table_privilege(${KEDA_READER_ROLE}, 'payments', 'SELECT') as payments`;
      expect(row).toEqual({ jobs: true, payments: false });
    } finally {
      await sql.end();
    }
  });
});
