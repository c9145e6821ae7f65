import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import jmespath, { type JSONValue } from '@jmespath-community/jmespath';
import { parse as parseYamlText } from 'yaml';
import { compileRe2 } from '../cel/re2.js';
import { wildcardMatch } from '../kube/wildcard.js';
import { formatGoDuration, goFloatString, parseGoDuration } from './go-format.js';
import { formatQuantity, isBinaryQuantity, Quantity } from './quantity-format.js';
import { registerTimeFunctions } from './time-functions.js';

/**
 * Kyverno's custom JMESPath functions (kyverno v1.19.0 pkg/engine/jmespath/functions.go and
 * arithmetic.go), registered on top of the jmespath-community built-ins. Kyverno's own `items`,
 * `replace`, `split` and `sum` replace the built-ins of the same name, as in Kyverno.
 */
const { TYPE_ANY, TYPE_ARRAY, TYPE_NUMBER, TYPE_OBJECT, TYPE_STRING } = jmespath;

type Fn = (args: JSONValue[]) => JSONValue;

export class FunctionError extends Error {}

let registered = false;

export function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  const def = (name: string, types: number[][], fn: Fn, variadic = false) => {
    jmespath.registerFunction(
      name,
      fn as Parameters<typeof jmespath.registerFunction>[1],
      types.map((t, i) => ({ types: t, ...(variadic && i === types.length - 1 ? { variadic: true } : {}) })),
      { override: true },
    );
  };
  const S = [TYPE_STRING];
  const N = [TYPE_NUMBER];
  const A = [TYPE_ANY];
  const str = (v: JSONValue) => v as string;

  def('compare', [S, S], ([a, b]) => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0));
  def('equal_fold', [S, S], ([a, b]) => str(a).toLowerCase() === str(b).toLowerCase());
  def('replace', [S, S, S, N], ([s, o, n, count]) =>
    goReplace(str(s), str(o), str(n), Math.trunc(count as number)),
  );
  def('replace_all', [S, S, S], ([s, o, n]) => goReplace(str(s), str(o), str(n), -1));
  def('to_upper', [S], ([s]) => str(s).toUpperCase());
  def('to_lower', [S], ([s]) => str(s).toLowerCase());
  def('trim', [S, S], ([s, cut]) => goTrim(str(s), str(cut)));
  def('trim_prefix', [S, S], ([s, p]) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)));
  def('split', [S, S], ([s, sep]) => (str(sep) === '' ? [...str(s)] : str(s).split(str(sep))));
  def('regex_replace_all', [S, A, A], ([re, src, repl]) =>
    textOf(src, 'regex_replace_all', 2).replace(
      compileRe2(str(re), true),
      goExpandTemplate(textOf(repl, 'regex_replace_all', 3)),
    ),
  );
  def('regex_replace_all_literal', [S, A, A], ([re, src, repl]) => {
    const literal = textOf(repl, 'regex_replace_all_literal', 3);
    return textOf(src, 'regex_replace_all_literal', 2).replace(compileRe2(str(re), true), () => literal);
  });
  def('regex_match', [S, A], ([re, src]) => compileRe2(str(re)).test(textOf(src, 'regex_match', 2)));
  def('pattern_match', [S, A], ([p, src]) => wildcardMatch(str(p), textOf(src, 'pattern_match', 2)));
  def('label_match', [[TYPE_OBJECT], [TYPE_OBJECT]], ([selector, labels]) => {
    const l = labels as Record<string, JSONValue>;
    return Object.entries(selector as Record<string, JSONValue>).every(
      ([k, v]) => Object.hasOwn(l, k) && JSON.stringify(l[k]) === JSON.stringify(v),
    );
  });
  def('to_boolean', [S], ([s]) => {
    const v = str(s).toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new FunctionError(
      `JMESPath function 'to_boolean': lowercase argument must be 'true' or 'false' (provided: '${str(s)}')`,
    );
  });
  def('add', [A, A], ([a, b]) => arithmetic('add', a, b));
  def('subtract', [A, A], ([a, b]) => arithmetic('subtract', a, b));
  def('multiply', [A, A], ([a, b]) => arithmetic('multiply', a, b));
  def('divide', [A, A], ([a, b]) => arithmetic('divide', a, b));
  def('modulo', [A, A], ([a, b]) => arithmetic('modulo', a, b));
  def('sum', [[TYPE_ARRAY]], ([items]) => {
    const list = items as JSONValue[];
    if (list.length === 0)
      throw new FunctionError("JMESPath function 'sum': at least one element in the array is required");
    return list.slice(1).reduce<JSONValue>((acc, x) => arithmetic('sum', acc, x), list[0]!);
  });
  def('round', [N, N], ([x, digits]) => {
    const d = digits as number;
    if (!Number.isInteger(d)) throw new FunctionError("JMESPath function 'round': length must be an integer");
    if (d < 0) throw new FunctionError("JMESPath function 'round': length must be a non-negative integer");
    const shift = 10 ** d;
    return goRound((x as number) * shift) / shift;
  });
  def('base64_decode', [S], ([s]) => {
    const text = str(s);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
      throw new FunctionError(`illegal base64 data in input: ${text}`);
    return Buffer.from(text, 'base64').toString('utf8');
  });
  def('base64_encode', [S], ([s]) => Buffer.from(str(s), 'utf8').toString('base64'));
  def('path_canonicalize', [S], ([s]) => {
    const p = posix.normalize(str(s));
    return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
  });
  def('truncate', [S, N], ([s, n]) => [...str(s)].slice(0, Math.max(0, Math.trunc(n as number))).join(''));
  def('semver_compare', [S, S], ([v, range]) => semverSatisfies(str(v), str(range)));
  def('parse_json', [S], ([s]) => {
    try {
      return JSON.parse(str(s)) as JSONValue;
    } catch (err) {
      throw new FunctionError(`JMESPath function 'parse_json': ${(err as Error).message}`);
    }
  });
  def('parse_yaml', [S], ([s]) => {
    try {
      return (parseYamlText(str(s)) ?? null) as JSONValue;
    } catch (err) {
      throw new FunctionError(`JMESPath function 'parse_yaml': ${(err as Error).message}`);
    }
  });
  def(
    'lookup',
    [
      [TYPE_OBJECT, TYPE_ARRAY],
      [TYPE_STRING, TYPE_NUMBER],
    ],
    ([coll, key]) => {
      if (Array.isArray(coll)) {
        if (typeof key !== 'number' || !Number.isInteger(key))
          throw new FunctionError("JMESPath function 'lookup': argument #2 is not of type Number (integer)");
        return coll[key] ?? null;
      }
      if (typeof key !== 'string')
        throw new FunctionError("JMESPath function 'lookup': argument #2 is not of type String");
      return (coll as Record<string, JSONValue>)[key] ?? null;
    },
  );
  def('items', [[TYPE_OBJECT, TYPE_ARRAY], S, S], ([coll, keyName, valName]) => {
    const k = str(keyName);
    const v = str(valName);
    if (Array.isArray(coll)) return coll.map((value, index) => ({ [k]: index, [v]: value }));
    return Object.keys(coll as object)
      .sort()
      .map((key) => ({ [k]: key, [v]: (coll as Record<string, JSONValue>)[key]! }));
  });
  def('object_from_lists', [[TYPE_ARRAY], [TYPE_ARRAY]], ([keys, values]) => {
    const out: Record<string, JSONValue> = {};
    for (const [i, key] of (keys as JSONValue[]).entries()) {
      if (typeof key !== 'string')
        throw new FunctionError("JMESPath function 'object_from_lists': keys must be strings");
      out[key] = (values as JSONValue[])[i] ?? null;
    }
    return out;
  });
  def('image_normalize', [S], ([s]) => normalizeImage(str(s)));
  def('is_external_url', [S], ([s]) => isExternalUrl(str(s)));
  def('sha256', [S], ([s]) => createHash('sha256').update(str(s)).digest('hex'));
  def('sha1', [S], ([s]) => createHash('sha1').update(str(s)).digest('hex'));
  def('md5', [S], ([s]) => createHash('md5').update(str(s)).digest('hex'));
  for (const name of ['x509_decode', 'random']) {
    def(name, [A], () => {
      throw new FunctionError(`JMESPath function '${name}' is not supported by the offline engine`);
    });
  }
  registerTimeFunctions(def);
}

function textOf(v: JSONValue, fn: string, position: number): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloatString(v);
  throw new FunctionError(`JMESPath function '${fn}': argument #${position} is not of type String or Real`);
}

/** Go `strings.Replace` (n < 0: all). */
function goReplace(s: string, old: string, replacement: string, n: number): string {
  if (n === 0 || old === replacement) return s;
  if (old === '') {
    const chars = [...s];
    const out: string[] = [];
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || done < n) {
        out.push(replacement);
        done++;
      }
      if (i < chars.length) out.push(chars[i]!);
    }
    return out.join('');
  }
  let out = '';
  let rest = s;
  let done = 0;
  while (n < 0 || done < n) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
    done++;
  }
  return out + rest;
}

/** Go `strings.Trim(s, cutset)`. */
function goTrim(s: string, cutset: string): string {
  const set = new Set(cutset);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a]!)) a++;
  while (b > a && set.has(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
}

/** Go regexp `Expand` templates (`$1`, `${name}`) → JavaScript replacement syntax. */
function goExpandTemplate(t: string): string {
  // `$1` and `$$` mean the same in both; only the braced forms differ.
  return t.replace(/\$\{(\w+)\}/g, (_, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));
}

/** Go `math.Round`: half away from zero. */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

type Operand =
  | { kind: 'scalar'; v: number }
  | { kind: 'quantity'; q: Quantity; binary: boolean }
  | { kind: 'duration'; ns: number };

function operand(fn: string, x: JSONValue): Operand {
  if (typeof x === 'number') return { kind: 'scalar', v: x };
  if (typeof x === 'string') {
    if (Quantity.isQuantity(x))
      return { kind: 'quantity', q: Quantity.parse(x), binary: isBinaryQuantity(x) };
    const ns = parseGoDuration(x);
    if (ns !== undefined) return { kind: 'duration', ns };
  }
  throw new FunctionError(`JMESPath function '${fn}': invalid operand`);
}

/**
 * Numbers, quantities (`"1Gi"`, parsed before durations, so `"5m"` is 5 milli) and Go durations:
 * add/subtract need two of the same kind; multiply scales a quantity or duration by a number;
 * divide and modulo as in kyverno arithmetic.go.
 */
function arithmetic(fn: string, a: JSONValue, b: JSONValue): JSONValue {
  const x = operand(fn, a);
  const y = operand(fn, b);
  const mismatch = () => new FunctionError(`JMESPath function '${fn}': types mismatch`);
  const zero = () => new FunctionError(`JMESPath function '${fn}': Zero divisor passed`);
  switch (fn) {
    case 'add':
    case 'sum':
    case 'subtract': {
      const s = fn === 'subtract' ? -1 : 1;
      if (x.kind === 'scalar' && y.kind === 'scalar') return x.v + s * y.v;
      if (x.kind === 'quantity' && y.kind === 'quantity')
        return formatQuantity(s > 0 ? x.q.add(y.q) : x.q.sub(y.q), x.binary);
      if (x.kind === 'duration' && y.kind === 'duration') return formatGoDuration(x.ns + s * y.ns);
      throw mismatch();
    }
    case 'multiply': {
      const [l, r] = x.kind === 'scalar' && y.kind !== 'scalar' ? [y, x] : [x, y];
      if (r.kind !== 'scalar') throw mismatch();
      if (l.kind === 'scalar') return l.v * r.v;
      if (l.kind === 'duration') return formatGoDuration(Math.trunc(l.ns * r.v));
      return formatQuantity(scale(l.q, r.v), l.binary);
    }
    case 'divide': {
      if (x.kind === 'quantity' && y.kind === 'quantity') {
        if (y.q.nanos === 0n) throw zero();
        return x.q.asApproximateFloat() / y.q.asApproximateFloat();
      }
      if (x.kind === 'duration' && y.kind === 'duration') {
        if (y.ns === 0) throw zero();
        return x.ns / y.ns;
      }
      if (y.kind !== 'scalar') throw mismatch();
      if (y.v === 0) throw zero();
      if (x.kind === 'scalar') return x.v / y.v;
      if (x.kind === 'duration') return formatGoDuration(Math.trunc(x.ns / y.v));
      return formatQuantity(scale(x.q, 1 / y.v), x.binary);
    }
    default: {
      if (x.kind === 'scalar' && y.kind === 'scalar') {
        if (!Number.isInteger(x.v) || !Number.isInteger(y.v))
          throw new FunctionError(`JMESPath function '${fn}': Non-integer argument(s) passed for modulo`);
        if (y.v === 0) throw zero();
        return x.v % y.v;
      }
      if (x.kind === 'duration' && y.kind === 'duration') {
        if (y.ns === 0) throw zero();
        return formatGoDuration(x.ns % y.ns);
      }
      if (x.kind === 'quantity' && y.kind === 'quantity') {
        if (y.q.nanos === 0n) throw zero();
        return formatQuantity(new Quantity(x.q.nanos % y.q.nanos, ''), x.binary);
      }
      throw mismatch();
    }
  }
}

function scale(q: Quantity, factor: number): Quantity {
  const [m, e] = factor.toExponential().split('e') as [string, string];
  const digits = m.replace('.', '').replace('-', '');
  const exp = Number(e) - (digits.length - 1);
  let n = q.nanos * BigInt(digits) * (factor < 0 ? -1n : 1n);
  if (exp >= 0) n *= 10n ** BigInt(exp);
  else n /= 10n ** BigInt(-exp);
  return new Quantity(n, '');
}

/** Masterminds/semver-style range check (`>=1.2.0`, `<2`, `1.2.x`, `a || b`, comma/space = and). */
export function semverSatisfies(version: string, range: string): boolean {
  const v = parseSemver(version);
  if (!v) return false;
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .every((c) => {
        const m = /^(>=|<=|!=|>|<|=|~|\^)?v?(.+)$/.exec(c);
        if (!m) throw new FunctionError(`Could not parse Range "${range}"`);
        const op = m[1] ?? '=';
        const wild = /(^|\.)[x*X]/.test(m[2]!);
        const target = parseSemver(m[2]!.replace(/[xX*]/g, '0'));
        if (!target) throw new FunctionError(`Could not parse Range "${range}"`);
        const cmp = compareSemver(v, target);
        if (wild || op === '~' || op === '^') {
          const parts = m[2]!.split('.').filter((p) => !/^[xX*]$/.test(p)).length;
          const fixed = op === '^' ? 1 : op === '~' ? Math.min(parts, 2) : parts;
          return cmp >= 0 && v.slice(0, fixed).every((p, i) => p === target[i]);
        }
        return op === '>='
          ? cmp >= 0
          : op === '<='
            ? cmp <= 0
            : op === '>'
              ? cmp > 0
              : op === '<'
                ? cmp < 0
                : op === '!='
                  ? cmp !== 0
                  : cmp === 0;
      }),
  );
}

export function parseSemver(text: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareSemver(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Kyverno image_normalize: the reference with docker.io defaults made explicit. */
function normalizeImage(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  if (slash < 0 || (!/[.:]/.test(name.slice(0, slash)) && name.slice(0, slash) !== 'localhost')) {
    name = `docker.io/${slash < 0 ? 'library/' : ''}${name}`;
  }
  if (!name.includes('@') && !/:[\w][\w.-]*$/.test(name.slice(name.lastIndexOf('/')))) name += ':latest';
  return name;
}

function isExternalUrl(text: string): boolean {
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.local') || host.endsWith('.svc') || host.includes('.svc.'))
    return false;
  if (/^127\.|^10\.|^192\.168\.|^172\.(1[6-9]|2\d|3[01])\.|^169\.254\.|^0\./.test(host)) return false;
  if (host === '[::1]' || /^\[f[cd]/i.test(host)) return false;
  return true;
}

export { goFloatString };
