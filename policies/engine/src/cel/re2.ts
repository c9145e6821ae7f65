/**
 * Go RE2 syntax → JavaScript RegExp (docs/design/policy-gate.md §CEL environment). RE2 has no look-around or
 * back-references (we reject them, as Go's regexp.Compile would), names groups `(?P<n>…)`,
 * and allows leading inline flags `(?i)`, `(?s)`, `(?m)`. Compiled patterns are cached:
 * policies reuse the same few literals for every object.
 */
const cache = new Map<string, RegExp>();

export class Re2Error extends Error {}

export function compileRe2(pattern: string, global = false): RegExp {
  const key = `${global ? 'g' : ''}:${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let source = pattern;
  let flags = global ? 'gu' : 'u';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    source = source.slice(lead[0].length);
    for (const f of lead[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
  }
  if (/\(\?<?[=!]/.test(source))
    throw new Re2Error(`error parsing regexp: invalid or unsupported Perl syntax in ${pattern}`);
  if (/\\[1-9]/.test(source))
    throw new Re2Error(`error parsing regexp: invalid escape sequence in ${pattern}`);
  source = source
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\\z/g, '$')
    .replace(/\\A/g, '^');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    try {
      re = new RegExp(source, flags.replace('u', ''));
    } catch {
      throw new Re2Error(`error parsing regexp ${pattern}: ${(err as Error).message}`);
    }
  }
  cache.set(key, re);
  return re;
}
