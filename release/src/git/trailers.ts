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

// Lower-case and canonical spellings → canonical: the canonical one is looked up first, since
// it is what the release commands write.
const CANONICAL = new Map<string, string>(
  Object.values(TRAILER).flatMap((k) => [
    [k, k],
    [k.toLowerCase(), k],
  ]),
);

/** Parses the trailer block git printed for `%(trailers:only,unfold)`. Keys are case-insensitive in git; we normalize to the canonical spelling above when known. */
export function parseTrailers(block: string): Trailers {
  const out: Trailers = new Map();
  let repeated = false;
  // Line by line with indexOf rather than split: history parses ten thousand of these blocks.
  for (let pos = 0; pos < block.length; ) {
    let nl = block.indexOf('\n', pos);
    if (nl < 0) nl = block.length;
    const i = block.indexOf(':', pos);
    if (i > pos && i < nl) {
      const rawKey = block.slice(pos, i).trim();
      const key = CANONICAL.get(rawKey) ?? CANONICAL.get(rawKey.toLowerCase()) ?? rawKey;
      // One substring per value: past the blanks trim would drop (it still trims the rest).
      let v = i + 1;
      for (let c = block.charCodeAt(v); v < nl && (c === 32 || c === 9); c = block.charCodeAt(++v));
      const value = block.slice(v, nl).trim();
      const list = out.get(key);
      if (list) {
        list.push(value);
        repeated = true;
      } else out.set(key, [value]);
    }
    pos = nl + 1;
  }
  // A pushed-to array keeps room for 16 more values; history keeps every commit's trailers,
  // so repeated keys (one per promoted app) get an array of their exact length.
  if (repeated) for (const [k, list] of out) if (list.length > 1) out.set(k, list.slice());
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
const OURS = new Set<string>(Object.values(TRAILER).map((k) => k.toLowerCase()));

/**
 * Drops the message's closing paragraph when it is trailers none of which are ours: a hosting
 * service appends its own (`Co-authored-by:`, `Signed-off-by:`) after the quoted messages, and
 * they would otherwise stand as the last quoted message's last paragraph and hide its trailers.
 */
function withoutForeignTail(message: string): string {
  const paragraphs = message.trimEnd().split(/\n[ \t]*\n/);
  const last = paragraphs.at(-1)!.split('\n');
  const trailerBlock =
    paragraphs.length > 1 &&
    TRAILER_LINE.test(last[0]!) &&
    last.every((l) => TRAILER_LINE.test(l) || /^[ \t]+\S/.test(l));
  const foreign = last.every(
    (l) => !TRAILER_LINE.test(l) || !OURS.has(l.slice(0, l.indexOf(':')).toLowerCase()),
  );
  return trailerBlock && foreign ? paragraphs.slice(0, -1).join('\n\n') : message;
}

/**
 * Trailer paragraphs quoted inside a squash message. git's squash message (`git merge --squash`,
 * SQUASH_MSG) lists each squashed commit as `commit <sha>`, `Author:`, `Date:` and its message
 * indented by four spaces; hosting services list each commit's message as `* subject` and its
 * body. As git does for a whole message (git-interpret-trailers(1)), only the last paragraph of
 * each quoted message counts, and only when it is made of `Key: value` lines (continuation lines
 * start with whitespace).
 */
export function embeddedTrailers(message: string): Trailers {
  const segments: string[][] = [[]];
  for (const line of withoutForeignTail(message).split('\n')) {
    if (/^commit [0-9a-f]{7,}\b/.test(line) || /^\* \S/.test(line)) segments.push([]);
    segments.at(-1)!.push(line.startsWith('    ') ? line.slice(4) : line);
  }
  const out: Trailers = new Map();
  segments.forEach((lines, i) => {
    const paragraphs = lines
      .join('\n')
      .split(/\n[ \t]*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    // The first segment's first paragraph is the squash's own subject, never trailers.
    if (paragraphs.length < (i === 0 ? 2 : 1)) return;
    const block = paragraphs.at(-1)!.split('\n');
    if (!TRAILER_LINE.test(block[0]!)) return;
    if (!block.every((l) => TRAILER_LINE.test(l) || /^[ \t]+\S/.test(l))) return;
    const unfolded: string[] = [];
    for (const l of block) {
      if (/^[ \t]/.test(l) && unfolded.length) unfolded[unfolded.length - 1] += ` ${l.trim()}`;
      else unfolded.push(l);
    }
    mergeTrailers(out, parseTrailers(unfolded.join('\n')));
  });
  return out;
}
