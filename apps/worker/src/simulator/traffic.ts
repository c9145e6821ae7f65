/**
 * Realistic, bounded traffic for a running Payday API: a webhook endpoint pointing at a receiver
 * (the local sink), payments with a mix of currencies, amounts and test payment methods (most
 * succeed, some decline, some time out once), and refunds of some succeeded payments. It uses
 * the API's typed client, so it exercises exactly what a merchant integration would.
 */
import { randomUUID } from 'node:crypto';
import type { components, PaydayClient } from '@payday/api/client';

type PaymentMethod = NonNullable<components['schemas']['CreatePayment']['payment_method']>;
type Currency = components['schemas']['CreatePayment']['currency'];

export interface SimulationOptions {
  client: PaydayClient;
  /** Stop after this many payments… */
  count: number;
  /** …or after this long, whichever comes first. */
  durationMs: number;
  /** Payments created per second. */
  ratePerSecond: number;
  /** Where webhooks should go; an endpoint with this URL is created unless one exists. */
  webhookUrl?: string;
  /** Share of succeeded payments to refund (0…1). */
  refundShare?: number;
  random?: () => number;
  /** Called once the endpoint exists (with its secret when this run created it). */
  onWebhookEndpoint?: (endpoint: { id: string; secret?: string }) => void;
  progress?: (line: string) => void;
}

export interface SimulationSummary {
  payments: number;
  succeeded: number;
  failed: number;
  pending: number;
  refunds: number;
  errors: string[];
  webhookEndpoint?: { id: string; secret?: string };
}

const METHODS: [PaymentMethod, number][] = [
  ['pm_card_visa', 0.78],
  ['pm_card_mastercard', 0.08],
  ['pm_card_chargeDeclined', 0.05],
  ['pm_card_insufficientFunds', 0.03],
  ['pm_card_expired', 0.02],
  ['pm_card_processingErrorOnce', 0.04],
];
const CURRENCIES: [Currency, number][] = [
  ['usd', 0.7],
  ['eur', 0.2],
  ['gbp', 0.1],
];
const ITEMS = [
  'Coffee beans 1 kg',
  'Annual plan',
  'Monthly plan',
  'Gift card',
  'Workshop ticket',
  'T-shirt',
  'Shipping',
];

function pick<T>(table: [T, number][], r: number): T {
  let acc = 0;
  for (const [value, weight] of table) {
    acc += weight;
    if (r < acc) return value;
  }
  return table[table.length - 1]![0];
}

/** Log-normal-ish amounts between 5.00 and 900.00: many small baskets, a few large ones. */
function amount(r: () => number): number {
  const v = Math.exp(Math.log(500) + (Math.log(90_000) - Math.log(500)) * r() ** 2);
  return Math.max(500, Math.min(90_000, Math.round(v / 5) * 5));
}

export async function simulateTraffic(options: SimulationOptions): Promise<SimulationSummary> {
  const { client } = options;
  const random = options.random ?? Math.random;
  const progress = options.progress ?? (() => {});
  const summary: SimulationSummary = {
    payments: 0,
    succeeded: 0,
    failed: 0,
    pending: 0,
    refunds: 0,
    errors: [],
  };
  const deadline = Date.now() + options.durationMs;

  if (options.webhookUrl) {
    const existing = await client.GET('/v1/webhook_endpoints', { params: { query: { limit: 100 } } });
    const found = existing.data?.data.find((e) => e.url === options.webhookUrl);
    if (found) summary.webhookEndpoint = { id: found.id };
    else {
      const created = await client.POST('/v1/webhook_endpoints', {
        body: { url: options.webhookUrl, description: 'Local webhook sink (npm run simulate)' },
      });
      if (created.error)
        throw new Error(`creating the webhook endpoint failed: ${created.error.error.message}`);
      summary.webhookEndpoint = { id: created.data.id, secret: created.data.secret };
      progress(`webhook endpoint ${created.data.id} → ${options.webhookUrl}`);
    }
    options.onWebhookEndpoint?.(summary.webhookEndpoint);
  }

  const created: string[] = [];
  const interval = 1000 / Math.max(0.1, options.ratePerSecond);
  let lastReport = Date.now();
  while (summary.payments < options.count && Date.now() < deadline) {
    const started = Date.now();
    const res = await client.POST('/v1/payments', {
      params: { header: { 'idempotency-key': randomUUID() } },
      body: {
        amount: amount(random),
        currency: pick(CURRENCIES, random()),
        payment_method: pick(METHODS, random()),
        description: ITEMS[Math.floor(random() * ITEMS.length)]!,
        customer_reference: `cus_${Math.floor(random() * 500)}`,
      },
    });
    if (res.error) summary.errors.push(`POST /v1/payments: ${res.error.error.message}`);
    else {
      summary.payments++;
      created.push(res.data.id);
    }
    if (Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      progress(`${summary.payments}/${options.count} payments created`);
    }
    const wait = interval - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
  }

  // Let the worker finish (bounded by the same deadline, at least a few seconds), then refund some.
  const settleBy = Math.max(deadline, Date.now() + 5000);
  let statuses = new Map<string, string>();
  while (Date.now() < settleBy) {
    statuses = new Map();
    for (const id of created) {
      const p = await client.GET('/v1/payments/{id}', { params: { path: { id } } });
      if (p.data) statuses.set(id, p.data.status);
    }
    if ([...statuses.values()].every((s) => s !== 'pending')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const s of statuses.values()) {
    if (s === 'succeeded') summary.succeeded++;
    else if (s === 'failed') summary.failed++;
    else summary.pending++;
  }
  const refundShare = options.refundShare ?? 0.15;
  for (const [id, status] of statuses) {
    if (status !== 'succeeded' || random() >= refundShare) continue;
    const partial = random() < 0.5;
    const p = await client.GET('/v1/payments/{id}', { params: { path: { id } } });
    const body =
      partial && p.data
        ? { payment: id, amount: Math.max(1, Math.floor(p.data.amount / 2)) }
        : { payment: id };
    const r = await client.POST('/v1/refunds', {
      params: { header: { 'idempotency-key': randomUUID() } },
      body: { ...body, reason: 'requested_by_customer' },
    });
    if (r.error) summary.errors.push(`POST /v1/refunds: ${r.error.error.message}`);
    else summary.refunds++;
  }
  progress(
    `done: ${summary.payments} payments (${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.pending} pending), ${summary.refunds} refunds, ${summary.errors.length} errors`,
  );
  return summary;
}
