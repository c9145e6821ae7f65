/**
 * `npm run simulate -- [options]`: bounded, realistic traffic against a running API so the
 * dashboard and metrics have life. See apps/worker/README.md ("Traffic simulator").
 *
 *   --api-url URL       default http://127.0.0.1:$API_PORT (3000)
 *   --api-key KEY       a secret key (sk_test_…); default $PAYDAY_API_KEY (npm run merchant:create prints one)
 *   --count N           payments to create (default 50, at most 10000)
 *   --duration SECONDS  stop after this long whatever the count (default 60, at most 3600)
 *   --rate N            payments per second (default 5)
 *   --webhook-url URL   endpoint to register (default http://127.0.0.1:3003/hooks, the local sink)
 *   --sink              also run the local webhook sink on that URL's port, verifying signatures
 *   --no-webhooks       do not register a webhook endpoint
 */
import { parseArgs } from 'node:util';
import { createPaydayClient } from '@payday/api/client';
import { simulateTraffic } from '../simulator/traffic.js';
import { startWebhookSink, type WebhookSink } from '../sink/webhook-sink.js';

function fail(message: string): never {
  process.stderr.write(`simulate: ${message}\n`);
  process.exit(2);
}

function bounded(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    fail(`--${name} must be a number from ${min} to ${max}, got ${raw}`);
  return n;
}

const { values } = parseArgs({
  options: {
    'api-url': { type: 'string', default: `http://127.0.0.1:${process.env.API_PORT ?? '3000'}` },
    'api-key': { type: 'string', default: process.env.PAYDAY_API_KEY },
    count: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '5' },
    'webhook-url': { type: 'string', default: 'http://127.0.0.1:3003/hooks' },
    sink: { type: 'boolean', default: false },
    'no-webhooks': { type: 'boolean', default: false },
  },
});

const apiKey = values['api-key'];
if (!apiKey)
  fail('no API key: pass --api-key sk_test_… or set PAYDAY_API_KEY (npm run merchant:create prints one)');
const count = bounded('count', values.count, 1, 10_000);
const durationMs = bounded('duration', values.duration, 1, 3600) * 1000;
const rate = bounded('rate', values.rate, 0.1, 1000);
const webhookUrl = values['no-webhooks'] ? undefined : values['webhook-url'];

let sink: WebhookSink | undefined;
let secret: string | undefined;
if (values.sink && webhookUrl) {
  const url = new URL(webhookUrl);
  sink = await startWebhookSink({
    port: Number(url.port || 80),
    host: url.hostname,
    secrets: () => (secret ? [secret] : []),
    onReceive: (r) =>
      process.stderr.write(
        `  sink: ${r.eventType} ${r.eventId} signature ${r.verified === undefined ? 'not checked' : r.verified ? 'valid' : `INVALID (${r.verifyError})`}\n`,
      ),
  });
}

const client = createPaydayClient({ baseUrl: values['api-url'], token: apiKey });
try {
  const summary = await simulateTraffic({
    client,
    count,
    durationMs,
    ratePerSecond: rate,
    ...(webhookUrl ? { webhookUrl } : {}),
    onWebhookEndpoint: (e) => {
      secret = e.secret;
    },
    progress: (line) => process.stderr.write(`simulate: ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  if (summary.errors.length) process.exitCode = 1;
} catch (err) {
  fail(
    err instanceof Error && 'cause' in err && err.cause
      ? `${err.message}: ${String(err.cause)}`
      : String(err),
  );
} finally {
  if (sink) {
    // Give the last webhooks a moment to arrive before closing the receiver.
    await new Promise((r) => setTimeout(r, 2000));
    process.stderr.write(
      `simulate: sink received ${sink.received.length} deliveries (${sink.duplicates} duplicates)\n`,
    );
    await sink.close();
  }
}
