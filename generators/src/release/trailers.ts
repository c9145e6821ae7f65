/**
 * Commit-message trailers: the structured half of every release commit (git-interpret-trailers(1)).
 * Writing is done here; reading is done by git itself (`%(trailers:only,unfold)` in the log
 * format), so we only split the `Key: value` lines git already isolated.
 */

/** Trailer keys the release commands write and read. */
export const TRAILER = {
  app: 'Promoted-App',
  from: 'Promoted-From',
  to: 'Promoted-To',
  image: 'Image',
  previousImage: 'Previous-Image',
  gate: 'Gate',
  soak: 'Soak',
  reason: 'Reason',
  ticket: 'Ticket',
  override: 'Override',
  rollbackOf: 'Rollback-Of',
  rolledBackApp: 'Rolled-Back-App',
} as const;

export type Trailers = Map<string, string[]>;

/**
 * Builds a commit message: subject, optional body, then one trailer paragraph. Values are
 * single-line (newlines would end the trailer); keys repeat for multi-app promotions, in order.
 */
export function formatMessage(
  subject: string,
  body: string | undefined,
  trailers: [string, string][],
): string {
  const lines = trailers.map(([k, v]) => {
    const value = v.replace(/\s*\n\s*/g, ' ').trim();
    if (!/^[A-Za-z0-9-]+$/.test(k)) throw new Error(`invalid trailer key ${JSON.stringify(k)}`);
    return `${k}: ${value}`;
  });
  return [subject.trim(), ...(body?.trim() ? ['', body.trim()] : []), '', ...lines, ''].join('\n');
}

/** Parses the trailer block git printed for `%(trailers:only,unfold)`. Keys are case-insensitive in git; we normalize to the canonical spelling above when known. */
export function parseTrailers(block: string): Trailers {
  const out: Trailers = new Map();
  const canonical = new Map(Object.values(TRAILER).map((k) => [k.toLowerCase(), k]));
  for (const line of block.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const rawKey = line.slice(0, i).trim();
    const key = canonical.get(rawKey.toLowerCase()) ?? rawKey;
    const value = line.slice(i + 1).trim();
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

export function first(trailers: Trailers, key: string): string | undefined {
  return trailers.get(key)?.[0];
}

export function all(trailers: Trailers, key: string): string[] {
  return trailers.get(key) ?? [];
}
