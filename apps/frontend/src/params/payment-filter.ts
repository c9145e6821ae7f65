/**
 * The payments list's query string (`?status=&from=&to=&starting_after=&ending_before=`),
 * checked before anything is asked of the API: a bad filter is shown back to the person with a
 * message, not sent on.
 */
import type { PaymentFilter, PaymentStatus } from '../api.js';

export const PAGE_SIZE = 25;
const STATUSES: PaymentStatus[] = ['pending', 'succeeded', 'failed'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURSOR = /^pay_[0-9a-z]{1,64}$/;

export interface FilterForm {
  status: string;
  from: string;
  to: string;
}

export interface ParsedFilter {
  form: FilterForm;
  filter: PaymentFilter;
  errors: Partial<Record<keyof FilterForm, string>>;
}

function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function nextDay(s: string): string {
  const d = new Date(`${s}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function parsePaymentFilter(query: Record<string, string | undefined>): ParsedFilter {
  const form: FilterForm = { status: query.status ?? '', from: query.from ?? '', to: query.to ?? '' };
  const errors: ParsedFilter['errors'] = {};
  const filter: PaymentFilter = { limit: PAGE_SIZE };
  if (form.status) {
    if (STATUSES.includes(form.status as PaymentStatus)) filter.status = form.status as PaymentStatus;
    else errors.status = 'Choose a status from the list.';
  }
  if (form.from) {
    if (validDate(form.from)) filter.createdFrom = `${form.from}T00:00:00.000Z`;
    else errors.from = 'Enter the start date as YYYY-MM-DD.';
  }
  if (form.to) {
    // "To" is inclusive for people; the API bound is exclusive, so ask for < the next day.
    if (validDate(form.to)) filter.createdTo = nextDay(form.to);
    else errors.to = 'Enter the end date as YYYY-MM-DD.';
  }
  if (filter.createdFrom && filter.createdTo && filter.createdFrom >= filter.createdTo) {
    errors.to = 'The end date must be on or after the start date.';
  }
  if (query.starting_after && CURSOR.test(query.starting_after)) filter.startingAfter = query.starting_after;
  else if (query.ending_before && CURSOR.test(query.ending_before)) filter.endingBefore = query.ending_before;
  return { form, filter, errors };
}

/** Query string for the same filters with a different cursor. */
export function filterQuery(form: FilterForm, cursor: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...form, ...cursor })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
