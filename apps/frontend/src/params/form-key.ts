import { randomUUID } from 'node:crypto';

/**
 * The Idempotency-Key a create form carries (a fresh one per rendered form), so a double click
 * or a re-submitted form creates one object, not two (Idempotency-Key semantics,
 * docs/design/apps.md §Idempotency). A missing or malformed key gets a
 * fresh one: the request still works, it is just not deduplicated.
 */
export function formIdempotencyKey(submitted: string | undefined): string {
  return submitted && /^[\w-]{8,64}$/.test(submitted) ? submitted : randomUUID();
}

export const newFormKey = (): string => randomUUID();
