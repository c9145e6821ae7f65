import type postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { ms, T0, useQueueDatabase } from '../testing/queue.js';
import {
  CLAIM_OTHER_SQL,
  CLAIM_SQL,
  DEPTH_BY_TYPE_SQL,
  KEDA_QUEUE_DEPTH_SQL,
  RESCUE_SQL,
} from './statements.js';

const ctx = useQueueDatabase();

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
};

let prepared = 0;

/** A test's parameter as an SQL literal (strings, numbers and arrays of strings only). */
const literal = (v: unknown): string =>
  Array.isArray(v)
    ? `ARRAY[${v.map(literal).join(', ')}]::text[]`
    : typeof v === 'number'
      ? String(v)
      : `'${String(v).replaceAll("'", "''")}'`;

/**
 * Every node of `text`'s executed plan (EXPLAIN ANALYZE), its writes rolled back. With
 * `genericTypes` (the parameters' types), the plan PostgreSQL would cache for the prepared
 * statement after its first executions (the worker prepares its statements): a generic plan,
 * made without the parameters' values (PostgreSQL docs, PREPARE, "plan_cache_mode").
 */
async function planNodes(
  sql: postgres.Sql,
  text: string,
  params: unknown[],
  genericTypes?: string,
): Promise<PlanNode[]> {
  const nodes: PlanNode[] = [];
  const name = `planned_${++prepared}`;
  await sql
    .begin(async (tx) => {
      let explained = text;
      if (genericTypes) {
        await tx`set local plan_cache_mode = force_generic_plan`;
        await tx.unsafe(`PREPARE ${name}(${genericTypes}) AS ${text}`);
        // EXECUTE takes its arguments as expressions, not bind parameters: the tests' own values.
        explained = `EXECUTE ${name}(${params.map(literal).join(', ')})`;
      }
      const [row] = await tx.unsafe(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${explained}`,
        (genericTypes ? [] : params) as never[],
      );
      const visit = (n: PlanNode) => {
        nodes.push(n);
        for (const c of n.Plans ?? []) visit(c);
      };
      visit((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
      // A prepared statement outlives the transaction (PostgreSQL docs, PREPARE).
      if (genericTypes) await tx.unsafe(`DEALLOCATE ${name}`);
      throw new Error('roll back');
    })
    .catch((err: Error) => {
      if (err.message !== 'roll back') throw err;
    });
  return nodes;
}

/** The nodes that read `jobs` (scans; not the UPDATE that writes it). */
const scansOfJobs = (nodes: PlanNode[]) =>
  nodes.filter((n) => n['Relation Name'] === 'jobs' && n['Node Type'].endsWith('Scan'));

/** Rows a scan of `jobs` read: returned on every loop, plus those its filters dropped. */
const rowsRead = (n: PlanNode) =>
  n['Actual Rows'] * n['Actual Loops'] +
  (n['Rows Removed by Filter'] ?? 0) +
  (n['Rows Removed by Index Recheck'] ?? 0);

/** `count` jobs of `type` and `status`, run-at one millisecond apart ending a minute before T0. */
async function insertJobs(sql: postgres.Sql, count: number, type: string, status: string): Promise<void> {
  await sql`insert into jobs (type, payload, run_at, status, locked_by, locked_until, completed_at)
    select ${type}, '{}'::jsonb, ${ms(T0, -60_000 - count).toISOString()}::timestamptz + i * interval '1 millisecond',
           ${status}, case when ${status} = 'running' then 'w' end,
           case when ${status} = 'running' then ${ms(T0, -1000).toISOString()}::timestamptz end,
           case when ${status} in ('completed', 'dead') then ${T0.toISOString()}::timestamptz end
      from generate_series(1, ${count}) as i`;
}

/**
 * The statistics a queue table normally has when a burst of jobs arrives: the last ANALYZE saw
 * only finished jobs, so `pg_stats` says `status` is always 'completed' and the planner expects
 * about one queued row. And, once an ANALYZE has seen the burst, statistics that say nearly
 * every row is queued. No autovacuum in this database may change them mid-test.
 */
const states: [string, string, (sql: postgres.Sql) => Promise<void>][] = [
  [
    'analyzed with 200 completed jobs, emptied, then 5,000 queued',
    '{completed}',
    async (sql) => {
      await insertJobs(sql, 200, 'payment.process', 'completed');
      await sql`analyze jobs`;
      await sql`truncate jobs`;
      await insertJobs(sql, 5000, 'payment.process', 'queued');
    },
  ],
  [
    'analyzed with 20,000 completed jobs, then 5,000 queued',
    '{completed}',
    async (sql) => {
      await insertJobs(sql, 20_000, 'payment.process', 'completed');
      await sql`vacuum analyze jobs`;
      await insertJobs(sql, 5000, 'payment.process', 'queued');
    },
  ],
  [
    'analyzed with 5,000 queued',
    '{queued}',
    async (sql) => {
      await insertJobs(sql, 5000, 'payment.process', 'queued');
      await sql`vacuum analyze jobs`;
    },
  ],
];

describe('statement plans do not depend on the statistics (plan rows, not timings)', () => {
  for (const [state, mcv, prepare] of states) {
    it(`claims through the ordered queued index and the primary key, reading at most its limit: ${state}`, async () => {
      const { sql } = ctx.db;
      await sql`truncate jobs`;
      await sql`alter table jobs set (autovacuum_enabled = false)`;
      await prepare(sql);
      const [stats] = await sql`select most_common_vals::text as vals from pg_stats
        where tablename = 'jobs' and attname = 'status'`;
      expect(stats!.vals).toBe(mcv);

      const claims: [string, string, unknown[], string][] = [
        [
          'claim',
          CLAIM_SQL,
          [T0.toISOString(), 250, 'w', 1000, 'payment.process'],
          'timestamptz, int, text, bigint, text',
        ],
        // Unknown types: the loose scan and one range of the same index per queued type.
        [
          'claim other',
          CLAIM_OTHER_SQL,
          [T0.toISOString(), 250, 'w', 1000, ['invoice.send']],
          'timestamptz, int, text, bigint, text[]',
        ],
      ];
      for (const [name, text, params, types] of claims)
        for (const generic of [undefined, types]) {
          const nodes = await planNodes(sql, text, params, generic);
          const label = { name, plan: generic ? 'generic' : 'custom' };
          expect({ ...label, claimed: nodes[0]!['Actual Rows'] }).toEqual({ ...label, claimed: 250 });
          const scans = scansOfJobs(nodes);
          // Only the ordered index, which stops at the limit, and the primary key for the UPDATE.
          expect({ ...label, indexes: [...new Set(scans.map((n) => n['Index Name']))].sort() }).toEqual({
            ...label,
            indexes: ['jobs_pkey', 'jobs_queued_type_run_at_idx'],
          });
          for (const n of scans)
            expect({ ...label, index: n['Index Name'], read: rowsRead(n) }).toMatchObject({
              ...label,
              read: expect.toSatisfy((r: number) => r <= 250),
            });
          // No sort of every queued job of the type. The claim of unknown types sorts the
          // oldest of each type it read, at most its limit per type.
          if (name === 'claim') expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
        }
    });
  }

  it('depth, KEDA and rescue read only queued and running rows, each through its own index', async () => {
    const { sql } = ctx.db;
    await sql`truncate jobs`;
    await sql`alter table jobs set (autovacuum_enabled = false)`;
    await insertJobs(sql, 20_000, 'payment.process', 'completed');
    await insertJobs(sql, 300, 'payment.process', 'queued');
    await insertJobs(sql, 50, 'webhook.deliver', 'running');
    await sql`vacuum analyze jobs`;
    const statements: [string, string, unknown[], number][] = [
      ['depth', DEPTH_BY_TYPE_SQL, [T0.toISOString()], 350],
      ['keda', KEDA_QUEUE_DEPTH_SQL, [], 350],
      ['rescue', RESCUE_SQL, [T0.toISOString()], 50],
    ];
    for (const [name, text, params, active] of statements) {
      const scans = scansOfJobs(await planNodes(sql, text, params));
      expect({ name, nodes: scans.map((n) => n['Node Type']) }).not.toMatchObject({
        nodes: expect.arrayContaining(['Seq Scan']),
      });
      expect({ name, read: scans.reduce((sum, n) => sum + rowsRead(n), 0) }).toEqual({ name, read: active });
      for (const n of scans)
        expect(['jobs_queued_type_run_at_idx', 'jobs_running_type_idx']).toContain(n['Index Name']);
    }
    expect(await sql.unsafe(DEPTH_BY_TYPE_SQL, [T0.toISOString()])).toEqual([
      { type: 'payment.process', depth: 300, oldest_age_seconds: 60.299 },
      { type: 'webhook.deliver', depth: 50, oldest_age_seconds: 0 },
    ]);
  });
});
