/**
 * A local webhook receiver for `npm start` and tests: records every delivery, verifies its
 * `Payday-Signature` with the published helper (when it can find the endpoint's secrets) and
 * answers 200 — or whatever `respond` decides, to exercise retries. `GET /` lists what arrived.
 * It dedupes by event id the way merchants should: `duplicates` counts redeliveries.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, WebhookSignatureError } from '../webhooks/signature.js';

export interface ReceivedWebhook {
  path: string;
  eventId: string | undefined;
  eventType: string | undefined;
  body: string;
  signature: string | undefined;
  /** true/false when secrets were known; undefined when no secret could be found. */
  verified: boolean | undefined;
  verifyError?: string;
  status: number;
}

export interface SinkOptions {
  port?: number;
  host?: string;
  /** The secrets the endpoint behind this path accepts (e.g. looked up by URL). */
  secrets?: (req: IncomingMessage) => Promise<string[]> | string[];
  /** Status and optional delay for this request; default 200 at once. */
  respond?: (
    req: IncomingMessage,
    received: ReceivedWebhook,
  ) => { status: number; delayMs?: number; headers?: Record<string, string> };
  onReceive?: (received: ReceivedWebhook) => void;
}

export interface WebhookSink {
  url: string;
  received: ReceivedWebhook[];
  /** Deliveries of an event id already seen (at-least-once means these happen). */
  readonly duplicates: number;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

export async function startWebhookSink(options: SinkOptions = {}): Promise<WebhookSink> {
  const received: ReceivedWebhook[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ received, duplicates }, null, 2));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    let event: { id?: string; type?: string } = {};
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      // recorded as is; a real receiver would answer 400
    }
    const signature = req.headers['payday-signature'] as string | undefined;
    const entry: ReceivedWebhook = {
      path: req.url ?? '/',
      eventId: event.id,
      eventType: event.type,
      body,
      signature,
      verified: undefined,
      status: 200,
    };
    const secrets = options.secrets ? await options.secrets(req) : [];
    if (secrets.length) {
      try {
        verifySignature({ payload: body, header: signature, secrets });
        entry.verified = true;
      } catch (err) {
        entry.verified = false;
        entry.verifyError = err instanceof WebhookSignatureError ? err.reason : String(err);
      }
    }
    const answer = options.respond?.(req, entry) ?? { status: entry.verified === false ? 400 : 200 };
    entry.status = answer.status;
    if (entry.eventId && answer.status < 300) {
      if (seen.has(entry.eventId)) duplicates++;
      seen.add(entry.eventId);
    }
    received.push(entry);
    options.onReceive?.(entry);
    const reply = () => {
      if (!res.destroyed) res.writeHead(answer.status, answer.headers).end();
    };
    if (answer.delayMs) setTimeout(reply, answer.delayMs).unref();
    else reply();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    get duplicates() {
      return duplicates;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
