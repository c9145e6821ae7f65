/**
 * The `pod-template-hash` value. Kubernetes v1.34 pkg/controller/controller_utils.go
 * ComputeHash and argo-rollouts v1.9.1 utils/hash/hash.go ComputePodTemplateHash both take the
 * FNV-32a hash of the pod template (the collision count appended when set) and print its decimal
 * value through k8s.io/apimachinery pkg/util/rand SafeEncodeString. We hash the template's
 * key-sorted JSON instead of Go's struct encoding, so the value has the cluster's shape (the same
 * alphabet, a stable 8–10 characters, a new value for every template change) but not its exact
 * characters; no check depends on the characters.
 */
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
  writeCanonical(v, out);
  return out.join('');
}

/**
 * canonicalJson's walk: one list of pieces for the whole value, joined once. A value JSON cannot
 * print (undefined) reads `undefined` as an object's value and nothing as an array item, as the
 * template-string and Array.join forms this replaced printed it.
 */
function writeCanonical(v: unknown, out: string[], inObject = false): void {
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(',');
      writeCanonical(v[i], out);
    }
    out.push(']');
    return;
  }
  if (typeof v === 'object' && v !== null) {
    out.push('{');
    const keys = Object.keys(v).sort();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      out.push(i ? ',' : '', JSON.stringify(k), ':');
      writeCanonical((v as Record<string, unknown>)[k], out, true);
    }
    out.push('}');
    return;
  }
  const text = JSON.stringify(v) as string | undefined;
  out.push(text ?? (inObject ? 'undefined' : ''));
}

export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(canonicalJson(template))));
}
