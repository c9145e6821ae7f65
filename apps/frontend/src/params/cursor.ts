/**
 * The page cursor in a list's query string (`?starting_after=<id>` or `?ending_before=<id>`),
 * accepted only when it is an id of the list's own kind: anything else shows the first page,
 * as the payments filter does, instead of sending the API a value it would refuse.
 */
import type { Cursor } from '../api.js';

export function parseCursor(query: Record<string, string | undefined>, prefix: string): Cursor {
  const id = new RegExp(`^${prefix}_[0-9a-z]{1,64}$`);
  if (query.starting_after && id.test(query.starting_after)) return { startingAfter: query.starting_after };
  if (query.ending_before && id.test(query.ending_before)) return { endingBefore: query.ending_before };
  return {};
}

/**
 * Links to the neighbouring pages (Stripe-style cursors, docs.stripe.com/api/pagination):
 * `starting_after` the last id walks to older objects, `ending_before` the first id back to newer
 * ones, and `has_more` speaks about the direction just walked.
 */
export function pageLinks(
  cursor: Cursor,
  ids: readonly string[],
  hasMore: boolean,
  params: Record<string, string> = {},
): { older?: string; newer?: string } {
  const first = ids[0];
  const last = ids[ids.length - 1];
  const backwards = cursor.endingBefore !== undefined;
  const query = (extra: Record<string, string>) => `?${new URLSearchParams({ ...params, ...extra })}`;
  const links: { older?: string; newer?: string } = {};
  if (last && (backwards || hasMore)) links.older = query({ starting_after: last });
  if (first && (backwards ? hasMore : cursor.startingAfter !== undefined)) {
    links.newer = query({ ending_before: first });
  }
  return links;
}
