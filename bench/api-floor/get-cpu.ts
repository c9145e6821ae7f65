/**
 * `GET /v1/payments/:id` side by side: one or more API bundles (say, two commits' builds) and the
 * bare Hono + postgres.js handler of the api suite, against one throwaway PostgreSQL with the
 * suite's settings, pinned as the suite pins them (servers on core 1, autocannon on core 0), in
 * alternating rounds (bench/README.md, "API: where the time goes"). Per run it prints requests per
 * second and the CPU time per request (`utime + stime` from /proc/PID/stat) of the server
 * process, of PostgreSQL (the postmaster and its backends) and of autocannon (this process), and
 * the transactions PostgreSQL committed and the api_keys lookups per request:
 * steadier than requests per second on a shared machine, though load still inflates it.
 *
 *   npx tsx bench/api-floor/get-cpu.ts [--api name=path/to/main.mjs ...] [--rounds 6] [--seconds 8]
 *                                      [--rows 100000] [--no-pin] [--profile DIR]
 *                                      [--node-options name="--a-v8-flag ..."]
 *
 * Without `--api`, this checkout's API is bundled as the suite bundles it (`ours`). A bundle built
 * from another checkout (`npx tsx -e "import('./bench/suites/api.ts').then((m) => m.buildApiBundle())"`
 * there) resolves its third-party dependencies from that checkout's node_modules. `--rows` payments
 * are written first, as the suite's POST phases leave them before its GET phase. `--profile DIR`
 * runs every server under `node --cpu-prof` and writes the profiles to DIR when it exits.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createMerchant } from '@payday/api';
import { type SpawnedApi, spawnApi } from '@payday/api/testing';
import { createDatabase, migrateDatabase } from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { hasTaskset, pinTree } from '../pinning.js';
import {
  BENCH_PG_SETTINGS,
  bareGetServerSource,
  buildApiBundle,
  CONNECTIONS,
  load,
  POOL,
  spawnBare,
} from '../suites/api.js';
import { postgresCpu, stat } from './proc-cpu.js';

/**
 * Seconds the server's main thread spent runnable but waiting for a core (the second field of
 * /proc/PID/schedstat, in nanoseconds): what other processes on its core took from it.
 */
function runQueueWait(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return 0;
  }
}

/** Runs bare-server.mjs, writing a CPU profile to `profile` (when given) on SIGTERM. */
function bareWrapper(profile: string | undefined): string {
  if (!profile) return "await import('./bare-server.mjs');\n";
  return `import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
process.on('SIGTERM', async () => {
  const { profile } = await session.post('Profiler.stop');
  mkdirSync(dirname(${JSON.stringify(profile)}), { recursive: true });
  writeFileSync(${JSON.stringify(profile)}, JSON.stringify(profile));
  process.exit(0);
});
await import('./bare-server.mjs');
`;
}

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', multiple: true },
    'node-options': { type: 'string', multiple: true },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '8' },
    rows: { type: 'string', default: '100000' },
    'no-pin': { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const pin = !args['no-pin'] && hasTaskset();
const us = (cpuSeconds: number, requests: number) => `${Math.round((cpuSeconds / requests) * 1e6)} µs`;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const dir = await mkdtemp(join(tmpdir(), 'api-get-'));
const pg = await startEmbeddedPostgres({
  dataDir: join(dir, 'pg'),
  port: await freePort(),
  persistent: false,
  settings: BENCH_PG_SETTINGS,
});
const servers = new Map<string, { url: string; pid: number; stop: () => Promise<unknown> }>();
try {
  await migrateDatabase(pg.url);
  const database = createDatabase(pg.url, { max: 2 });
  const merchant = await createMerchant(database, { name: 'GET' });
  const postmaster = Number(readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  await database.sql`insert into payments (id, merchant_id, amount, currency, payment_method)
    select 'pay_fill' || g, ${merchant.merchantId}, 2500, 'usd', 'pm_card_visa'
      from generate_series(1, ${Number(args.rows)}::int) g`;
  await database.sql`insert into payments (id, merchant_id, amount, currency, payment_method)
    values ('pay_benchprobe', ${merchant.merchantId}, 4200, 'usd', 'pm_card_visa')`;
  await database.sql`vacuum analyze payments`;
  const bundles = (args.api ?? []).map((a) => {
    const at = a.indexOf('=');
    return [a.slice(0, at), resolve(a.slice(at + 1))] as const;
  });
  if (bundles.length === 0) bundles.push(['ours', await buildApiBundle()]);
  // `--node-options name=OPTIONS`: extra node options for that API only (a V8 flag to try).
  const extra = new Map(
    (args['node-options'] ?? []).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
  );
  for (const [name, entry] of bundles) {
    const nodeArgs = ['--enable-source-maps', ...(extra.get(name)?.split(' ') ?? [])];
    if (args.profile)
      nodeArgs.push(
        '--cpu-prof',
        `--cpu-prof-dir=${resolve(args.profile)}`,
        `--cpu-prof-name=${name}.cpuprofile`,
      );
    const api: SpawnedApi = await spawnApi(
      {
        DATABASE_URL: pg.url,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_PER_SECOND: '0',
        DATABASE_POOL_MAX: String(POOL),
      },
      { entry, nodeArgs },
    );
    servers.set(name, {
      url: `${api.url}/v1/payments/pay_benchprobe`,
      pid: api.child.pid!,
      stop: async () => {
        api.child.kill('SIGTERM');
        await api.exited;
      },
    });
  }
  const bareFile = join(dir, 'bare-server.mjs');
  await writeFile(bareFile, bareGetServerSource());
  // The bare server's own file stays the suite's; a wrapper profiles it (NODE_OPTIONS may not
  // carry --cpu-prof) through the inspector, as --cpu-prof would.
  const bareMain = join(dir, 'bare-main.mjs');
  await writeFile(
    bareMain,
    bareWrapper(args.profile ? join(resolve(args.profile), 'bare.cpuprofile') : undefined),
  );
  const barePort = await freePort();
  const bare = await spawnBare(bareMain, {
    DATABASE_URL: pg.url,
    PORT: String(barePort),
    MERCHANT_ID: merchant.merchantId,
  });
  servers.set('bare', {
    url: `http://127.0.0.1:${barePort}/v1/payments/pay_benchprobe`,
    pid: bare.pid!,
    stop: async () => {
      const exited = new Promise((r) => bare.once('exit', r));
      bare.kill('SIGTERM');
      await exited;
    },
  });
  if (pin) {
    pinTree(postmaster, '1');
    for (const s of servers.values()) pinTree(s.pid, '1');
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  }
  const headers = { authorization: `Bearer ${merchant.apiKey.secret}` };
  // Transactions committed (each statement outside a block is one; the two reads here are too) and
  // scans of api_keys (credential lookups: the cache missed).
  const counts = () => database.sql<{ n: number; blocks: number; keys: number }[]>`
    select (select xact_commit from pg_stat_database where datname = current_database())::float8 as n,
           (select blks_hit + blks_read from pg_stat_database where datname = current_database())::float8 as blocks,
           (select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) from pg_stat_user_tables where relname = 'api_keys')::float8 as keys`;
  // Requests each server answered, warm-up included: divides a CPU profile's busy time.
  const served = new Map<string, number>();
  for (const [name, s] of servers)
    served.set(name, (await load({ url: s.url, seconds: 2, headers })).rate * 2);
  console.log(
    `${CONNECTIONS} connections, ${seconds} s per run, pool ${POOL}, ${Number(args.rows) + 1} payments, ${pin ? 'servers on core 1, autocannon on core 0' : 'not pinned'}`,
  );
  for (let round = 1; round <= Number(args.rounds); round++) {
    // Alternate the order too, so no variant always runs right after the same neighbour.
    const order = [...servers];
    if (round % 2 === 0) order.reverse();
    for (const [name, s] of order) {
      const [tx0] = await counts();
      const server0 = stat(s.pid)?.[1] ?? 0;
      const queued0 = runQueueWait(s.pid);
      const pg0 = postgresCpu(postmaster);
      const self0 = process.cpuUsage();
      const r = await load({ url: s.url, seconds, headers });
      const self1 = process.cpuUsage(self0);
      const pg1 = postgresCpu(postmaster);
      const server1 = stat(s.pid)?.[1] ?? 0;
      const queued1 = runQueueWait(s.pid);
      const n = r.rate * seconds;
      served.set(name, (served.get(name) ?? 0) + n);
      // The statistics collector publishes a backend's counts when it goes idle, within a second.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [tx1] = await counts();
      console.log(
        [
          `round ${round}`,
          name.padEnd(8),
          `${r.rate.toFixed(0).padStart(5)} req/s`,
          `p99 ${r.p99} ms`,
          `server ${us(server1 - server0, n)} (waited for a core ${us(queued1 - queued0, n)})`,
          `PostgreSQL ${us(pg1 - pg0, n)}`,
          `autocannon ${us((self1.user + self1.system) / 1e6, n)}`,
          `statements/request ${((tx1!.n - tx0!.n - 2) / n).toFixed(4)}`,
          `buffers/request ${((tx1!.blocks - tx0!.blocks) / n).toFixed(2)}`,
          `key lookups/request ${((tx1!.keys - tx0!.keys) / n).toFixed(4)}`,
          `failures ${r.failures}`,
          `load ${loadAverage()}`,
        ].join('  '),
      );
    }
  }
  if (args.profile)
    console.log(
      `requests answered (for the profiles): ${[...served].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
  await database.close();
} finally {
  for (const s of servers.values()) await s.stop();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
