/**
 * A fast reader for the one shape history parses thousands of times: a section of an
 * environment file that is a block mapping of one-line scalars (an app's `release:` block,
 * `promotesFrom: dev`). It returns exactly what js-yaml's `load` with the YAML 1.2 core schema
 * returns for such text, and undefined for anything outside that narrow shape (comments, flow
 * collections, sequences, anchors, tags, multi-line or escaped scalars, tabs, CR, blank lines,
 * duplicate keys, numbers other than plain decimal integers), so the caller falls back to js-yaml.
 *
 * Why: js-yaml builds a parser state and runs its full scalar resolution per call, about 10 µs
 * per app block; history parses one block per new release (10,000 in the benchmark's repository).
 * What is accepted is resolved by the core schema's rules (YAML 1.2.2 §10.3.2, as js-yaml 4
 * implements them in lib/type/{null,bool,int,float}.js):
 * - `null`, `Null`, `NULL` → null; `true`/`True`/`TRUE`, `false`/`False`/`FALSE` → booleans;
 * - a plain scalar starting with a letter, `_` or `/` (never an integer or a float) → string;
 * - a decimal integer without sign or leading zero, up to 15 digits → number;
 * - digits with two or more dots (`1.4.2`, never a float) → string;
 * - `"…"` and `'…'` holding printable ASCII without quotes or backslashes → their content.
 * Keys are plain words (`[A-Za-z_][A-Za-z0-9_.-]*`, not a null or boolean word).
 */

const NULL_OR_BOOL = new Map<string, null | boolean>([
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** A letter or `_`: how a key, and a plain scalar that is always a string, starts. */
function isKeyStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
const INTEGER = /^(?:0|[1-9][0-9]{0,14})$/;
const DOTTED_DIGITS = /^[0-9]+(?:\.[0-9]+){2,}$/;
// Plain scalar characters accepted: no space, `#`, flow indicators or quotes (YAML 1.2.2 §7.3.3).
const PLAIN = /^[A-Za-z0-9_./@:+-]+$/;
const QUOTED_DOUBLE = /^"[\x20\x21\x23-\x5b\x5d-\x7e]*"$/;
const QUOTED_SINGLE = /^'[\x20-\x26\x28-\x7e]*'$/;

const BAIL = Symbol('bail');

function scalar(v: string): unknown {
  const c = v.charCodeAt(0);
  if (c === 34 /* " */) return QUOTED_DOUBLE.test(v) ? v.slice(1, -1) : BAIL;
  if (c === 39 /* ' */) return QUOTED_SINGLE.test(v) ? v.slice(1, -1) : BAIL;
  // A trailing `:` would make the line a nested key; leave that to the parser.
  if (!PLAIN.test(v) || v.charCodeAt(v.length - 1) === 58) return BAIL;
  const word = NULL_OR_BOOL.get(v);
  if (word !== undefined) return word;
  if (isKeyStart(c) || c === 47 /* / */) return v;
  if (INTEGER.test(v)) return Number(v);
  if (DOTTED_DIGITS.test(v)) return v;
  return BAIL;
}

interface Level {
  indent: number;
  map: Record<string, unknown>;
}

/**
 * The mapping `text` holds, or undefined when it is not of the narrow shape described above
 * (then js-yaml decides, errors included).
 */
export function parseSimpleMapping(text: string): Record<string, unknown> | undefined {
  const stack: Level[] = [];
  // A key written without a value: a nested mapping if the next line is deeper, else null.
  let pending: string | undefined;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    let i = pos;
    while (i < nl && text.charCodeAt(i) === 32) i++;
    const indent = i - pos;
    // Blank lines, comments, tabs, CR, sequences and flow collections: not this shape.
    if (i === nl || nl - pos > 1024 || !isKeyStart(text.charCodeAt(i))) return undefined;
    let k = i + 1;
    for (; k < nl; k++) {
      const c = text.charCodeAt(k);
      const word =
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 95 ||
        c === 46 ||
        c === 45;
      if (!word) break;
    }
    if (text.charCodeAt(k) !== 58 /* : */) return undefined;
    const key = text.slice(i, k);
    if (key === '__proto__' || ((key.length === 4 || key.length === 5) && NULL_OR_BOOL.has(key)))
      return undefined;
    let v = k + 1;
    if (v < nl && text.charCodeAt(v) !== 32) return undefined;
    while (v < nl && text.charCodeAt(v) === 32) v++;

    if (stack.length === 0) stack.push({ indent, map: {} });
    else {
      let top = stack[stack.length - 1]!;
      if (pending !== undefined) {
        if (indent > top.indent) {
          const child: Record<string, unknown> = {};
          top.map[pending] = child;
          stack.push({ indent, map: child });
          top = stack[stack.length - 1]!;
        } else top.map[pending] = null;
        pending = undefined;
      }
      while (indent < top.indent) {
        stack.pop();
        if (stack.length === 0) return undefined;
        top = stack[stack.length - 1]!;
      }
      if (indent !== top.indent) return undefined;
    }
    const map = stack[stack.length - 1]!.map;
    // A duplicate key (or one that names an inherited member, left to js-yaml to be safe).
    if (map[key] !== undefined) return undefined;
    if (v === nl) pending = key;
    else {
      const value = scalar(text.slice(v, nl));
      if (value === BAIL) return undefined;
      map[key] = value;
    }
    pos = nl + 1;
  }
  if (stack.length === 0) return undefined;
  if (pending !== undefined) stack[stack.length - 1]!.map[pending] = null;
  return stack[0]!.map;
}
