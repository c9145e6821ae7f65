import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScriptWithoutPgbench } from './pgbench-script.js';

describe('a pgbench script run without pgbench', () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let sql: postgres.Sql;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgbench-script-test-'));
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
    sql = postgres(pg.url, { max: 1, onnotice: () => {} });
    await sql`create table t (n bigint not null, label text not null, kind text not null)`;
  });
  afterAll(async () => {
    await sql?.end();
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds `\\set … random()` and `-D` variables as parameters, casts untouched, clients × transactions times', async () => {
    const script = `\\set n random(10, 12)\ninsert into t (n, label, kind)\n  values (:n, :label, 'x'::text);\n`;
    const file = join(dir, 'insert.sql');
    await writeFile(file, script);
    const processed = await runScriptWithoutPgbench(pg.url, {
      script: file,
      clients: 2,
      transactions: 3,
      defines: ['-D', 'label=a=b'],
    });
    expect(processed).toBe(6);
    const rows = await sql<{ n: string; label: string; kind: string }[]>`select n::text, label, kind from t`;
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(['10', '11', '12']).toContain(r.n);
      expect(r).toMatchObject({ label: 'a=b', kind: 'x' });
    }
  });

  it('refuses what it does not understand, before running anything', async () => {
    await sql`truncate t`;
    const run = async (script: string) => {
      const file = join(dir, 'refused.sql');
      await writeFile(file, script);
      return runScriptWithoutPgbench(pg.url, { script: file, clients: 1, transactions: 1 });
    };
    await expect(run('\\sleep 10 ms\nselect 1;\n')).rejects.toThrow(
      'pgbench meta-command not understood: \\sleep 10 ms',
    );
    await expect(run("insert into t values (:missing, 'l', 'k');\n")).rejects.toThrow(
      'pgbench variable :missing is never set',
    );
    await expect(run("insert into t values (1, 'l', 'k'); select 1;\n")).rejects.toThrow(
      'only one SQL statement per script is understood',
    );
    expect((await sql`select count(*)::int as n from t`)[0]!.n).toBe(0);
  });
});
