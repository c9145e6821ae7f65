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
  approvedBy: 'Approved-By',
  approval: 'Approval',
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

/** Adds `extra`'s values to `into` (a merge's or a squash's trailers join the landed commit's). */
export function mergeTrailers(into: Trailers, extra: Trailers): void {
  for (const [k, values] of extra) {
    const list = into.get(k);
    if (list) list.push(...values);
    else into.set(k, [...values]);
  }
}

const TRAILER_LINE = /^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]/;

/**
 * Trailer paragraphs quoted inside a squash message. git's squash message (`git merge --squash`,
 * SQUASH_MSG) lists each squashed commit as `commit <sha>`, `Author:`, `Date:` and its message
 * indented by four spaces; hosting services list each commit's message as-is (`* subject`, body).
 * Either way each squashed message's trailers are a paragraph made only of `Key: value` lines
 * (continuation lines start with whitespace, git-interpret-trailers(1)); this finds every such
 * paragraph after the subject, dedented, and parses it as git would.
 */
export function embeddedTrailers(message: string): Trailers {
  const lines = message.split('\n').map((l) => (l.startsWith('    ') ? l.slice(4) : l.replace(/^\t/, '')));
  const out: Trailers = new Map();
  let paragraph: string[] = [];
  let first = true;
  const close = () => {
    const block = paragraph;
    paragraph = [];
    if (first) {
      first = false;
      return;
    }
    // `Author:`/`Date:` of git's squash header are not trailers: that paragraph starts with `commit <sha>`.
    if (block.length === 0 || !TRAILER_LINE.test(block[0]!)) return;
    if (!block.every((l) => TRAILER_LINE.test(l) || /^[ \t]+\S/.test(l))) return;
    const unfolded: string[] = [];
    for (const l of block) {
      if (/^[ \t]/.test(l) && unfolded.length) unfolded[unfolded.length - 1] += ` ${l.trim()}`;
      else unfolded.push(l);
    }
    mergeTrailers(out, parseTrailers(unfolded.join('\n')));
  };
  for (const line of lines) {
    if (line.trim() === '') close();
    else paragraph.push(line);
  }
  close();
  return out;
}
