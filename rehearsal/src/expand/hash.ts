/**
 * The `pod-template-hash` value. Kubernetes v1.34 pkg/controller/controller_utils.go
 * ComputeHash and argo-rollouts v1.9.1 utils/hash/hash.go ComputePodTemplateHash both take the
 * FNV-32a hash of the pod template (the collision count appended when set) and print its decimal
 * value through k8s.io/apimachinery pkg/util/rand SafeEncodeString. We hash the template's
 * key-sorted JSON instead of Go's struct encoding, so the value has the cluster's shape (the same
 * alphabet, a stable 8–10 characters, a new value for every template change) but not its exact
 * characters; no check depends on the characters.
 */
import { ExpansionError } from './types.js';

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** k8s.io/apimachinery v0.34 pkg/util/rand/rand.go SafeEncodeString. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

export function canonicalJson(v: unknown): string {
  const out: string[] = [];
  writeCanonical(v, (piece) => out.push(piece));
  return out.join('');
}

/**
 * canonicalJson's walk, piece by piece into a sink. A value JSON cannot print (undefined) reads
 * `undefined` as an object's value and nothing as an array item, as the template-string and
 * Array.join forms this replaced printed it.
 */
function writeCanonical(v: unknown, sink: (piece: string) => void, inObject = false): void {
  if (Array.isArray(v)) {
    sink('[');
    for (let i = 0; i < v.length; i++) {
      if (i) sink(',');
      writeCanonical(v[i], sink);
    }
    sink(']');
    return;
  }
  if (typeof v === 'object' && v !== null) {
    sink('{');
    const keys = Object.keys(v).sort();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i) sink(',');
      sink(JSON.stringify(k));
      sink(':');
      writeCanonical((v as Record<string, unknown>)[k], sink, true);
    }
    sink('}');
    return;
  }
  const text = JSON.stringify(v) as string | undefined;
  sink(text ?? (inObject ? 'undefined' : ''));
}

/**
 * fnv32a(canonicalJson(v)) without building the text: the value is walked as writeCanonical
 * walks it and each piece hashed as it would be written (each piece is well-formed, so its UTF-8
 * bytes are the text's bytes in order). The running hash is passed along and returned, never
 * kept in a closure or module variable: a uint32 there is boxed (a heap number per byte hashed),
 * in a local it stays a machine integer.
 */
const FNV_PRIME = 0x01000193;
const COMMA = 0x2c;
const QUOTE = 0x22;
/** Printable ASCII but `"` and `\`: a string JSON.stringify prints as itself between quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function mixText(h: number, piece: string): number {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c >= 0x80) {
      // Outside ASCII: the rest of the piece through the UTF-8 encoder.
      const bytes = Buffer.from(piece.slice(i), 'utf8');
      for (let j = 0; j < bytes.length; j++) h = Math.imul(h ^ bytes[j]!, FNV_PRIME) >>> 0;
      return h;
    }
    h = Math.imul(h ^ c, FNV_PRIME) >>> 0;
  }
  return h;
}

/** A string as JSON.stringify prints it, without building the quoted copy when none is needed. */
function mixString(h: number, s: string): number {
  if (!PLAIN.test(s)) return mixText(h, JSON.stringify(s));
  h = Math.imul(h ^ QUOTE, FNV_PRIME) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME) >>> 0;
  return Math.imul(h ^ QUOTE, FNV_PRIME) >>> 0;
}

function mixCanonical(h: number, v: unknown, inObject: boolean): number {
  if (Array.isArray(v)) {
    h = Math.imul(h ^ 0x5b, FNV_PRIME) >>> 0; // [
    for (let i = 0; i < v.length; i++) {
      if (i) h = Math.imul(h ^ COMMA, FNV_PRIME) >>> 0;
      h = mixCanonical(h, v[i], false);
    }
    return Math.imul(h ^ 0x5d, FNV_PRIME) >>> 0; // ]
  }
  if (typeof v === 'object' && v !== null) {
    h = Math.imul(h ^ 0x7b, FNV_PRIME) >>> 0; // {
    const keys = Object.keys(v).sort();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (i) h = Math.imul(h ^ COMMA, FNV_PRIME) >>> 0;
      h = mixString(h, k);
      h = Math.imul(h ^ 0x3a, FNV_PRIME) >>> 0; // :
      h = mixCanonical(h, (v as Record<string, unknown>)[k], true);
    }
    return Math.imul(h ^ 0x7d, FNV_PRIME) >>> 0; // }
  }
  if (typeof v === 'string') return mixString(h, v);
  const text = JSON.stringify(v) as string | undefined;
  return mixText(h, text ?? (inObject ? 'undefined' : ''));
}

function fnv32aOfCanonical(v: unknown): number {
  return mixCanonical(0x811c9dc5, v, false) >>> 0;
}

export function podTemplateHash(template: unknown): string {
  // A controller with no template creates nothing it could hash: fail closed, as every rule does.
  if (template === undefined) throw new ExpansionError('no pod template to hash (spec.template is missing)');
  return safeEncodeString(String(fnv32aOfCanonical(template)));
}
