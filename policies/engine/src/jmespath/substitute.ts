import { query } from './query.js';

/**
 * `{{ … }}` variable substitution (kyverno v1.19.0 pkg/engine/variables/vars.go and
 * regex/vars.go): in every string leaf and map key. Innermost variables are replaced first and
 * the text re-scanned, so `{{ f('{{a}}') }}` is resolved as text; a string that is exactly one
 * variable keeps the value's JSON type; otherwise a string is inserted verbatim and anything else
 * JSON-encoded. `{{- x }}` substitutes once without re-scanning; `\{{` escapes. On DELETE every
 * `request.object` becomes `request.oldObject`.
 */
const VARIABLES = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

export class SubstitutionError extends Error {}

export interface SubstitutionContext {
  data: Record<string, unknown>;
  isDelete: boolean;
}

export function substituteAll(value: unknown, ctx: SubstitutionContext): unknown {
  if (typeof value === 'string') return substituteString(value, ctx);
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, ctx));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.includes('{{') ? substituteString(k, ctx) : k;
      out[typeof key === 'string' ? key : goJson(key)] = substituteAll(v, ctx);
    }
    return out;
  }
  return value;
}

export function substituteString(input: string, ctx: SubstitutionContext): unknown {
  let value = input;
  let vars = findVariables(value);
  while (vars.length > 0) {
    const original = value;
    let shallow = false;
    for (const v of vars) {
      const trimmed = v.replaceAll('{{', '').replaceAll('}}', '').trim();
      shallow = trimmed.startsWith('-');
      let variable = shallow ? trimmed.slice(1).trim() : trimmed;
      if (ctx.isDelete) variable = variable.replaceAll('request.object', 'request.oldObject');
      let resolved: unknown;
      try {
        resolved = query(variable, ctx.data);
      } catch (err) {
        throw new SubstitutionError(`failed to resolve ${variable}: ${(err as Error).message}`);
      }
      if (original === v) return resolved;
      let text = typeof resolved === 'string' ? resolved : goJson(resolved);
      if (shallow && typeof resolved === 'string') text = text.replaceAll('{{', '\\{{');
      value = value.replace(v, () => text);
    }
    vars = shallow ? [] : findVariables(value);
  }
  return value.replaceAll('\\{{', '{{');
}

function findVariables(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(VARIABLES)) out.push(m[2]!);
  return out;
}

/** Go `json.Marshal`: map keys sorted, `<`, `>`, `&` escaped. */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value) ?? null).replace(/[<>&]/g, (c) =>
    c === '<' ? '\\u003c' : c === '>' ? '\\u003e' : '\\u0026',
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
