import type { InferSelectModel } from 'drizzle-orm';
import type { Currency } from './currencies.js';
import type { events, payments, payouts, refunds } from './schema/index.js';

export type PaymentRow = InferSelectModel<typeof payments>;
export type RefundRow = InferSelectModel<typeof refunds>;
export type EventRow = InferSelectModel<typeof events>;

/**
 * The public JSON shapes of objects that both the API responses and event payloads carry
 * (the worker emits `payment.succeeded` with the same shape the API returns). Amounts are JSON
 * integers in minor units; timestamps are ISO 8601 strings in UTC.
 */
/** The columns `paymentObject` shows (a whole row has more). */
export type PaymentObjectFields = Omit<PaymentRow, 'merchantId' | 'idempotencyKey' | 'updatedAt'>;

export function paymentObject(p: PaymentObjectFields) {
  return paymentObjectCreatedAt(p, p.createdAt.toISOString());
}

/**
 * `paymentObject` with `created_at` already written as `Date.prototype.toISOString` writes it
 * (UTC, milliseconds, `Z`): the API's retrieve has PostgreSQL format it rather than parse the
 * timestamp's text into a Date per request.
 */
export function paymentObjectCreatedAt(p: Omit<PaymentObjectFields, 'createdAt'>, createdAt: string) {
  return {
    id: p.id,
    object: 'payment' as const,
    amount: p.amount,
    currency: p.currency as Currency,
    status: p.status,
    failure_code: p.failureCode,
    description: p.description,
    metadata: p.metadata,
    customer_reference: p.customerReference,
    payment_method: p.paymentMethod,
    amount_captured: p.amountCaptured,
    amount_refunded: p.amountRefunded,
    amount_refundable: p.amountCaptured - p.amountRefunded,
    created_at: createdAt,
  };
}
export type PaymentObject = ReturnType<typeof paymentObject>;

export function refundObject(r: RefundRow) {
  return {
    id: r.id,
    object: 'refund' as const,
    payment: r.paymentId,
    amount: r.amount,
    currency: r.currency as Currency,
    status: r.status,
    reason: r.reason,
    metadata: r.metadata,
    created_at: r.createdAt.toISOString(),
  };
}
export type RefundObject = ReturnType<typeof refundObject>;

export function eventObject(e: EventRow) {
  return {
    id: e.id,
    object: 'event' as const,
    type: e.type,
    object_id: e.objectId,
    data: e.data,
    created_at: e.createdAt.toISOString(),
  };
}
export type EventObject = ReturnType<typeof eventObject>;

export type PayoutRow = InferSelectModel<typeof payouts>;

/**
 * A payout as the API lists it and as the `payout.created` event carries it: the settlement
 * batch that moved the merchant's available balance out, one per (currency, settlement date).
 */
export function payoutObject(p: PayoutRow) {
  return {
    id: p.id,
    object: 'payout' as const,
    amount: p.amount,
    currency: p.currency as Currency,
    settlement_date: p.settlementDate,
    status: p.status,
    created_at: p.createdAt.toISOString(),
  };
}
export type PayoutObject = ReturnType<typeof payoutObject>;
