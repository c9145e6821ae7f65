/**
 * Where the CPU of a `POST /v1/payments` goes, per request, with payment grouping off and on
 * (bench/README.md, "Group commit of payment creations"): one throwaway PostgreSQL with the api
 * suite's settings, one API process per variant (the esbuild bundle under plain node, as the
 * suite runs it), 32 autocannon connections per run, then pgbench running `CREATE_PAYMENT` on
 * the same server, in rounds. Per request it prints the CPU time (`utime + stime` from
 * /proc/PID/stat) of the API process, of PostgreSQL (the postmaster with the backends it reaped
 * and the ones still running) and of autocannon (this process), and how many statements wrote
 * the payments of the run (rows written by one statement outside a transaction block share one
 * `xmin`). CPU per request is steadier than requests per second on a shared machine, though
 * load still inflates it.
 *
 *   npx tsx bench/api-floor/cpu-per-request.ts [--variants off,1,2,4,8] [--rounds 2] [--seconds 6]
 *
 * A variant is `off` (PAYMENT_GROUP_MAX_SIZE=1: every request alone on `CREATE_PAYMENT`, as
 * before grouping) or a number of groups in flight (PAYMENT_GROUPS_IN_FLIGHT, groups of 64).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMerchant } from '@payday/api';
import { type SpawnedApi, spawnApi } from '@payday/api/testing';
import { createDatabase, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { pgbench } from '../pgbench.js';
import { BENCH_PG_SETTINGS, buildApiBundle, CONNECTIONS, load, POOL, postScript } from '../suites/api.js';
import { postgresCpu, stat } from './proc-cpu.js';

const { values: args } = parseArgs({
  options: {
    variants: { type: 'string', default: 'off,1,2,4,8' },
    rounds: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '6' },
  },
});
const variants = args.variants.split(',');
const seconds = Number(args.seconds);
const us = (cpuSeconds: number, requests: number) => `${Math.round((cpuSeconds / requests) * 1e6)} µs`;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

const dir = await mkdtemp(join(tmpdir(), 'api-cpu-'));
const pg = await startEmbeddedPostgres({
  dataDir: join(dir, 'pg'),
  port: await freePort(),
  persistent: false,
  settings: BENCH_PG_SETTINGS,
});
const apis = new Map<string, SpawnedApi>();
try {
  await migrateDatabase(pg.url);
  const database = createDatabase(pg.url, { max: 2 });
  const merchant = await createMerchant(database, { name: 'CPU' });
  const postmaster = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const script = join(dir, 'post.sql');
  const post = postScript(merchant.merchantId);
  await writeFile(script, post.script);
  const entry = await buildApiBundle();
  for (const variant of variants) {
    const grouping =
      variant === 'off'
        ? { PAYMENT_GROUP_MAX_SIZE: '1', PAYMENT_GROUPS_IN_FLIGHT: String(POOL) }
        : { PAYMENT_GROUP_MAX_SIZE: '64', PAYMENT_GROUPS_IN_FLIGHT: variant };
    const env = {
      DATABASE_URL: pg.url,
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_SECOND: '0',
      DATABASE_POOL_MAX: String(POOL),
      ...grouping,
    };
    apis.set(variant, await spawnApi(env, { entry, nodeArgs: ['--enable-source-maps'] }));
  }
  const headers = { authorization: `Bearer ${merchant.apiKey.secret}`, 'content-type': 'application/json' };
  const body = '{"amount":2500,"currency":"usd"}';
  for (const api of apis.values()) {
    await load({ url: `${api.url}/v1/payments`, seconds: 1, method: 'POST', headers, body });
  }
  console.log(`${CONNECTIONS} connections, ${seconds} s per run, pool ${POOL}`);
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const [variant, api] of apis) {
      const [start] = await database.sql`select now() as t`;
      const api0 = stat(api.child.pid!)?.[1] ?? 0;
      const pg0 = postgresCpu(postmaster);
      const self0 = process.cpuUsage();
      const r = await load({ url: `${api.url}/v1/payments`, seconds, method: 'POST', headers, body });
      const self1 = process.cpuUsage(self0);
      const pg1 = postgresCpu(postmaster);
      const api1 = stat(api.child.pid!)?.[1] ?? 0;
      const [w] =
        await database.sql`select count(*)::int as payments, count(distinct xmin::text)::int as statements
                                       from payments where created_at >= ${start!.t}`;
      const n = w!.payments;
      console.log(
        [
          `round ${round}`,
          `groups ${variant.padEnd(3)}`,
          `${r.rate.toFixed(0)} req/s`,
          `p99 ${r.p99} ms`,
          `API ${us(api1 - api0, n)}`,
          `PostgreSQL ${us(pg1 - pg0, n)}`,
          `autocannon ${us((self1.user + self1.system) / 1e6, n)}`,
          `statements/payment ${(w!.statements / n).toFixed(3)}`,
          `failures ${r.failures}`,
          `load ${loadAverage()}`,
        ].join('  '),
      );
    }
    const pg0 = postgresCpu(postmaster);
    const { tps } = await pgbench(pg.url, {
      script,
      clients: CONNECTIONS,
      threads: 2,
      seconds,
      defines: post.defines,
    });
    // pgbench's backends exit with it; once the postmaster has reaped them their CPU is in its
    // children's times, while one reaped between the two reads of postgresCpu would be missed.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pg1 = postgresCpu(postmaster);
    console.log(
      `round ${round}  pgbench     ${tps.toFixed(0)} tx/s  PostgreSQL ${us(pg1 - pg0, tps * seconds)}  load ${loadAverage()}`,
    );
  }
  await database.close();
} finally {
  for (const api of apis.values()) {
    api.child.kill('SIGTERM');
    await api.exited;
  }
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
