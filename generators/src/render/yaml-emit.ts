/**
 * A fast path for `yaml`'s `stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })` over
 * the plain data a render serialises (maps, sequences, strings, integers, booleans, null), with
 * byte-identical output. `yaml` builds a node tree for the whole document before writing it; here
 * the value is written directly, which is most of the serialisation time of a render
 * (bench/README.md, "Render: the rehearsal's overhead").
 *
 * Only the shapes whose output is certain are written here; for anything else (a non-integer
 * number, a control character or document marker, a multi-line string with leading or trailing
 * whitespace, a key long enough to be written as `? key`) `emitYaml` returns `undefined` and the
 * caller uses `yaml` itself. The rules below are `yaml` 2.9.1's (dist/stringify/stringifyString.js
 * `plainString`, `blockString`, `quotedString`; stringifyPair.js; stringifyCollection.js) with the
 * default options: two-space indent, indented sequences, the YAML 1.2 core schema.
 * render/yaml-emit.test.ts checks every rendered object and generated values against `yaml`.
 */
import { Schema } from 'yaml';

class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();

/** Plain scalars that the core schema would read back as something else (42, true, null, 0x1f…). */
const NON_STRING = new Schema({}).tags.filter(
  (t) => t.default === true && t.tag !== 'tag:yaml.org,2002:str' && t.test !== undefined,
);
/** `plainString`'s test for text that cannot be plain (indicators, `: `, ` #`, edge whitespace). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** `stringifyString` forces double quotes on control characters; `containsDocumentMarker`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters yaml escapes
const SPECIAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]|^(?:%|---|\.\.\.)/mu;
/** Longer keys are written as explicit keys (`? key`) by `yaml`. */
const MAX_KEY = 1000;

function resolvesAsOther(s: string): boolean {
  for (const t of NON_STRING) if (t.test!.test(s)) return true;
  return false;
}

/**
 * A single-line string without control characters as `quotedString` writes it: single quotes when
 * it holds `"` and no `'`, else JSON's double-quoted form (which `doubleQuotedString` leaves as it
 * is when there is no newline or `\u` escape to rewrite; with `lineWidth: 0` nothing is folded).
 */
function quoted(s: string): string {
  return s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s);
}

/** A single-line string as `yaml` writes it: plain, or quoted when plain would not read back. */
function inlineString(s: string, key: boolean): string {
  if (s.includes('\n') || SPECIAL.test(s)) throw UNSUPPORTED;
  const out = NOT_PLAIN.test(s) || resolvesAsOther(s) ? quoted(s) : s;
  if (key && out.length > MAX_KEY) throw UNSUPPORTED;
  return out;
}

/** A multi-line string as a literal block scalar (`|` keeps one final newline, `|-` none). */
function blockString(s: string, indent: string): string {
  if (SPECIAL.test(s)) throw UNSUPPORTED;
  const first = s.charCodeAt(0);
  if (first === 32 || first === 9 || first === 10) throw UNSUPPORTED;
  let body = s;
  let chomp = '-';
  if (s.endsWith('\n')) {
    body = s.slice(0, -1);
    chomp = '';
  }
  const last = body.charCodeAt(body.length - 1);
  if (last === 32 || last === 9 || last === 10) throw UNSUPPORTED;
  return `|${chomp}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}

function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

/** A scalar in value position, or `undefined` when the value is a collection. */
function scalar(v: unknown, indent: string): string | undefined {
  switch (typeof v) {
    case 'string':
      return v.includes('\n') ? blockString(v, indent) : inlineString(v, false);
    case 'number':
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw UNSUPPORTED;
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length ? undefined : '[]';
      if (Object.getPrototypeOf(v) !== Object.prototype) throw UNSUPPORTED;
      return hasKeys(v) ? undefined : '{}';
    default:
      throw UNSUPPORTED;
  }
}

function map(o: Record<string, unknown>, indent: string, out: string[]): void {
  let firstLine = true;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) throw UNSUPPORTED;
    const key = inlineString(k, true);
    const inner = `${indent}  `;
    const s = scalar(v, inner);
    const lead = firstLine ? '' : indent;
    firstLine = false;
    if (s !== undefined) {
      out.push(`${lead}${key}: ${s}\n`);
    } else if (Array.isArray(v)) {
      out.push(`${lead}${key}:\n${inner}`);
      seq(v, inner, out);
    } else {
      out.push(`${lead}${key}:\n${inner}`);
      map(v as Record<string, unknown>, inner, out);
    }
  }
}

function seq(a: unknown[], indent: string, out: string[]): void {
  const inner = `${indent}  `;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    const s = scalar(v, inner);
    const lead = i === 0 ? '' : indent;
    if (s !== undefined) out.push(`${lead}- ${s}\n`);
    else if (Array.isArray(v)) {
      out.push(`${lead}- `);
      seq(v, inner, out);
    } else {
      out.push(`${lead}- `);
      map(v as Record<string, unknown>, inner, out);
    }
  }
}

/**
 * `value` (a non-empty map, as every rendered object is) as `yaml` writes it with `lineWidth: 0`
 * and no aliases, or `undefined` when it holds anything this fast path does not write.
 */
export function emitYaml(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype || !Object.keys(value).length) return undefined;
  const out: string[] = [];
  try {
    map(value as Record<string, unknown>, '', out);
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
  return out.join('');
}
