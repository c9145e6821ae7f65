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

/** Every node of `text`'s executed plan (EXPLAIN ANALYZE), its writes rolled back. */
async function planNodes(sql: postgres.Sql, text: string, params: unknown[]): Promise<PlanNode[]> {
  const nodes: PlanNode[] = [];
  await sql
    .begin(async (tx) => {
      const [row] = await tx.unsafe(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, params as never[]);
      const visit = (n: PlanNode) => {
        nodes.push(n);
        for (const c of n.Plans ?? []) visit(c);
      };
      visit((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan);
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
 * about one queued row. No autovacuum in this database may refresh them mid-test.
 */
const staleStates: [string, (sql: postgres.Sql) => Promise<void>][] = [
  [
    'analyzed with 200 completed jobs, emptied, then 5,000 queued',
    async (sql) => {
      await insertJobs(sql, 200, 'payment.process', 'completed');
      await sql`analyze jobs`;
      await sql`truncate jobs`;
      await insertJobs(sql, 5000, 'payment.process', 'queued');
    },
  ],
  [
    'analyzed with 20,000 completed jobs, then 5,000 queued',
    async (sql) => {
      await insertJobs(sql, 20_000, 'payment.process', 'completed');
      await sql`vacuum analyze jobs`;
      await insertJobs(sql, 5000, 'payment.process', 'queued');
    },
  ],
];

describe('statement plans do not depend on the status statistics (plan rows, not timings)', () => {
  for (const [state, prepare] of staleStates) {
    it(`claims through the ordered queued index, reading at most its limit: ${state}`, async () => {
      const { sql } = ctx.db;
      await sql`truncate jobs`;
      await sql`alter table jobs set (autovacuum_enabled = false)`;
      await prepare(sql);
      const [stats] = await sql`select most_common_vals::text as vals from pg_stats
        where tablename = 'jobs' and attname = 'status'`;
      expect(stats!.vals).toBe('{completed}');

      const nodes = await planNodes(sql, CLAIM_SQL, [T0.toISOString(), 250, 'w', 1000, 'payment.process']);
      // No sort of every queued job: the index gives the order and the scan stops at the limit.
      expect(nodes.map((n) => n['Node Type'])).not.toContain('Sort');
      const scans = scansOfJobs(nodes);
      expect(scans.filter((n) => n['Index Name'] !== 'jobs_pkey').map((n) => n['Index Name'])).toEqual([
        'jobs_queued_type_run_at_idx',
      ]);
      for (const n of scans)
        expect({ index: n['Index Name'], read: rowsRead(n) }).toMatchObject({ read: 250 });
      expect(nodes[0]!['Actual Rows']).toBe(250);

      // The claim of unknown types, same state: one range of the same index per queued type.
      const other = await planNodes(sql, CLAIM_OTHER_SQL, [
        T0.toISOString(),
        250,
        'w',
        1000,
        ['invoice.send'],
      ]);
      const ranges = scansOfJobs(other).filter((n) => n['Index Name'] === 'jobs_queued_type_run_at_idx');
      expect(ranges.map(rowsRead).sort((a, b) => a - b)).toEqual([0, 1, 250]);
      expect(other[0]!['Actual Rows']).toBe(250);
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
