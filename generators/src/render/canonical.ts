/**
 * Stable key order, so output never depends on the order code happens to set fields:
 * `apiVersion`, `kind`, `metadata` first at the top; `name` then `namespace` first in any map;
 * everything else alphabetical. Arrays keep their order (it is meaningful: steps, containers).
 */
const TOP = ['apiVersion', 'kind', 'metadata'];
const FIRST = ['name', 'namespace'];

function rank(key: string, top: boolean): number {
  const order = top ? TOP : FIRST;
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

export function canonical<T>(value: T, top = true): T {
  if (Array.isArray(value)) return value.map((v) => canonical(v, false)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => rank(a, top) - rank(b, top) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, false)])) as T;
}
