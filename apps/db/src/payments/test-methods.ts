/**
 * Test payment methods: the method a payment is created with decides what the simulated
 * processor does with it (Stripe's test cards, docs.stripe.com/testing). Shared by the API
 * (validation, OpenAPI enum) and the worker (the outcome of `payment.process`).
 */
export const TEST_PAYMENT_METHODS = {
  pm_card_visa: { outcome: 'succeeded' },
  pm_card_mastercard: { outcome: 'succeeded' },
  pm_card_chargeDeclined: { outcome: 'failed', failureCode: 'card_declined' },
  pm_card_insufficientFunds: { outcome: 'failed', failureCode: 'insufficient_funds' },
  pm_card_expired: { outcome: 'failed', failureCode: 'expired_card' },
  /** The processor times out once before succeeding: exercises the worker's retry path. */
  pm_card_processingErrorOnce: { outcome: 'retry_then_succeeded' },
} as const satisfies Record<
  string,
  { outcome: 'succeeded' | 'failed' | 'retry_then_succeeded'; failureCode?: string }
>;

export type TestPaymentMethod = keyof typeof TEST_PAYMENT_METHODS;
export const TEST_PAYMENT_METHOD_IDS = Object.keys(TEST_PAYMENT_METHODS) as [
  TestPaymentMethod,
  ...TestPaymentMethod[],
];
export const DEFAULT_PAYMENT_METHOD: TestPaymentMethod = 'pm_card_visa';
