import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import { claimJobs } from './claim.js';
import { enqueue } from './enqueue.js';
import { COMPLETE_SQL, EXTEND_LEASE_SQL, RELEASE_SQL } from './statements.js';

const ctx = useQueueDatabase();

describe('the holder of a job (jobs_locked_only_while_running)', () => {
  it('refuses a holder on a job that is not running, and writes nothing', async () => {
    const { db, sql } = ctx.db;
    await sql`truncate jobs`;
    const job = await enqueue(db, {
      type: 'payment.process',
      payload: { payment_id: 'p' },
      runAt: ms(T0, -1),
    });
    await expect(sql`update jobs set locked_by = 'w' where id = ${job!.id}`).rejects.toThrow(
      'new row for relation "jobs" violates check constraint "jobs_locked_only_while_running"',
    );
    const [claimed] = await claimJobs(sql, {
      type: 'payment.process',
      workerId: 'w',
      limit: 1,
      leaseMs: 1000,
      now: T0,
    });
    await expect(sql`update jobs set status = 'completed' where id = ${claimed!.id}`).rejects.toThrow(
      'new row for relation "jobs" violates check constraint "jobs_locked_only_while_running"',
    );
    const rows = await sql`select status, locked_by from jobs`;
    expect(rows).toEqual([{ status: 'running', locked_by: 'w' }]);
  });

  it('completes, releases and extends by primary key, never through a partial index (plan, not timings)', async () => {
    const { sql } = ctx.db;
    await sql`truncate jobs`;
    // A table mostly of finished jobs with a few active ones, 100 of them held by worker w: the
    // partial index `jobs_running_type_idx` then looks like the cheap way to find running jobs.
    await sql`insert into jobs (type, payload, run_at, status, locked_by, locked_until, completed_at)
      select 'payment.process', '{}'::jsonb, ${T0.toISOString()}::timestamptz,
             case when i <= 100 then 'running' when i <= 200 then 'queued' else 'completed' end,
             case when i <= 100 then 'w' end,
             case when i <= 100 then ${ms(T0, 60_000).toISOString()}::timestamptz end,
             case when i > 200 then ${T0.toISOString()}::timestamptz end
        from generate_series(1, 20000) as i`;
    await sql`analyze jobs`;
    const held = (await sql`select id from jobs where locked_by = 'w' order by id limit 50`).map(
      (r) => r.id as string,
    );
    const statements: [string, string, unknown[]][] = [
      ['complete', COMPLETE_SQL, [T0.toISOString(), held, 'w']],
      ['release', RELEASE_SQL, [held, 'w']],
      ['extend', EXTEND_LEASE_SQL, [T0.toISOString(), held, 'w', 1000]],
    ];
    type PlanNode = { 'Index Name'?: string; 'Actual Rows': number; Plans?: PlanNode[] };
    /** The indexes the statement's plan reads and the rows it updated, rolled back. */
    const planOf = async (text: string, params: unknown[], withoutPrimaryKey: boolean) => {
      const indexes: string[] = [];
      let updated = -1;
      await sql
        .begin(async (tx) => {
          if (withoutPrimaryKey) await tx`alter table jobs drop constraint jobs_pkey`;
          const [row] = await tx.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params as never[]);
          const plan = (row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
          const visit = (n: PlanNode) => {
            if (n['Index Name']) indexes.push(n['Index Name']);
            for (const c of n.Plans ?? []) visit(c);
          };
          visit(plan);
          updated = plan['Actual Rows'];
          throw new Error('roll back');
        })
        .catch((err: Error) => {
          if (err.message !== 'roll back') throw err;
        });
      return { updated, indexes };
    };
    for (const [name, text, params] of statements) {
      expect({ name, ...(await planOf(text, params, false)) }).toEqual({
        name,
        updated: 50,
        indexes: ['jobs_pkey'],
      });
      // Even with no primary key to use, no partial index qualifies: the planner cannot pick
      // one whatever its statistics say.
      expect({ name, ...(await planOf(text, params, true)) }).toEqual({ name, updated: 50, indexes: [] });
    }
  });
});
