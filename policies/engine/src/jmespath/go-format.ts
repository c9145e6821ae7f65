/**
 * Go value formatting and parsing that Kyverno's results depend on: `fmt.Sprint` of a float64
 * (In-family operators compare the printed forms), `strconv.FormatFloat(v, 'E', -1, 64)` (pattern
 * equality globs the printed form), and `time.ParseDuration` (Go stdlib `time/format.go`).
 */

/** Shortest round-trip digits and decimal exponent of a finite, non-zero number. */
function digits(v: number): { mantissa: string; exp: number } {
  const [m, e] = Math.abs(v).toExponential().split('e') as [string, string];
  return { mantissa: m.replace('.', ''), exp: Number(e) };
}

function withExponent(v: number, e: 'e' | 'E'): string {
  const { mantissa, exp } = digits(v);
  const sign = v < 0 ? '-' : '';
  const frac = mantissa.length > 1 ? `.${mantissa.slice(1)}` : '';
  const x = Math.abs(exp);
  return `${sign}${mantissa[0]}${frac}${e}${exp < 0 ? '-' : '+'}${x < 10 ? `0${x}` : x}`;
}

/** Go `fmt.Sprint(float64)`: `%g` with the shortest precision (exponent form below 1e-4 or from 1e6). */
export function goFloatString(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { exp } = digits(v);
  // strconv %g with the shortest precision switches to exponent form at 1e-4 / 1e6.
  if (exp < -4 || exp >= 6) return withExponent(v, 'e');
  return String(v);
}

/** Go `strconv.FormatFloat(v, 'E', -1, 64)`. */
export function goFloatE(v: number): string {
  if (v === 0) return '0E+00';
  if (!Number.isFinite(v)) return goFloatString(v);
  return withExponent(v, 'E');
}

/** Go `fmt.Sprint(x)` for JSON values (maps and lists as Go prints them: `map[k:v]`, `[a b]`). */
export function goSprint(x: unknown): string {
  if (x === null || x === undefined) return '<nil>';
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return goFloatString(x);
  if (typeof x === 'boolean') return String(x);
  if (Array.isArray(x)) return `[${x.map(goSprint).join(' ')}]`;
  const entries = Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `map[${entries.map(([k, v]) => `${k}:${goSprint(v)}`).join(' ')}]`;
}

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go `time.ParseDuration`, in nanoseconds; undefined where Go returns an error. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (s !== '') {
    const m = part.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = UNITS[m[3]!];
    if (unit === undefined) return undefined;
    total += Number(`${m[1] || '0'}.${m[2] ?? ''}0`) * unit;
    s = s.slice(m[0].length);
  }
  return sign * Math.round(total);
}

/** Go `time.Duration.String()` (`1h2m3s`, `1.5s`, `300ms`, `0s`). */
export function formatGoDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const neg = nanos < 0;
  let n = Math.abs(nanos);
  let out: string;
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFloat(n / (div as number))}${unit}`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const s = `${trimFloat(n / 1e9)}s`;
    out = h ? `${h}h${m}m${s}` : m ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFloat(x: number): string {
  return String(Number(x.toFixed(9)));
}
