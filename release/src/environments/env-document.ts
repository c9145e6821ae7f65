/**
 * Edits an environment file the way a careful human would: through the `yaml` library's
 * Document API, so comments, key order, flow/block style and blank lines outside the edited
 * node survive (the promotion diff stays as small as the change). Only `release.<app>` and
 * `holds` are ever written here.
 */
import { diffArrays } from 'diff';
import { type Document, isMap, isSeq, type Node, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Hold } from './snapshot.js';

export type EnvDocument = Document.Parsed;

export function parseEnvDocument(text: string, file: string): EnvDocument {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new Error(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new Error(`${file}: the file must be a YAML mapping`);
  return doc;
}

/** The `release.<app>` node (kept as a node, with its comments), or undefined. */
export function releaseNode(doc: EnvDocument, app: string): Node | undefined {
  const node = doc.getIn(['release', app], true);
  return node && typeof node === 'object' ? (node as Node) : undefined;
}

/** Replaces `release.<app>` with a copy of `node` taken from another environment's document. */
export function setRelease(doc: EnvDocument, app: string, node: Node): void {
  const copy = (node as Node & { clone(): Node }).clone();
  // A comment on the source's line (e.g. `# staging canary`) describes the source, not us.
  copy.comment = undefined;
  const release = doc.get('release', true);
  if (!isMap(release)) doc.set('release', doc.createNode({}));
  const existing = doc.getIn(['release', app], true) as Node | undefined;
  if (existing && typeof existing === 'object') {
    copy.comment = existing.comment;
    copy.commentBefore = existing.commentBefore;
  }
  doc.setIn(['release', app], copy);
}

function holdsSeq(doc: EnvDocument): YAMLSeq | undefined {
  const h = doc.get('holds', true);
  return isSeq(h) ? h : undefined;
}

/** Appends a hold; creates `holds:` just before `release:` when the file has none. */
export function addHold(doc: EnvDocument, hold: Hold): void {
  const entry = doc.createNode({ app: hold.app, image: hold.image, reason: hold.reason, since: hold.since });
  (entry as YAMLMap).flow = true;
  const seq = holdsSeq(doc);
  if (seq) {
    seq.flow = false;
    seq.items.push(entry);
    return;
  }
  const map = doc.contents as YAMLMap;
  const pair = doc.createPair('holds', [entry]);
  (pair.value as YAMLSeq).commentBefore =
    ' written by `npm run rollback`; lifted by the next promotion of the app';
  const at = map.items.findIndex((p) => (p.key as { value?: unknown })?.value === 'release');
  if (at < 0) map.items.push(pair);
  else map.items.splice(at, 0, pair);
}

/** Removes the holds on `app` (a later promotion lifts them); returns the removed images. */
export function liftHolds(doc: EnvDocument, app: string): string[] {
  const seq = holdsSeq(doc);
  if (!seq) return [];
  const lifted: string[] = [];
  seq.items = seq.items.filter((item) => {
    const a = isMap(item) ? item.get('app') : undefined;
    if (a === app) {
      lifted.push(String((item as YAMLMap).get('image')));
      return false;
    }
    return true;
  });
  if (seq.items.length === 0) {
    seq.flow = true;
    seq.commentBefore = undefined;
  }
  return lifted;
}

/**
 * The edited document as text. The `yaml` library re-prints the whole document, which would
 * normalise the spacing of every aligned end-of-line comment (`replicas: 2      # why`) and
 * turn a one-value promotion into a noisy diff; so every line whose only difference is that
 * spacing is taken back from `original` verbatim.
 */
export function stringify(doc: EnvDocument, original?: string): string {
  const printed = doc.toString({ lineWidth: 0 });
  return original === undefined ? printed : keepOriginalSpacing(original, printed);
}

function spacingFree(line: string): string {
  return line.replace(/[ \t]+#/, ' #').trimEnd();
}

export function keepOriginalSpacing(original: string, printed: string): string {
  const before = original.split('\n');
  const after = printed.split('\n');
  const out: string[] = [];
  let i = 0;
  for (const part of diffArrays(before, after, { comparator: (a, b) => spacingFree(a) === spacingFree(b) })) {
    const n = part.count ?? part.value.length;
    if (part.added) out.push(...part.value);
    else if (!part.removed) out.push(...before.slice(i, i + n));
    if (!part.added) i += n;
  }
  return out.join('\n');
}
