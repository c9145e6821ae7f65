import { wildcardMatch } from '../kube/wildcard.js';
import {
  anchorString,
  CONDITIONAL,
  GLOBAL,
  isNegation,
  isSkip,
  NEGATION,
  PatternFailure,
  parseAnchor,
} from './anchor.js';
import { validateValue } from './value-pattern.js';

/**
 * Resource-versus-pattern walk (kyverno v1.19.0 pkg/engine/validate/validate.go and
 * pkg/engine/anchor/handlers.go). Maps: anchored keys first (sorted), then plain keys (global
 * anchors and keys holding nested anchors first). Lists: a map as first pattern element applies
 * to every resource element, a scalar to every element, anything else positionally. Conditional
 * and global anchor failures become skips; a negation failure a fail; anything else a fail that
 * turns into an error when some conditional/existence/negation anchor key was never present.
 */
export type PatternResult =
  | { status: 'pass' }
  | { status: 'skip'; message: string }
  | { status: 'fail'; message: string; path: string }
  | { status: 'error'; message: string };

class AnchorMap {
  readonly seen = new Map<string, boolean>();
  check(pattern: Record<string, unknown>, resource: unknown) {
    for (const key of Object.keys(pattern)) {
      const a = parseAnchor(key);
      if (!a || !(a.type === '' || a.type === '^' || a.type === 'X')) continue;
      if (this.seen.get(key)) continue;
      this.seen.set(key, hasKey(resource, a.key));
    }
  }
  keysAreMissing(): boolean {
    for (const [k, present] of this.seen) if (!present && parseAnchor(k)?.type !== 'X') return true;
    return false;
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (Array.isArray(resource)) return resource.some((r) => hasKey(r, key));
  return isMap(resource) && Object.hasOwn(resource, key);
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

type Step = { path: string; error: PatternFailure } | undefined;

export function matchPattern(resource: unknown, pattern: unknown): PatternResult {
  const ac = new AnchorMap();
  const r = validateElement(resource, pattern, '/', ac);
  if (!r) return { status: 'pass' };
  if (isSkip(r.error)) return { status: 'skip', message: r.error.message };
  if (isNegation(r.error)) return { status: 'fail', message: r.error.message, path: r.path };
  if (ac.keysAreMissing()) return { status: 'error', message: r.error.message };
  return { status: 'fail', message: r.error.message, path: r.path };
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return 'float64';
  return typeof v;
}

function validateElement(resource: unknown, pattern: unknown, path: string, ac: AnchorMap): Step {
  if (isMap(pattern)) {
    if (!isMap(resource)) {
      return {
        path,
        error: new PatternFailure(
          `pattern and resource have different structures. Path: ${path}. Expected ${typeName(pattern)}, found ${typeName(resource)}`,
        ),
      };
    }
    ac.check(pattern, resource);
    return validateMap(resource, pattern, path, ac);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return {
        path,
        error: new PatternFailure(
          `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
        ),
      };
    }
    return validateArray(resource, pattern, path, ac);
  }
  const items = Array.isArray(resource) ? resource : [resource];
  for (const item of items) {
    if (!validateValue(item, pattern)) {
      return {
        path,
        error: new PatternFailure(
          `resource value '${goValue(resource)}' does not match '${goValue(pattern)}' at path ${path}`,
        ),
      };
    }
  }
  return undefined;
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function validateMap(
  resource: Record<string, unknown>,
  rawPattern: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const pattern = expandInMetadata(rawPattern, resource);
  const anchors: string[] = [];
  const plain: string[] = [];
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key);
    if (a && (a.type === '' || a.type === '^' || a.type === '=' || a.type === 'X')) anchors.push(key);
    else plain.push(key);
  }
  anchors.sort();
  const skipErrors: PatternFailure[] = [];
  let applied = 0;
  for (const key of anchors) {
    const r = handle(key, pattern[key], resource, path, ac);
    if (r) {
      if (isSkip(r.error)) {
        skipErrors.push(r.error);
        continue;
      }
      // Kyverno: a real failure stops here unless a sibling anchor already skipped this map.
      if (!skipErrors.some((e) => !e.aggregated)) return r;
      continue;
    }
    applied++;
  }
  if (skipErrors.length > 0) {
    if (applied === 0 || skipErrors.some((e) => !e.aggregated)) {
      return {
        path,
        error: new PatternFailure(skipErrors.map((e) => e.message).join('; '), 'plain', true),
      };
    }
  }
  for (const key of sortPlain(plain, pattern)) {
    const r = handle(key, pattern[key], resource, path, ac);
    if (r) return r;
  }
  return undefined;
}

/** Global anchors and keys with nested anchors first (reverse sorted), then the rest sorted. */
function sortPlain(keys: string[], pattern: Record<string, unknown>): string[] {
  const front: string[] = [];
  const back: string[] = [];
  for (const k of [...keys].sort()) {
    if (parseAnchor(k)?.type === '<' || hasNestedAnchors(pattern[k])) front.unshift(k);
    else back.push(k);
  }
  return [...front, ...back];
}

function hasNestedAnchors(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasNestedAnchors);
  if (!isMap(v)) return false;
  for (const [k, child] of Object.entries(v)) {
    const a = parseAnchor(k);
    if (a && a.type !== '+') return true;
    if (hasNestedAnchors(child)) return true;
  }
  return false;
}

function handle(
  key: string,
  pattern: unknown,
  resource: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  const a = parseAnchor(key);
  if (!a || a.type === '+') {
    const current = `${path}${key}/`;
    const value = resource[key];
    if (pattern === '*') {
      if (value !== null && value !== undefined) return undefined;
      return { path, error: new PatternFailure(`${path}/${key} not found`) };
    }
    return validateElement(value ?? null, pattern, current, ac);
  }
  const current = `${path}${a.key}/`;
  const present = Object.hasOwn(resource, a.key);
  const value = resource[a.key] ?? null;
  switch (a.type) {
    case 'X':
      if (present)
        return {
          path: current,
          error: new PatternFailure(`${NEGATION}: ${current} is not allowed`, 'negation'),
        };
      return undefined;
    case '=':
      return present ? validateElement(value, pattern, current, ac) : undefined;
    case '': {
      if (!present)
        return {
          path: current,
          error: new PatternFailure(
            `${CONDITIONAL}: conditional anchor key doesn't exist in the resource`,
            'conditional',
          ),
        };
      const r = validateElement(value, pattern, current, ac);
      if (r)
        return {
          path: r.path,
          error: new PatternFailure(`${CONDITIONAL}: ${r.error.message}`, 'conditional'),
        };
      return undefined;
    }
    case '<': {
      if (!present) return undefined;
      const r = validateElement(value, pattern, current, ac);
      if (r) return { path: r.path, error: new PatternFailure(`${GLOBAL}: ${r.error.message}`, 'global') };
      return undefined;
    }
    default: {
      // `^(k)`: every map of the pattern list must match at least one element of the resource list.
      if (!present) return undefined;
      if (!Array.isArray(value)) {
        return {
          path: current,
          error: new PatternFailure(
            `invalid resource type ${typeName(value)}: Existence ^ () anchor can be used only on list/array type resource`,
          ),
        };
      }
      if (!Array.isArray(pattern)) {
        return {
          path: current,
          error: new PatternFailure(
            `invalid pattern type ${typeName(pattern)}: Pattern has to be of list to compare against resource`,
          ),
        };
      }
      for (const p of pattern) {
        if (!isMap(p)) {
          return {
            path: current,
            error: new PatternFailure(
              `invalid pattern type ${typeName(pattern)}: Pattern has to be of type map to compare against items in resource`,
            ),
          };
        }
        const found = value.some((el, i) => !validateElement(el, p, `${current}${i}/`, ac));
        if (!found) {
          return {
            path: current,
            error: new PatternFailure(`existence anchor validation failed at path ${current}`),
          };
        }
      }
      return undefined;
    }
  }
}

function validateArray(resource: unknown[], pattern: unknown[], path: string, ac: AnchorMap): Step {
  if (pattern.length === 0) return { path, error: new PatternFailure('pattern Array empty') };
  const first = pattern[0];
  if (isMap(first)) return validateEach(resource, first, path, ac);
  if (first === null || typeof first !== 'object') return validateElement(resource, first, path, ac);
  if (resource.length < pattern.length) {
    return {
      path: '',
      error: new PatternFailure(
        `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
      ),
    };
  }
  return validatePairs(
    pattern.map((p, i) => [resource[i], p]),
    path,
    ac,
  );
}

function validateEach(
  resource: unknown[],
  pattern: Record<string, unknown>,
  path: string,
  ac: AnchorMap,
): Step {
  return validatePairs(
    resource.map((el) => [el, pattern]),
    path,
    ac,
  );
}

/**
 * Element `i` of the resource against its pattern: the first failure wins; skipped elements
 * are collected, and when nothing applied at all the whole list is a skip.
 */
function validatePairs(pairs: [unknown, unknown][], path: string, ac: AnchorMap): Step {
  let applied = 0;
  const skips: PatternFailure[] = [];
  for (const [i, [el, p]] of pairs.entries()) {
    const r = validateElement(el, p, `${path}${i}/`, ac);
    if (r) {
      if (isSkip(r.error)) {
        skips.push(r.error);
        continue;
      }
      return r;
    }
    applied++;
  }
  if (applied === 0 && skips.length)
    return { path, error: new PatternFailure(skips.map((e) => e.message).join('; '), 'plain', true) };
  return undefined;
}

/**
 * Wildcard label and annotation keys under `metadata` take the name of the first resource key
 * they match (kyverno v1.19.0 pkg/engine/wildcards/wildcards.go ExpandInMetadata); only string
 * values survive, as there.
 */
function expandInMetadata(pattern: Record<string, unknown>, resource: Record<string, unknown>) {
  const metaKey = Object.keys(pattern).find((k) => k === 'metadata' || parseAnchor(k)?.key === 'metadata');
  if (!metaKey) return pattern;
  const patternMeta = pattern[metaKey];
  const resourceMeta = resource.metadata;
  if (!isMap(patternMeta) || !isMap(resourceMeta)) return pattern;
  let changed: Record<string, unknown> | undefined;
  for (const tag of ['labels', 'annotations']) {
    const pKey = Object.keys(patternMeta).find((k) => k === tag || parseAnchor(k)?.key === tag);
    if (!pKey) continue;
    const pData = stringMap(patternMeta[pKey]);
    const rKey = Object.keys(resourceMeta).find((k) => k === tag || parseAnchor(k)?.key === tag);
    const rData = rKey ? stringMap(resourceMeta[rKey]) : undefined;
    if (!pData || !rData) continue;
    const expanded: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pData)) {
      if (!/[*?]/.test(k)) {
        expanded[k] = v;
        continue;
      }
      const a = parseAnchor(k);
      const bare = a ? a.key : k;
      const match = Object.keys(rData).find((rk) => wildcardMatch(bare, rk)) ?? bare;
      expanded[a ? anchorString(a.type, match) : match] = v;
    }
    changed ??= { ...patternMeta };
    changed[pKey] = expanded;
  }
  return changed ? { ...pattern, [metaKey]: changed } : pattern;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isMap(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
