import { describe, expect, it } from 'vitest';
import { filterQuery, parsePaymentFilter } from './payment-filter.js';

describe('parsePaymentFilter', () => {
  it('turns the form into an API filter with an exclusive end', () => {
    const p = parsePaymentFilter({
      status: 'succeeded',
      from: '2026-11-01',
      to: '2026-11-30',
      starting_after: 'pay_1',
    });
    expect(p.errors).toEqual({});
    expect(p.filter).toEqual({
      limit: 25,
      status: 'succeeded',
      createdFrom: '2026-11-01T00:00:00.000Z',
      createdTo: '2026-12-01T00:00:00.000Z',
      startingAfter: 'pay_1',
    });
  });

  it('reports each bad field and does not pass it on', () => {
    const p = parsePaymentFilter({ status: 'stolen', from: '2026-02-30', to: 'yesterday' });
    expect(p.errors).toEqual({
      status: 'Choose a status from the list.',
      from: 'Enter the start date as YYYY-MM-DD.',
      to: 'Enter the end date as YYYY-MM-DD.',
    });
    expect(p.filter).toEqual({ limit: 25 });
  });

  it('refuses a range that ends before it starts and junk cursors', () => {
    const p = parsePaymentFilter({ from: '2026-11-10', to: '2026-11-01', starting_after: "x' or 1=1" });
    expect(p.errors.to).toBe('The end date must be on or after the start date.');
    expect(p.filter.startingAfter).toBeUndefined();
  });
});

describe('filterQuery', () => {
  it('keeps filters and sets the cursor', () => {
    expect(filterQuery({ status: 'failed', from: '', to: '' }, { ending_before: 'pay_9' })).toBe(
      '?status=failed&ending_before=pay_9',
    );
    expect(filterQuery({ status: '', from: '', to: '' })).toBe('');
  });
});
