import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executePrepared, prepareStatement } from './prepared.js';
import { openTestDatabase } from './testing/fixtures.js';

describe('prepared statements', () => {
  let t: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.sql`create table notes (id int primary key, body text)`;
  });
  afterAll(async () => t.cleanup());

  /** Statements postgres.js has prepared on this session, as PostgreSQL lists them. */
  const preparedOn = (tx: { execute: typeof t.db.execute }) =>
    tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);

  it('runs a drizzle sql statement as a named prepared statement, on the pool and in a transaction', async () => {
    const rows = await executePrepared(t.db, sql`insert into notes values (${1}, ${'one'}) returning body`);
    expect([...rows]).toEqual([{ body: 'one' }]);
    await t.db.transaction(async (tx) => {
      await executePrepared(tx, sql`insert into notes values (${2}, ${'two'})`);
      const listed = await preparedOn(tx);
      expect(listed.map((r) => r.statement)).toContain('insert into notes values ($1, $2)');
    });
    const [count] = await t.sql`select count(*)::int as n from notes`;
    expect(count!.n).toBe(2);
  });

  it('compiles once: the text and parameters are fixed, placeholders are filled per call', async () => {
    const statement = prepareStatement<{ id: number; body: string }>(
      sql`insert into notes (id, body) values (${sql.placeholder('id')}, ${sql.placeholder('body')} || ${'!'}) returning body`,
    );
    expect(statement.text).toBe('insert into notes (id, body) values ($1, $2 || $3) returning body');
    expect(statement.parameters).toEqual([{ placeholder: 'id' }, { placeholder: 'body' }, { value: '!' }]);
    expect([...(await statement.execute(t.db, { id: 3, body: 'three' }))]).toEqual([{ body: 'three!' }]);
    expect([...(await statement.execute(t.db, { id: 4, body: 'four' }))]).toEqual([{ body: 'four!' }]);
  });

  it('refuses a call that leaves a placeholder unfilled, writing nothing', async () => {
    const statement = prepareStatement<{ id: number; body: string }>(
      sql`insert into notes (id, body) values (${sql.placeholder('id')}, ${sql.placeholder('body')})`,
    );
    expect(() => statement.execute(t.db, { id: 5 } as never)).toThrow(
      'No value for placeholder "body" was provided',
    );
    const [row] = await t.sql`select count(*)::int as n from notes where id = 5`;
    expect(row!.n).toBe(0);
  });
});
