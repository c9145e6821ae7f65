import { z } from '@hono/zod-openapi';
import { amountProblem, CURRENCY_CODES, TEST_PAYMENT_METHOD_IDS } from '@payday/db';
import { MetadataSchema, TimestampSchema } from './common.js';

export const CurrencySchema = z.enum(CURRENCY_CODES).openapi({
  description: 'Lower-case ISO 4217 code',
  example: 'usd',
});

export const PaymentSchema = z
  .object({
    id: z.string().openapi({ example: 'pay_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('payment'),
    amount: z.number().int().openapi({ description: 'Minor units (cents for usd)', example: 2500 }),
    currency: CurrencySchema,
    status: z.enum(['pending', 'succeeded', 'failed']),
    failure_code: z.string().nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    customer_reference: z.string().nullable(),
    payment_method: z.string(),
    amount_captured: z.number().int(),
    amount_refunded: z.number().int(),
    amount_refundable: z.number().int().openapi({ description: 'amount_captured - amount_refunded' }),
    created_at: TimestampSchema,
  })
  .openapi('Payment');

export const CreatePaymentSchema = z
  .strictObject({
    amount: z.number().int().positive().openapi({ description: 'Minor units, 1 to 99999999', example: 2500 }),
    currency: CurrencySchema,
    description: z.string().max(1000).optional(),
    metadata: MetadataSchema.optional(),
    customer_reference: z.string().min(1).max(255).optional(),
    payment_method: z.enum(TEST_PAYMENT_METHOD_IDS).optional().openapi({
      description:
        'Test payment method; decides the simulated outcome (default pm_card_visa succeeds, pm_card_chargeDeclined fails)',
    }),
  })
  .superRefine((value, ctx) => {
    // The range depends on the currency (three-decimal currencies end in 0), so it is checked
    // here, as validation: nothing is claimed or written for an invalid amount.
    const problem = amountProblem(value.amount, value.currency);
    if (problem) ctx.addIssue({ code: 'custom', path: ['amount'], message: problem });
  })
  .openapi('CreatePayment');

export const RefundSchema = z
  .object({
    id: z.string().openapi({ example: 're_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('refund'),
    payment: z.string(),
    amount: z.number().int(),
    currency: CurrencySchema,
    status: z.enum(['succeeded']),
    reason: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    created_at: TimestampSchema,
  })
  .openapi('Refund');

export const CreateRefundSchema = z
  .strictObject({
    payment: z.string().regex(/^pay_[0-9a-z]{1,64}$/, 'must be an id starting with pay_'),
    amount: z
      .number()
      .int()
      .positive()
      .optional()
      .openapi({ description: 'Minor units; default: everything still refundable' }),
    reason: z.enum(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
    metadata: MetadataSchema.optional(),
  })
  .openapi('CreateRefund');

export const EventSchema = z
  .object({
    id: z.string().openapi({ example: 'evt_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('event'),
    type: z.string().openapi({ example: 'payment.succeeded' }),
    object_id: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    created_at: TimestampSchema,
  })
  .openapi('Event');

const BalanceAmount = z.object({ currency: CurrencySchema, amount: z.number().int() });
export const BalanceSchema = z
  .object({
    object: z.literal('balance'),
    available: z.array(BalanceAmount).openapi({ description: 'Settled funds, paid out next' }),
    pending: z.array(BalanceAmount).openapi({ description: 'Captured, not yet settled' }),
  })
  .openapi('Balance');

export const WebhookEndpointSchema = z
  .object({
    id: z.string().openapi({ example: 'we_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('webhook_endpoint'),
    url: z.string(),
    description: z.string().nullable(),
    enabled_events: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']),
    created_at: TimestampSchema,
    secret: z
      .string()
      .optional()
      .openapi({ description: 'Signing secret; only in the create and rotate_secret responses' }),
    previous_secret_expires_at: TimestampSchema.nullable().openapi({
      description:
        'During a secret rotation: until then the previous secret signs too (one v1 per secret); null otherwise',
    }),
  })
  .openapi('WebhookEndpoint');

const EventTypes = z
  .array(z.string().regex(/^(\*|[a-z_]+\.[a-z_]+)$/, 'must be an event type such as payment.succeeded, or *'))
  .min(1)
  .max(50);
const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .openapi({ example: 'https://example.com/payday/webhooks' });

export const CreateWebhookEndpointSchema = z
  .strictObject({
    url: WebhookUrl,
    enabled_events: EventTypes.optional().openapi({
      description: "Event types to send; default ['*'] (all)",
    }),
    description: z.string().max(500).optional(),
  })
  .openapi('CreateWebhookEndpoint');

export const UpdateWebhookEndpointSchema = z
  .strictObject({
    url: WebhookUrl.optional(),
    enabled_events: EventTypes.optional(),
    description: z.string().max(500).nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('UpdateWebhookEndpoint');

/** Seven days, as for API keys: long enough to roll a secret out to every receiver. */
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600;

export const RotateWebhookSecretSchema = z
  .strictObject({
    expires_in_seconds: z.number().int().min(0).max(MAX_SECRET_OVERLAP_SECONDS).optional().openapi({
      description:
        'Overlap: how long the current secret keeps signing beside the new one (max 7 days); default 86400 (24 h); 0 stops it at once',
    }),
  })
  .openapi('RotateWebhookSecret');

export const DeletedSchema = z
  .object({ id: z.string(), object: z.string(), deleted: z.literal(true) })
  .openapi('Deleted');

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    object: z.literal('webhook_delivery'),
    endpoint: z.string(),
    event: z.string(),
    event_type: z.string().nullable(),
    attempt: z.number().int(),
    status: z.enum(['succeeded', 'failed', 'refused']),
    http_status: z.number().int().nullable(),
    duration_ms: z.number().int().nullable(),
    error: z.string().nullable(),
    created_at: TimestampSchema,
  })
  .openapi('WebhookDelivery');

export const ResendSchema = z
  .object({
    object: z.literal('webhook_resend'),
    event: z.string(),
    endpoint: z.string(),
    queued: z.literal(true),
    action: z.enum(['requeued', 'enqueued', 'pending']).openapi({
      description:
        'requeued: the dead delivery job runs again; enqueued: a new job; pending: one is already queued',
    }),
  })
  .openapi('WebhookResend');

export const PayoutSchema = z
  .object({
    id: z.string().openapi({ example: 'po_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('payout'),
    amount: z.number().int().openapi({ description: 'Minor units moved out of the available balance' }),
    currency: CurrencySchema,
    settlement_date: z.string().openapi({
      description: 'The UTC day whose daily settlement made this payout',
      example: '2026-11-20',
    }),
    status: z.enum(['pending', 'paid', 'failed']).openapi({
      description: 'pending: sent to the bank (in transit); paid: arrived; failed: returned',
    }),
    created_at: TimestampSchema,
  })
  .openapi('Payout');

export const ApiKeySchema = z
  .object({
    id: z.string().openapi({ example: 'key_01jd7a7m1v3b2q8x5n4k6c9r0t' }),
    object: z.literal('api_key'),
    name: z.string(),
    prefix: z.string().openapi({ description: 'Non-secret start of the key', example: 'sk_test_4f2k9x1m' }),
    created_at: TimestampSchema,
    expires_at: TimestampSchema.nullable(),
    revoked_at: TimestampSchema.nullable(),
    last_used_at: TimestampSchema.nullable(),
    secret: z
      .string()
      .optional()
      .openapi({ description: 'The key itself; only in create and roll responses' }),
  })
  .openapi('ApiKey');

export const CreateApiKeySchema = z
  .strictObject({ name: z.string().min(1).max(100).optional().openapi({ description: "default 'default'" }) })
  .openapi('CreateApiKey');

export const RollApiKeySchema = z
  .strictObject({
    expires_in_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .optional()
      .openapi({ description: 'Grace period during which the old key still works (max 7 days); default 0' }),
  })
  .openapi('RollApiKey');

export const AccountSchema = z
  .object({ id: z.string(), object: z.literal('account'), name: z.string(), created_at: TimestampSchema })
  .openapi('Account');

export const LoginSchema = z
  .strictObject({ email: z.email().max(254), password: z.string().min(1).max(200) })
  .openapi('DashboardLogin');

export const SessionSchema = z
  .object({
    object: z.literal('dashboard_session'),
    token: z.string().openapi({ description: 'Bearer credential (dst_…) for the /v1 API' }),
    expires_at: TimestampSchema,
    email: z.string(),
    merchant_id: z.string(),
    merchant_name: z.string(),
  })
  .openapi('DashboardSession');

export const VolumeSchema = z
  .object({
    object: z.literal('volume_report'),
    days: z.number().int(),
    data: z.array(
      z.object({
        date: z.string().openapi({ example: '2026-11-20' }),
        currency: CurrencySchema,
        amount: z.number().int(),
        count: z.number().int(),
      }),
    ),
  })
  .openapi('VolumeReport');
