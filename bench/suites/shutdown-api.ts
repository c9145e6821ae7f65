/**
 * Graceful shutdown under load (docs/design/apps.md §Graceful shutdown): 32 connections of
 * GET /v1/balance against the real API process; SIGTERM mid-run. A simulated load balancer
 * polls /readyz and stops routing to the pod once it answers 503 (what endpoint removal does),
 * while the API keeps serving for its preStop window (SHUTDOWN_DELAY_MS), then drains.
 * Reported: failed requests + socket errors ÷ requests in the run (goal 0), and
 * drain time ÷ terminationGracePeriodSeconds (30 s; goal < 0.5).
 */
import { join } from 'node:path';
import { createMerchant } from '@payday/api';
import { spawnApi } from '@payday/api/testing';
import { createDatabase, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { absolute, type BenchSuite, type Measurement, stats } from '../harness.js';
import { autocannon, BENCH_PG_SETTINGS, CONNECTIONS } from './api.js';

const GRACE_SECONDS = 30;
/** The preStop sleep the pod spec would carry (5–15 s is typical); the simulated LB needs it under load. */
const PRESTOP_MS = 5_000;

async function oneShutdown(pgUrl: string, token: string, loadSeconds: number) {
  const api = await spawnApi({
    DATABASE_URL: pgUrl,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_SECOND: '0',
    SHUTDOWN_DELAY_MS: String(PRESTOP_MS),
  });
  const run = autocannon({
    url: `${api.url}/v1/balance`,
    connections: CONNECTIONS,
    duration: loadSeconds * 3,
    headers: { authorization: `Bearer ${token}` },
  });
  await new Promise((r) => setTimeout(r, (loadSeconds * 1000) / 2));
  const sigterm = Date.now();
  api.child.kill('SIGTERM');
  // The "load balancer": route until readiness fails, then take the pod out of rotation.
  for (;;) {
    const ready = await fetch(`${api.url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready !== 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  run.stop();
  const result = await run;
  const code = await api.exited;
  const drainSeconds = (Date.now() - sigterm) / 1000;
  if (code !== 0) throw new Error(`the API exited with ${code} after SIGTERM`);
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    failedRatio: failed / Math.max(1, result.requests.total),
    failed,
    total: result.requests.total,
    drainSeconds,
  };
}

const suite: BenchSuite = {
  name: 'shutdown-api',
  description:
    'SIGTERM under 32-connection load: failed requests ÷ requests (goal 0), drain time ÷ grace period',
  async run(ctx) {
    ctx.progress('starting PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dataDir: join(ctx.tmpDir, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: BENCH_PG_SETTINGS,
    });
    try {
      await migrateDatabase(pg.url);
      const database = createDatabase(pg.url, { max: 2 });
      const { apiKey } = await createMerchant(database, { name: 'Shutdown bench' });
      await database.close();
      const rounds = ctx.quick ? 1 : Math.min(ctx.rounds, 3);
      const results = [];
      for (let i = 0; i < rounds; i++) {
        ctx.progress(`round ${i + 1}/${rounds}: load, SIGTERM, drain`);
        results.push(await oneShutdown(pg.url, apiKey.secret, ctx.quick ? 2 : 4));
      }
      const note = `${results.map((r) => `${r.failed}/${r.total}`).join(', ')} failed; preStop ${PRESTOP_MS} ms`;
      const measurements: Measurement[] = [
        absolute(
          'shutdown-api.failed-ratio',
          'ratio',
          stats(results.map((r) => r.failedRatio)),
          { op: '<=', value: 0 },
          note,
        ),
        absolute(
          'shutdown-api.drain-vs-grace',
          'ratio',
          stats(results.map((r) => r.drainSeconds / GRACE_SECONDS)),
          { op: '<=', value: 0.5 },
          `drain ${stats(results.map((r) => r.drainSeconds)).median.toFixed(2)} s of ${GRACE_SECONDS} s`,
        ),
      ];
      return measurements;
    } finally {
      await pg.stop();
    }
  },
};

export default suite;
