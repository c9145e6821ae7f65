import { Quantity } from '../cel/quantity.js';
import { wildcardMatch } from '../kube/wildcard.js';
import { compareSemver, parseSemver } from './functions.js';
import { goSprint, parseGoDuration } from './go-format.js';
import { goParseFloat, IN_RANGE, operatorOf, validateValue } from './value-pattern.js';

/**
 * Condition operators (kyverno v1.19.0 pkg/engine/variables/operator): dispatched on the type of
 * the substituted key; a key of an unsupported type (null included) is false for every operator.
 */
export type OperatorFn = (key: unknown, value: unknown) => boolean;

export class OperatorError extends Error {}

const SECOND = 1e9;

/** Go operator/operator.go parseDuration: at least one side a duration string (not "0"), numbers are seconds. */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (x: unknown) => (typeof x === 'string' && x !== '0' ? parseGoDuration(x) : undefined);
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = Math.trunc(key) * SECOND;
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = Math.trunc(value) * SECOND;
  }
  return [k, v];
}

const quantity = (s: string) => (Quantity.isQuantity(s) ? Quantity.parse(s) : undefined);
const isMapOrList = (x: unknown) => x !== null && typeof x === 'object';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMapOrList(a) && isMapOrList(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as never)[k], (b as never)[k]));
  }
  return false;
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') return goParseFloat(value) === key;
    return false;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] === d[1];
    const q = quantity(key);
    if (q && typeof value === 'string') {
      const v = quantity(value);
      return !!v && q.compareTo(v) === 0;
    }
    return typeof value === 'string' && wildcardMatch(value, key);
  }
  if (Array.isArray(key)) return Array.isArray(value) && deepEqual(key, value);
  if (isMapOrList(key)) return isMapOrList(value) && !Array.isArray(value) && deepEqual(key, value);
  return false;
}

function notEquals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value !== 'boolean' || key !== value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key !== value;
    if (typeof value === 'string') {
      const n = goParseFloat(value);
      return n === undefined || n !== key;
    }
    return true;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] !== d[1];
    const q = quantity(key);
    if (q && typeof value === 'string') {
      if (value === '') return !wildcardMatch(value, key);
      const v = quantity(value);
      return !v || q.compareTo(v) !== 0;
    }
    return typeof value !== 'string' || !wildcardMatch(value, key);
  }
  if (Array.isArray(key)) return !Array.isArray(value) || !deepEqual(key, value);
  if (isMapOrList(key)) return !isMapOrList(value) || Array.isArray(value) || !deepEqual(key, value);
  return false;
}

const globEither = (a: string, b: string) => wildcardMatch(a, b) || wildcardMatch(b, a);

/** Go `json.Valid` + unmarshal into []string (undefined: not JSON; 'invalid': JSON but not a string list). */
function jsonStringList(text: string): string[] | undefined | 'invalid' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return 'invalid';
  return parsed as string[];
}

const inRange = (key: string, range: unknown) => validateValue(key, range);

/** One key string against the value (anyin.go anyKeyExistsInArray / allin.go allKeyExistsInArray). */
function keyIn(key: string, value: unknown): boolean | 'invalid' {
  if (Array.isArray(value)) return value.some((v) => globEither(goSprint(v), key));
  if (typeof value === 'string') {
    if (wildcardMatch(value, key)) return true;
    if (operatorOf(value) === '-') return inRange(key, value);
    const list = jsonStringList(value);
    if (list === 'invalid') return 'invalid';
    return (list ?? [value]).includes(key);
  }
  return 'invalid';
}

type SetMode = 'anyIn' | 'anyNotIn' | 'allIn' | 'allNotIn';

function setIn(keys: string[], value: unknown, mode: SetMode): boolean | 'invalid' {
  let values: string[];
  if (Array.isArray(value)) values = value.map(goSprint);
  else if (typeof value === 'number' || typeof value === 'boolean') {
    if (mode === 'allIn' || mode === 'allNotIn') return 'invalid';
    values = [goSprint(value)];
  } else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return mode === 'anyIn' || mode === 'allIn';
    if (operatorOf(value) === '-') {
      switch (mode) {
        case 'anyIn':
          return keys.some((k) => inRange(k, value));
        case 'anyNotIn':
          return keys.some((k) => inRange(k, value.replace('-', '!-')));
        case 'allIn':
          return keys.every((k) => inRange(k, value));
        default:
          return !keys.some((k) => inRange(k, value));
      }
    }
    const list = jsonStringList(value);
    if (list === 'invalid') return 'invalid';
    values = list ?? [value];
  } else return 'invalid';
  const found = (k: string) => values.some((v) => globEither(k, v));
  switch (mode) {
    case 'anyIn':
      return keys.some(found);
    case 'anyNotIn':
      return keys.some((k) => !found(k));
    case 'allIn':
      return keys.every(found);
    default:
      return !keys.some(found);
  }
}

function membership(mode: SetMode): OperatorFn {
  return (key, value) => {
    if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
      const r = keyIn(goSprint(key), value);
      if (r === 'invalid') return false;
      return mode === 'anyIn' || mode === 'allIn' ? r : !r;
    }
    if (Array.isArray(key)) {
      const r = setIn(key.map(goSprint), value, mode);
      return r === 'invalid' ? false : r;
    }
    return false;
  };
}

/** Deprecated In / NotIn (in.go, notin.go): exact string membership, string-only lists. */
function legacyIn(negate: boolean): OperatorFn {
  return (key, value) => {
    if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
      const k = goSprint(key);
      let r: boolean | 'invalid';
      if (Array.isArray(value)) r = value.some((v) => globEither(goSprint(v), k));
      else if (typeof value === 'string') {
        if (wildcardMatch(value, k)) r = true;
        else {
          const list = jsonStringList(value);
          r = list === undefined || list === 'invalid' ? 'invalid' : list.includes(k);
        }
      } else r = 'invalid';
      if (r === 'invalid') return false;
      return negate ? !r : r;
    }
    if (Array.isArray(key)) {
      if (!key.every((k) => typeof k === 'string'))
        throw new OperatorError('In/NotIn: key list must hold strings');
      let values: string[];
      if (Array.isArray(value)) {
        if (!value.every((v) => typeof v === 'string')) return false;
        values = value as string[];
      } else if (typeof value === 'string') {
        if (key.length === 1 && key[0] === value) return true;
        const list = jsonStringList(value);
        if (list === undefined || list === 'invalid') return false;
        values = list;
      } else return false;
      const all = (key as string[]).every((k) => values.includes(k));
      return negate ? !all : all;
    }
    return false;
  };
}

type Cmp = (a: number, b: number) => boolean;

function numeric(cmp: Cmp): OperatorFn {
  const withNumberKey = (key: number, value: unknown): boolean => {
    if (typeof value === 'number') return cmp(key, value);
    if (typeof value === 'string') {
      const d = durations(key, value);
      if (d) return cmp(d[0], d[1]);
      const n = goParseFloat(value);
      return n !== undefined && cmp(key, n);
    }
    return false;
  };
  return (key, value) => {
    if (typeof key === 'number') return withNumberKey(key, value);
    if (typeof key !== 'string') return false;
    const d = durations(key, value);
    if (d) return cmp(d[0], d[1]);
    const qk = quantity(key);
    if (qk && typeof value === 'string') {
      const qv = quantity(value);
      if (qv) return cmp(qk.compareTo(qv), 0);
    }
    const n = goParseFloat(key);
    if (n !== undefined) return withNumberKey(n, value);
    const vk = strictSemver(key);
    if (vk) {
      const vv = typeof value === 'string' ? strictSemver(value) : undefined;
      return !!vv && cmp(compareSemver(vk, vv), 0);
    }
    return false;
  };
}

/** blang/semver `Parse`: exactly MAJOR.MINOR.PATCH with optional pre-release/build. */
function strictSemver(text: string): number[] | undefined {
  return /^\d+\.\d+\.\d+([-+].*)?$/.test(text) ? parseSemver(text) : undefined;
}

function duration(cmp: Cmp): OperatorFn {
  const seconds = (x: unknown) => (typeof x === 'number' ? Math.trunc(x) * SECOND : undefined);
  return (key, value) => {
    let k: number | undefined;
    if (typeof key === 'number') k = seconds(key);
    else if (typeof key === 'string') k = parseGoDuration(key);
    else return false;
    if (k === undefined) return false;
    const v = typeof value === 'string' ? parseGoDuration(value) : seconds(value);
    return v !== undefined && cmp(k, v);
  };
}

const ge: Cmp = (a, b) => a >= b;
const gt: Cmp = (a, b) => a > b;
const le: Cmp = (a, b) => a <= b;
const lt: Cmp = (a, b) => a < b;

const OPERATORS: Record<string, OperatorFn> = {
  equal: equals,
  equals,
  notequal: notEquals,
  notequals: notEquals,
  in: legacyIn(false),
  notin: legacyIn(true),
  anyin: membership('anyIn'),
  allin: membership('allIn'),
  anynotin: membership('anyNotIn'),
  allnotin: membership('allNotIn'),
  greaterthanorequals: numeric(ge),
  greaterthan: numeric(gt),
  lessthanorequals: numeric(le),
  lessthan: numeric(lt),
  durationgreaterthanorequals: duration(ge),
  durationgreaterthan: duration(gt),
  durationlessthanorequals: duration(le),
  durationlessthan: duration(lt),
};

/** Operator names are matched case-insensitively, as Kyverno does. */
export function conditionOperator(name: string): OperatorFn | undefined {
  return OPERATORS[name.toLowerCase()];
}

export { IN_RANGE };
