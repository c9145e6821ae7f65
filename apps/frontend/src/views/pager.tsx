import type { Cursor } from '../api.js';
import { pageLinks } from '../params/cursor.js';

export interface Paging {
  cursor: Cursor;
  hasMore: boolean;
}

/** "← Newer / Older →" under a list; nothing when the list fits on one page. */
export function Pager({
  path,
  label,
  ids,
  paging,
  params,
}: {
  path: string;
  label: string;
  ids: readonly string[];
  paging: Paging | undefined;
  /** Other query parameters every page keeps (a filter). */
  params?: Record<string, string>;
}) {
  if (!paging) return null;
  const { older, newer } = pageLinks(paging.cursor, ids, paging.hasMore, params);
  if (!older && !newer) return null;
  return (
    <nav class="pagination" aria-label={label}>
      {newer ? (
        <a href={`${path}${newer}`} rel="prev">
          ← Newer
        </a>
      ) : (
        <span />
      )}
      {older ? (
        <a href={`${path}${older}`} rel="next">
          Older →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
