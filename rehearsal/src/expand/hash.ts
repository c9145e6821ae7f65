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
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
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
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(canonicalJson(template))));
}
