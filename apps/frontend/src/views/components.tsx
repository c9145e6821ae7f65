/** Small shared pieces of markup. */
import type { Child } from 'hono/jsx';
import type { PaymentStatus } from '../api.js';
import { formatMoney } from '../format/money.js';

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Money({ amount, currency, locale }: { amount: number; currency: string; locale: string }) {
  return <span class="money">{formatMoney(amount, currency, locale)}</span>;
}

const STATUS_LABEL: Record<string, string> = {
  pending: 'Pending',
  succeeded: 'Succeeded',
  failed: 'Failed',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
  refused: 'Refused',
  active: 'Active',
  revoked: 'Revoked',
  enabled: 'Enabled',
  in_transit: 'In transit',
  paid: 'Paid',
  disabled: 'Disabled',
};

/** The badge's class and words for a status (shared with payment-rows.ts). */
export function badgeClass(status: string): string {
  return `badge badge-${status.replace(/[^a-z_]/g, '')}`;
}

export function statusLabel(status: string): string {
  return STATUS_LABEL[status] ?? status;
}

/** Status is spelled out, never colour alone (WCAG 2.2 SC 1.4.1). */
export function StatusBadge({ status }: { status: PaymentStatus | string }) {
  return <span class={badgeClass(status)}>{statusLabel(status)}</span>;
}

export function EmptyState({ title, children }: { title: string; children?: Child }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** A form-level error, linked from the field via `aria-describedby`. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p class="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

/** Wide tables scroll inside their own box on a phone instead of widening the page. */
export function TableWrap({ label, children }: { label: string; children?: Child }) {
  // A labelled section is a region landmark; tabindex lets keyboard users scroll it (WCAG 2.1.1).
  return (
    <section class="table-wrap" aria-label={label} tabindex={0}>
      {children}
    </section>
  );
}
