import jmespath, { type JSONValue } from '@jmespath-community/jmespath';
import { formatGoDuration, parseGoDuration } from './go-format.js';

/**
 * Kyverno's time functions (kyverno v1.19.0 pkg/engine/jmespath/time.go). Times are RFC 3339
 * strings; Go layouts other than RFC 3339 (`2006-01-02T15:04:05Z07:00`) are refused with an
 * error rather than guessed. `time_to_cron` is not supported offline.
 */
const { TYPE_ANY, TYPE_STRING } = jmespath;
type Def = (name: string, types: number[][], fn: (args: JSONValue[]) => JSONValue) => void;

const RFC3339 = '2006-01-02T15:04:05Z07:00';

export class TimeFunctionError extends Error {}

function parseTime(fn: string, text: JSONValue, layout: string = RFC3339): Date {
  if (layout !== RFC3339 && layout !== '')
    throw new TimeFunctionError(`JMESPath function '${fn}': only the RFC 3339 layout is supported offline`);
  if (typeof text !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text))
    throw new TimeFunctionError(
      `JMESPath function '${fn}': cannot parse ${JSON.stringify(text)} as RFC 3339`,
    );
  return new Date(text);
}

function format(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

function duration(fn: string, text: JSONValue): number {
  const ns = typeof text === 'string' ? parseGoDuration(text) : undefined;
  if (ns === undefined)
    throw new TimeFunctionError(`JMESPath function '${fn}': invalid duration ${String(text)}`);
  return ns;
}

export function registerTimeFunctions(def: Def): void {
  const S = [TYPE_STRING];
  def('time_now', [], () => format(new Date()));
  def('time_now_utc', [], () => format(new Date()));
  def('time_utc', [S], ([t]) => format(parseTime('time_utc', t)));
  def('time_parse', [S, [TYPE_ANY]], ([layout, t]) => {
    if (layout === '' && typeof t === 'string' && /^\d+$/.test(t)) return format(new Date(Number(t) * 1000));
    return format(parseTime('time_parse', t, layout as string));
  });
  def('time_since', [S, S, S], ([layout, a, b]) => {
    const from = parseTime('time_since', a, layout as string);
    const to = b === '' ? new Date() : parseTime('time_since', b, layout as string);
    return formatGoDuration((to.getTime() - from.getTime()) * 1e6);
  });
  def('time_diff', [S, S], ([a, b]) =>
    formatGoDuration((parseTime('time_diff', b).getTime() - parseTime('time_diff', a).getTime()) * 1e6),
  );
  def('time_add', [S, S], ([t, d]) =>
    format(new Date(parseTime('time_add', t).getTime() + duration('time_add', d) / 1e6)),
  );
  def('time_before', [S, S], ([a, b]) => parseTime('time_before', a) < parseTime('time_before', b));
  def('time_after', [S, S], ([a, b]) => parseTime('time_after', a) > parseTime('time_after', b));
  def('time_between', [S, S, S], ([t, a, b]) => {
    const x = parseTime('time_between', t);
    return x > parseTime('time_between', a) && x < parseTime('time_between', b);
  });
  def('time_truncate', [S, S], ([t, d]) => {
    const ms = duration('time_truncate', d) / 1e6;
    const x = parseTime('time_truncate', t).getTime();
    return format(new Date(ms > 0 ? x - (x % ms) : x));
  });
  def('time_to_cron', [S], () => {
    throw new TimeFunctionError("JMESPath function 'time_to_cron' is not supported by the offline engine");
  });
}
