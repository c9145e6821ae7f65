/**
 * The services of `npm start`, in the process scripts/start.ts launches in its own process group
 * (see there why). Starts an embedded PostgreSQL (data in .data/postgres, kept across restarts;
 * DATABASE_URL uses an external server instead), applies migrations, seeds a demo merchant with a
 * month of history, then starts every service in SERVICES below and prints where everything is.
 *
 * Ports: API_PORT (3000), FRONTEND_PORT (3001), WORKER_PORT (3002), WEBHOOK_SINK_PORT (3003),
 * PAYDAY_PG_PORT (5433). Every server listens on 127.0.0.1 unless API_HOST, FRONTEND_HOST,
 * WORKER_HOST or WEBHOOK_SINK_HOST says otherwise
 * (docs/design/architecture.md §Local bind addresses). PAYDAY_DATA_DIR moves .data/ (the
 * embedded cluster and the demo credentials; the doc tests use it). `--simulate` also runs the
 * traffic simulator (bounded).
 *
 * SIGINT or SIGTERM stops every service in reverse order, the database last, and exits 0 with
 * "Payday stopped.", also while the simulator is running: its requests then fail because the
 * API is closing, which is the stop working, not an error.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { loadEnv, start as startApi } from '@payday/api';
import { createPaydayClient } from '@payday/api/client';
import { ensureDemo } from '@payday/api/seed';
import { createDatabase, migrateDatabase } from '@payday/db';
import { localDataDir, ownShutdownSignals, REPO_ROOT, resolveDatabase } from '@payday/db/local';
import { loadConfig as loadFrontendConfig, start as startFrontend } from '@payday/frontend';
import {
  loadConfig as loadWorkerConfig,
  simulateTraffic,
  startWebhookSink,
  start as startWorker,
} from '@payday/worker';

/** What a started service hands back: where it listens and how to stop it. */
interface RunningService {
  url: string;
  close(): Promise<void>;
}

interface StartContext {
  databaseUrl: string;
  /** URLs of the services started before this one, by name (the frontend needs the API's). */
  urls: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

interface Service {
  name: string;
  /** The variable that moves its port (README.md, "Quick start"), named when the port is busy. */
  portVariable: string;
  /** Extra lines for the summary (paths worth knowing under the service's URL). */
  describe?(url: string): string[];
  start(ctx: StartContext): Promise<RunningService>;
}

/**
 * The services, in start order (stopped in reverse). To add one, append an entry; the
 * worker and the frontend add themselves here.
 */
const SERVICES: Service[] = [
  {
    name: 'api',
    portVariable: 'API_PORT',
    describe: (url) => [`OpenAPI document  ${url}/openapi.json`, `metrics           ${url}/metrics`],
    start: ({ databaseUrl, env }) =>
      startApi({
        env: loadEnv({
          LOG_LEVEL: 'warn',
          // Local runs register the webhook sink on 127.0.0.1, which registration refuses otherwise.
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
          ...env,
          DATABASE_URL: databaseUrl,
          API_PORT: env.API_PORT ?? '3000',
        }),
      }),
  },
  {
    name: 'frontend',
    portVariable: 'FRONTEND_PORT',
    describe: (url) => [`sign in at        ${url}/login with the dashboard login below`],
    start: ({ urls, env }) =>
      startFrontend(
        loadFrontendConfig({
          LOG_LEVEL: 'warn',
          // Plain HTTP on this machine: a Secure cookie would be dropped by some browsers (Safari).
          COOKIE_SECURE: 'false',
          // A new secret per run: restarting signs everyone out, which is fine locally.
          SESSION_SECRET: randomBytes(32).toString('base64url'),
          ...env,
          API_URL: urls.api,
          FRONTEND_PORT: env.FRONTEND_PORT ?? '3001',
        }),
      ),
  },
  {
    name: 'webhook sink',
    portVariable: 'WEBHOOK_SINK_PORT',
    describe: (url) => [
      `receives webhooks ${url}/hooks (register it as an endpoint; GET ${url} lists deliveries)`,
    ],
    async start({ databaseUrl, env }) {
      // Verifies each delivery with the secrets of the endpoints registered for its URL.
      const database = createDatabase(databaseUrl, { max: 1, applicationName: 'payday webhook sink' });
      const port = Number(env.WEBHOOK_SINK_PORT ?? '3003');
      const host = env.WEBHOOK_SINK_HOST ?? '127.0.0.1';
      const sink = await startWebhookSink({
        port,
        host,
        secrets: async (req) => {
          const rows = await database.sql`
            select secret, previous_secret from webhook_endpoints
             where url = ${`http://127.0.0.1:${port}${req.url ?? '/'}`}`;
          return rows.flatMap((r) => [
            r.secret as string,
            ...(r.previous_secret ? [r.previous_secret as string] : []),
          ]);
        },
        onReceive: (r) =>
          console.log(`· webhook ${r.eventType} ${r.eventId}: signature ${r.verified ? 'valid' : 'INVALID'}`),
      });
      return {
        url: sink.url,
        async close() {
          await sink.close();
          await database.close();
        },
      };
    },
  },
  {
    name: 'worker',
    portVariable: 'WORKER_PORT',
    describe: (url) => [`health, metrics   ${url}/readyz, ${url}/metrics`],
    async start({ databaseUrl, env }) {
      const worker = await startWorker(
        loadWorkerConfig({
          LOG_LEVEL: 'warn',
          // Local runs deliver to the sink on 127.0.0.1, which the SSRF guard refuses otherwise.
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
          WORKER_POLL_INTERVAL_MS: '200',
          WORKER_DRAIN_TIMEOUT_MS: '10000',
          ...env,
          DATABASE_URL: databaseUrl,
          WORKER_PORT: env.WORKER_PORT ?? '3002',
        }),
      );
      return { url: worker.url, close: async () => void (await worker.close()) };
    },
  },
];

/** A path as the banner shows it: relative inside the repository, absolute elsewhere. */
function shownPath(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** What is running, in start order; stopped in reverse. */
const running: { name: string; close(): Promise<void> }[] = [];
/** Set by SIGINT/SIGTERM: from then on, failures are the stop working, not errors. */
let stopRequested = false;
let stopping: Promise<void> | undefined;
const log = (line: string) => console.log(`· ${line}`);

/** Stops everything that started, newest first, then exits 0 ("Payday stopped.") or 1. */
function stopAll(): Promise<void> {
  stopping ??= (async () => {
    let failed = false;
    for (const item of running.reverse()) {
      log(`stopping ${item.name}`);
      await item.close().catch((error: unknown) => {
        failed = true;
        console.error(`${item.name}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    console.log(failed ? 'Payday stopped, with the errors above.' : 'Payday stopped.');
    process.exit(failed ? 1 : 0);
  })();
  return stopping;
}

/** A signal during start-up is honoured at the next step; once running, at once. */
let started = false;
function onSignal(): void {
  if (stopRequested) return;
  stopRequested = true;
  console.log('');
  if (started) void stopAll();
}

/** A listen error on a taken port, reworded to name the variable that moves it. */
function busyPort(error: unknown, service: Service): Error | undefined {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e?.code !== 'EADDRINUSE') return undefined;
  return new Error(
    `${service.name} cannot listen on ${e.address}:${e.port}: the port is in use (another npm start?); set ${service.portVariable} to a free port`,
  );
}

async function main(): Promise<void> {
  // This process stops the embedded PostgreSQL itself, last, after the services drained.
  ownShutdownSignals();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const dataDir = localDataDir();
  await mkdir(dataDir, { recursive: true });
  const target = await resolveDatabase(log);
  // An external DATABASE_URL is not ours to stop.
  if (target.embedded) running.push({ name: 'embedded PostgreSQL', close: () => target.stop() });
  if (stopRequested) return stopAll();
  await migrateDatabase(target.url, { log });
  const database = createDatabase(target.url, { max: 2, applicationName: 'payday npm start' });
  const demo = await ensureDemo(database, join(dataDir, 'demo-credentials.json'), log).finally(() =>
    database.close(),
  );

  const urls: Record<string, string> = {};
  const instances: { service: Service; instance: RunningService }[] = [];
  for (const service of SERVICES) {
    if (stopRequested) return stopAll();
    log(`starting ${service.name}`);
    const instance = await service
      .start({ databaseUrl: target.url, urls, env: process.env })
      .catch((error: unknown) => {
        throw busyPort(error, service) ?? error;
      });
    running.push({ name: service.name, close: () => instance.close() });
    instances.push({ service, instance });
    urls[service.name] = instance.url;
  }
  if (stopRequested) return stopAll();
  started = true;

  const db = new URL(target.url);
  db.password = '***';
  console.log(
    [
      '',
      'Payday is running.',
      '',
      ...instances.flatMap(({ service, instance }) => [
        `${service.name.padEnd(17)} ${instance.url}`,
        ...(service.describe?.(instance.url) ?? []),
      ]),
      `${'database'.padEnd(17)} ${db.toString()}${target.embedded ? `  (embedded, data in ${shownPath(join(dataDir, 'postgres'))})` : ''}`,
      '',
      `Demo merchant     ${demo.merchant_name} (${demo.merchant_id})`,
      `API key           ${demo.api_key}`,
      `Dashboard login   ${demo.email} / ${demo.password}`,
      '',
      'Try it:',
      `  curl -s ${urls.api}/v1/payments -H "Authorization: Bearer ${demo.api_key}" \\`,
      `    -H 'Content-Type: application/json' -d '{"amount": 2500, "currency": "usd"}'`,
      '',
      'Ctrl-C stops everything (the data stays).',
    ].join('\n'),
  );

  if (process.argv.includes('--simulate')) {
    log('simulating traffic (200 payments over at most 2 minutes; webhooks to the sink)');
    const summary = await simulateTraffic({
      client: createPaydayClient({ baseUrl: urls.api!, token: demo.api_key }),
      count: 200,
      durationMs: 120_000,
      ratePerSecond: 2,
      webhookUrl: `${urls['webhook sink']}/hooks`,
      progress: (line) => log(`simulate: ${line}`),
    });
    if (stopRequested) return;
    log(
      `simulation finished: ${JSON.stringify({ ...summary, webhookEndpoint: summary.webhookEndpoint?.id })}`,
    );
  }
}

main().catch(async (error: unknown) => {
  // After Ctrl-C the simulator's requests fail because the API is closing: that is the stop.
  if (stopRequested) return void stopAll();
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  for (const item of running.reverse()) await item.close().catch(() => {});
  process.exit(1);
});
