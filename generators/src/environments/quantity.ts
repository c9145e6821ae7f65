/**
 * Kubernetes resource quantities as numbers (kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity):
 * the warnings compare requests with limits, the cost summary adds them up.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEM = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEM_FACTOR: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** CPU quantity → millicores (`250m` → 250, `1.5` → 1500). */
export function millicores(q: string): number {
  const m = CPU.exec(q);
  if (!m) throw new Error(`unsupported CPU quantity "${q}"`);
  return m[2] === 'm' ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** Memory quantity → bytes (`256Mi` → 268435456). */
export function bytes(q: string): number {
  const m = MEM.exec(q);
  if (!m) throw new Error(`unsupported memory quantity "${q}"`);
  return Math.round(Number(m[1]) * MEM_FACTOR[m[2] ?? '']!);
}
