/**
 * Maps a path inside a parsed YAML document to a source position, so that a schema error can
 * point at the offending line and column (yaml library CST ranges + LineCounter).
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

function offsetOf(node: unknown): number | undefined {
  const r = (node as Node | null)?.range;
  return r ? r[0] : undefined;
}

/**
 * Position of the value at `path`; when the path does not exist (a missing key), the position of
 * the deepest existing key on the way. With `key`, the position of that key inside the map at
 * `path` (for unknown keys).
 */
export function locate(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key?: string): Position {
  let node: unknown = doc.contents;
  let best = offsetOf(node) ?? 0;
  const segments = key === undefined ? path : [...path, key];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      const keyOffset = offsetOf(pair.key);
      if (keyOffset !== undefined) best = keyOffset;
      // An unknown key points at the key itself; a bad value at the value.
      if (last && key !== undefined) break;
      node = pair.value;
      const valueOffset = offsetOf(node);
      if (valueOffset !== undefined) best = valueOffset;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      const o = offsetOf(node);
      if (o === undefined) break;
      best = o;
    } else {
      break;
    }
  }
  const { line, col } = lc.linePos(best);
  return { line, col };
}
