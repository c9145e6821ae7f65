/**
 * Payments API throughput and latency, side by side in one run on one embedded
 * PostgreSQL with explicit durability settings:
 *  - POST /v1/payments at 32 connections (autocannon) vs `pgbench` running the statement the
 *    endpoint runs for a payment on its own (`CREATE_PAYMENT`: the payment, its event, the
 *    webhook fan-out and the processing job) with 32 clients. Goal ≥ 0.5×. Under load the API
 *    writes the payments of requests that arrive together with one statement
 *    (apps/api/src/payments/creation-batcher.ts); the note counts how many statements wrote
 *    them. The baseline stays one payment per transaction: each request is still one payment,
 *    answered once it is committed, and grouping independent requests is the API's own work,
 *    which a client of pgbench's statement would have to do itself.
 *  - The same statement behind a bare Hono + postgres.js server (bench/api-floor/server.ts) vs
 *    pgbench: no goal; the most the POST ratio could reach on this stack with one statement per
 *    payment.
 *  - GET /v1/payments/:id vs a bare Hono + postgres.js handler doing the same SELECT. Goal ≥ 0.7×.
 *  - p99 of both endpoints ≤ 50 ms at 32 connections.
 * The API runs as its own process, so it never shares an event loop with the load generator; the
 * bare handler likewise. Like for like: both run under plain node, and the API runs the way the
 * image runs it (apps/api/Dockerfile): the entrypoint bundled by esbuild with every third-party
 * dependency external, `node --enable-source-maps apps/api/dist/main.mjs`. (Under tsx the ESM
 * loader hooks and on-the-fly transpiling cost a fifth of the throughput, which production
 * never pays.)
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMerchant } from '@payday/api';
import { spawnApi } from '@payday/api/testing';
import {
  CREATE_PAYMENT,
  type CreatePaymentValues,
  createDatabase,
  createPaymentValues,
  migrateDatabase,
} from '@payday/db';
import { startEmbeddedPostgres } from '@payday/db/embedded';
import { freePort } from '@payday/db/testing';
import { build } from 'esbuild';
import { absolute, type BenchSuite, compare, interleave, type Measurement, stats } from '../harness.js';
import { pgbench } from '../pgbench.js';

/** Durable commits (fsync on, full pages) but asynchronous commit acknowledgement: the same for both sides. */
export const BENCH_PG_SETTINGS = {
  fsync: 'on',
  full_page_writes: 'on',
  synchronous_commit: 'off',
  max_connections: 200,
  shared_buffers: '128MB',
} as const;

export const CONNECTIONS = 32;
const POST_BODY = '{"amount":2500,"currency":"usd"}';
export const POOL = 32;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  stop(): void;
}
type Autocannon = (options: Record<string, unknown>) => AutocannonInstance;

/** autocannon ships no types; this is the slice of its API the suites use. */
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  failures: number;
}

export async function load(options: {
  url: string;
  seconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<LoadResult> {
  const r = await autocannon({ connections: CONNECTIONS, duration: options.seconds, ...options });
  return {
    rate: r['2xx'] / options.seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

/** pgbench's per-transaction log: `client txn latency_us …`; returns p50/p99 in ms. */
async function pgbenchLatencies(dir: string, prefix: string): Promise<{ p50: number; p99: number }> {
  const files = (await readdir(dir)).filter((f) => f.startsWith(prefix));
  const micros: number[] = [];
  for (const f of files) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (Number.isFinite(us) && line) micros.push(us);
    }
  }
  micros.sort((a, b) => a - b);
  const at = (q: number) => (micros[Math.min(micros.length - 1, Math.floor(q * micros.length))] ?? 0) / 1000;
  return { p50: at(0.5), p99: at(0.99) };
}

/** pgbench over the same statement at the same concurrency, with its latency log read back. */
async function pgbenchPost(
  url: string,
  script: string,
  seconds: number,
  logDir: string,
  round: number,
  defines: string[],
) {
  const prefix = `pgbench-${round}-${Date.now()}`;
  const { tps } = await pgbench(url, {
    script,
    clients: CONNECTIONS,
    threads: 2,
    seconds,
    defines,
    logPrefix: join(logDir, prefix),
  });
  return { rate: tps, ...(await pgbenchLatencies(logDir, prefix)) };
}

/**
 * The statement one POST /v1/payments without an Idempotency-Key runs, as a pgbench script:
 * `CREATE_PAYMENT` from @payday/db itself (the payment, its `payment.created` event, the webhook
 * fan-out and the `payment.process` job as data-modifying CTEs of ONE statement), in autocommit
 * as the API runs it. The API-key lookup is not per request (credentials are cached for 5 s),
 * so it is not here either. Each `$n` becomes a pgbench variable, so pgbench binds it as a
 * parameter as the API does: the values of a sample payment (`-D`), except the ids, the amount
 * and the time, which differ per transaction (`\set`) and are made in SQL here and in
 * JavaScript by the API; the rows written are the same.
 */
export function postScript(merchantId: string): { script: string; defines: string[] } {
  const { values } = createPaymentValues({ merchantId, amount: 2500, currency: 'usd' });
  const perTransaction: Partial<Record<keyof CreatePaymentValues, string>> = {
    id: "('pay_' || :pid)",
    eventId: "('evt_' || :pid)",
    amount: ':amount',
    createdAt: 'now()',
  };
  const defines: string[] = [];
  const text = CREATE_PAYMENT.text.replace(/\$(\d+)/g, (_, n: string) => {
    const parameter = CREATE_PAYMENT.parameters[Number(n) - 1]!;
    const name =
      'placeholder' in parameter ? (parameter.placeholder as keyof CreatePaymentValues) : undefined;
    if (name && perTransaction[name]) return perTransaction[name];
    const value = name ? values[name] : (parameter as { value: unknown }).value;
    if (value === null) return 'NULL';
    defines.push('-D', `p${n}=${String(value)}`);
    return `:p${n}`;
  });
  return {
    script: `\\set amount random(100, 99999)
\\set pid random(1, 9000000000000000000)
${text.trim().replace(/\s+/g, ' ')};
`,
    defines,
  };
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles apps/api/src/main.ts as the Dockerfile's build stage does: our workspaces inlined,
 * every third-party dependency of any workspace external (resolved from node_modules at run
 * time). Written to apps/api/dist/ (git-ignored), where the image keeps it too.
 */
export async function buildApiBundle(): Promise<string> {
  return bundle('apps/api/src/main.ts', 'apps/api/dist/main.mjs');
}

/** `entry` bundled the same way to `outfile` (both relative to the repository root). */
async function bundle(entry: string, outfile: string): Promise<string> {
  const root = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] };
  const manifests = await Promise.all(
    root.workspaces.map(
      async (w) =>
        JSON.parse(await readFile(join(REPO, w, 'package.json'), 'utf8')) as {
          name: string;
          dependencies?: Record<string, string>;
        },
    ),
  );
  const own = new Set(manifests.map((m) => m.name));
  const external = [
    ...new Set(manifests.flatMap((m) => Object.keys(m.dependencies ?? {})).filter((d) => !own.has(d))),
  ].sort();
  await build({
    entryPoints: [join(REPO, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    outfile: join(REPO, outfile),
    external,
    logLevel: 'warning',
  });
  return join(REPO, outfile);
}

/** A bare Hono + postgres.js server doing only the SELECT, as a plain ESM file run by node. */
export function bareGetServerSource(): string {
  const r = (s: string) => JSON.stringify(import.meta.resolve(s));
  return `import { Hono } from ${r('hono')};
import { serve } from ${r('@hono/node-server')};
import postgres from ${r('postgres')};
const sql = postgres(process.env.DATABASE_URL, { max: ${POOL} });
const app = new Hono();
app.get('/v1/payments/:id', async (c) => {
  const [row] = await sql\`select * from payments where id = \${c.req.param('id')} and merchant_id = \${process.env.MERCHANT_ID}\`;
  return row ? c.json(row) : c.json({ error: 'not found' }, 404);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => console.log('listening'));
`;
}

export async function spawnBare(file: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  return child;
}

const suite: BenchSuite = {
  name: 'api',
  description:
    'POST /v1/payments vs pgbench (same SQL), GET /v1/payments/:id vs bare Hono+postgres.js, 32 connections',
  async run(ctx) {
    const seconds = ctx.quick ? 2 : 8;
    ctx.progress('starting PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dataDir: join(ctx.tmpDir, 'pg'),
      port: await freePort(),
      persistent: false,
      settings: BENCH_PG_SETTINGS,
    });
    const cleanup: (() => Promise<unknown>)[] = [() => pg.stop()];
    try {
      await migrateDatabase(pg.url);
      const database = createDatabase(pg.url, { max: 2 });
      cleanup.unshift(() => database.close());
      const merchant = await createMerchant(database, { name: 'Bench' });
      const key = merchant.apiKey.secret;
      const [probe] =
        await database.sql`insert into payments (id, merchant_id, amount, currency, payment_method)
        values ('pay_benchprobe', ${merchant.merchantId}, 4200, 'usd', 'pm_card_visa') returning id`;

      ctx.progress('bundling the API as the image does (esbuild)');
      const entry = await buildApiBundle();
      ctx.progress('starting the API (its own process, plain node on the bundle)');
      const api = await spawnApi(
        {
          DATABASE_URL: pg.url,
          LOG_LEVEL: 'silent',
          RATE_LIMIT_PER_SECOND: '0',
          DATABASE_POOL_MAX: String(POOL),
        },
        { entry, nodeArgs: ['--enable-source-maps'] },
      );
      cleanup.unshift(async () => {
        api.child.kill('SIGTERM');
        await api.exited;
      });
      const barePort = await freePort();
      const bareFile = join(ctx.tmpDir, 'bare-server.mjs');
      await writeFile(bareFile, bareGetServerSource());
      const bare = await spawnBare(bareFile, {
        DATABASE_URL: pg.url,
        PORT: String(barePort),
        MERCHANT_ID: merchant.merchantId,
      });
      cleanup.unshift(async () => {
        bare.kill('SIGTERM');
      });
      const barePostPort = await freePort();
      const barePost = await spawnBare(
        await bundle('bench/api-floor/server.ts', 'apps/api/dist/bare-post.mjs'),
        {
          DATABASE_URL: pg.url,
          PORT: String(barePostPort),
          POOL: String(POOL),
          MERCHANT_ID: merchant.merchantId,
        },
      );
      cleanup.unshift(async () => {
        barePost.kill('SIGTERM');
      });
      const barePostUrl = `http://127.0.0.1:${barePostPort}/v1/payments`;
      const script = join(ctx.tmpDir, 'post-payment.sql');
      const postSql = postScript(merchant.merchantId);
      await writeFile(script, postSql.script);
      const json = { 'content-type': 'application/json' };
      const auth = { authorization: `Bearer ${key}`, ...json };

      // Warm both sides (JIT, plan caches, pool connections) before measuring.
      ctx.progress('warming up');
      await load({
        url: `${api.url}/v1/payments`,
        seconds: 1,
        method: 'POST',
        headers: auth,
        body: '{"amount":1000,"currency":"usd"}',
      });
      await load({ url: `http://127.0.0.1:${barePort}/v1/payments/${probe!.id}`, seconds: 1 });
      await load({ url: barePostUrl, seconds: 1, method: 'POST', headers: json, body: POST_BODY });

      const postLat: LoadResult[] = [];
      const pgbenchLat: { p50: number; p99: number }[] = [];
      let failures = 0;
      let round = 0;
      const [postStart] = await database.sql`select now() as t`;
      ctx.progress(`POST /v1/payments vs pgbench: ${ctx.rounds} interleaved rounds of ${seconds}s`);
      const post = await interleave(
        ctx.rounds,
        async () => {
          const r = await load({
            url: `${api.url}/v1/payments`,
            seconds,
            method: 'POST',
            headers: auth,
            body: '{"amount":2500,"currency":"usd"}',
          });
          postLat.push(r);
          failures += r.failures;
          return r.rate;
        },
        async () => {
          const r = await pgbenchPost(pg.url, script, seconds, ctx.tmpDir, round++, postSql.defines);
          pgbenchLat.push(r);
          return r.rate;
        },
      );
      // How many statements wrote the API's payments (pgbench's ids are numbers): each statement
      // outside a transaction block is its own transaction, so its rows share one xmin.
      const [grouping] = await database.sql`
        select count(*)::int as payments, count(distinct xmin::text)::int as statements
          from payments where created_at >= ${postStart!.t} and id !~ '^pay_[0-9]+$'`;
      // The ceiling of the ratio above on this stack: the same statement behind a bare server.
      ctx.progress(
        `bare Hono + postgres.js POST (same statement) vs pgbench: ${ctx.rounds} rounds of ${seconds}s`,
      );
      const floor = await interleave(
        ctx.rounds,
        async () => {
          const r = await load({ url: barePostUrl, seconds, method: 'POST', headers: json, body: POST_BODY });
          failures += r.failures;
          return r.rate;
        },
        async () => (await pgbenchPost(pg.url, script, seconds, ctx.tmpDir, round++, postSql.defines)).rate,
      );
      const getLat: LoadResult[] = [];
      const bareLat: LoadResult[] = [];
      ctx.progress(`GET /v1/payments/:id vs bare Hono + postgres.js: ${ctx.rounds} rounds of ${seconds}s`);
      const get = await interleave(
        ctx.rounds,
        async () => {
          const r = await load({ url: `${api.url}/v1/payments/${probe!.id}`, seconds, headers: auth });
          getLat.push(r);
          failures += r.failures;
          return r.rate;
        },
        async () => {
          const r = await load({ url: `http://127.0.0.1:${barePort}/v1/payments/${probe!.id}`, seconds });
          bareLat.push(r);
          return r.rate;
        },
      );
      if (failures > 0) throw new Error(`${failures} failed requests during the API runs`);
      const note = `${CONNECTIONS} connections, pool ${POOL}, ${seconds}s per round; PG ${Object.entries(
        BENCH_PG_SETTINGS,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
      const measurements: Measurement[] = [
        compare(
          'api.post-payments',
          'req/s',
          post,
          'pgbench, same SQL statement',
          { op: '>=', value: 0.5 },
          `${note}; the API's ${grouping!.payments} payments written by ${grouping!.statements} statements (grouped)`,
        ),
        compare(
          'api.bare-post-vs-pgbench',
          'req/s',
          floor,
          'pgbench, same SQL statement',
          undefined,
          'no goal: bare Hono + postgres.js running CREATE_PAYMENT, one statement per request, no auth, validation, idempotency or middleware; the most api.post-payments could reach before it grouped creations',
        ),
        compare('api.get-payment', 'req/s', get, 'bare Hono + postgres.js', { op: '>=', value: 0.7 }),
        absolute(
          'api.post-payments.p50',
          'ms',
          stats(postLat.map((r) => r.p50)),
          undefined,
          `pgbench p50 ${stats(pgbenchLat.map((r) => r.p50)).median.toFixed(1)} ms`,
        ),
        absolute(
          'api.post-payments.p99',
          'ms',
          stats(postLat.map((r) => r.p99)),
          { op: '<=', value: 50 },
          `pgbench p99 ${stats(pgbenchLat.map((r) => r.p99)).median.toFixed(1)} ms`,
        ),
        absolute(
          'api.get-payment.p50',
          'ms',
          stats(getLat.map((r) => r.p50)),
          undefined,
          `bare p50 ${stats(bareLat.map((r) => r.p50)).median.toFixed(1)} ms`,
        ),
        absolute(
          'api.get-payment.p99',
          'ms',
          stats(getLat.map((r) => r.p99)),
          { op: '<=', value: 50 },
          `bare p99 ${stats(bareLat.map((r) => r.p99)).median.toFixed(1)} ms`,
        ),
      ];
      return measurements;
    } finally {
      for (const step of cleanup) await step().catch(() => {});
    }
  },
};

export default suite;
