/**
 * Turns a Kubernetes schema (OpenAPI v3 component or CRD `openAPIV3Schema`) into a JSON Schema
 * that ajv checks the way the API server would, plus one thing it does not: unknown fields are
 * errors. CRD schemas never say `additionalProperties: false` (the API server prunes unknown
 * fields silently instead), so a typo such as `strategy.canry` would pass; this walk adds it to
 * every object that lists `properties`, unless the node says `x-kubernetes-preserve-unknown-fields`
 * (Kubernetes "Structural schemas" and "Pruning" docs).
 */

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JavaScript's RegExp rejects some RE2 syntax (e.g. `(?i)` in PrometheusRule); such patterns are dropped. */
function usablePattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Returns a transformed deep copy; the input is not modified. */
export function strictSchema(schema: unknown, refRewrite?: (ref: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => strictSchema(s, refRewrite));
  if (!isNode(schema)) return schema;
  const out: Node = {};
  for (const [key, value] of Object.entries(schema)) {
    if (
      key === 'description' ||
      key === 'example' ||
      key.startsWith('x-kubernetes-list') ||
      key === 'x-kubernetes-patch-merge-key'
    ) {
      continue; // documentation only: smaller generated code
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = refRewrite ? refRewrite(value) : value;
    } else if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, strictSchema(v, refRewrite)]),
      );
    } else if (key === 'pattern' && typeof value === 'string') {
      if (usablePattern(value)) out.pattern = value;
    } else if (key === 'default' || key === 'enum') {
      out[key] = value;
    } else {
      out[key] = strictSchema(value, refRewrite);
    }
  }
  // int-or-string in CRDs: `x-kubernetes-int-or-string: true` (the anyOf is usually there too).
  if (out['x-kubernetes-int-or-string'] === true && !out.anyOf && !out.oneOf) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // OpenAPI `nullable` (rare in these specs): JSON Schema spells it as a type union.
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    delete out.nullable;
  }
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (isNode(out.properties) && out.additionalProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}
