/**
 * What a PromQL query reads, from the official Prometheus grammar (`@prometheus-io/lezer-promql`,
 * the parser the Prometheus UI uses): every series selector with its label matchers, and every
 * `by (…)` grouping with the selectors it aggregates. A query the grammar rejects is an error, so
 * the provenance check fails closed instead of guessing.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  /** The metric name, from the identifier or an equality `__name__` matcher. */
  metric: string | undefined;
  matchers: Matcher[];
}

export interface Grouping {
  labels: string[];
  /** The selectors aggregated directly (not through another aggregation). */
  selectors: Selector[];
}

export interface ParsedQuery {
  selectors: Selector[];
  groupings: Grouping[];
}

export class PromqlError extends Error {}

const OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** A PromQL string literal's value: JSON-like escapes in `"…"` and `'…'`, none in backticks. */
function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/**
 * Parsed queries by text: the four scenarios of a rehearsal read the same queries, so each is
 * parsed once. Callers only read the result; a rejected query is remembered as its error.
 * Bounded so a long-lived process (the bench) cannot grow it without limit.
 */
const parsed = new Map<string, ParsedQuery | PromqlError>();
const MAX_PARSED = 2000;

export function parsePromql(query: string): ParsedQuery {
  let result = parsed.get(query);
  if (!result) {
    try {
      result = parseUncached(query);
    } catch (e) {
      if (!(e instanceof PromqlError)) throw e;
      result = e;
    }
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(query, result);
  }
  if (result instanceof PromqlError) throw result;
  return result;
}

function parseUncached(query: string): ParsedQuery {
  const tree = parser.parse(query);
  const errors: number[] = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push(n.from);
    },
  });
  if (errors.length > 0) {
    const at = errors[0] ?? 0;
    throw new PromqlError(`PromQL syntax error at offset ${at}: …${query.slice(at, at + 30)}`);
  }
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);

  const selector = (node: SyntaxNode): Selector => {
    const identifier = node.getChild('Identifier');
    const matchers: Matcher[] = [];
    const list = node.getChild('LabelMatchers');
    for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
      if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
      const name = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
      const op = m.getChild('MatchOp')?.firstChild;
      const value = m.getChild('StringLiteral');
      if (!name || !op || !value) throw new PromqlError(`unreadable label matcher: ${text(m)}`);
      const label = name.name === 'QuotedLabelName' ? unquote(text(name)) : text(name);
      matchers.push({ label, op: OPS[op.name] ?? '=', value: unquote(text(value)) });
    }
    // A bare quoted name (`{"metric_name"}`) is the metric name in Prometheus 3.
    for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
      if (m.name === 'QuotedLabelName')
        matchers.push({ label: '__name__', op: '=', value: unquote(text(m)) });
    }
    const byName = matchers.find((m) => m.label === '__name__' && m.op === '=');
    return {
      metric: identifier ? text(identifier) : byName?.value,
      matchers: matchers.filter((m) => m !== byName),
    };
  };

  const selectors: Selector[] = [];
  const groupings: Grouping[] = [];
  /** Walks `node`, returning the selectors it reads outside nested aggregations. */
  const walk = (node: SyntaxNode): Selector[] => {
    if (node.name === 'VectorSelector') {
      const s = selector(node);
      selectors.push(s);
      return [s];
    }
    const direct: Selector[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) direct.push(...walk(c));
    if (node.name !== 'AggregateExpr') return direct;
    const modifier = node.getChild('AggregateModifier');
    if (modifier?.getChild('By')) {
      const labels = (modifier.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map(text);
      groupings.push({ labels, selectors: direct });
    }
    return [];
  };
  walk(tree.topNode);
  return { selectors, groupings };
}

/** One parsed query as plain JSON: a selector is `[metric or null, [label, op, value]…]`; a
 * grouping `[labels, indices into the selectors]` (its selectors are the query's own objects). */
type SelectorJson = [string | null, [string, MatchOp, string][]];
type QueryJson = [SelectorJson[], [string[], number[]][]];

/**
 * The queries parsed so far in this process (not the rejected ones), as plain JSON, so that a
 * later process can start with them (`rememberParsedQueries`): parsing the ~100 distinct queries
 * of a render cold takes 80–110 ms against 17 ms warm (docs/rehearsal.md "Cost"). Whoever keeps
 * them must key them by this module's code and the grammar's version; the render keeps them beside
 * the rehearsal's bundle, whose name hashes both (generators/src/render/rehearsal-bundle.ts).
 */
export function parsedQueries(): [string, QueryJson][] {
  const out: [string, QueryJson][] = [];
  for (const [query, result] of parsed) {
    if (result instanceof PromqlError) continue;
    const index = new Map(result.selectors.map((s, i) => [s, i]));
    out.push([
      query,
      [
        result.selectors.map((s) => [s.metric ?? null, s.matchers.map((m) => [m.label, m.op, m.value])]),
        result.groupings.map((g) => [g.labels, g.selectors.map((s) => index.get(s)!)]),
      ],
    ]);
  }
  return out;
}

const MATCH_OPS = new Set<unknown>(Object.values(OPS));
const isString = (v: unknown): v is string => typeof v === 'string';

/** One query from `parsedQueries`, or undefined when the JSON is not of that shape. */
function fromJson(json: unknown): ParsedQuery | undefined {
  if (!Array.isArray(json) || json.length !== 2) return undefined;
  const [selectorsJson, groupingsJson] = json as unknown[];
  if (!Array.isArray(selectorsJson) || !Array.isArray(groupingsJson)) return undefined;
  const selectors: Selector[] = [];
  for (const s of selectorsJson) {
    if (!Array.isArray(s) || s.length !== 2 || !(s[0] === null || isString(s[0])) || !Array.isArray(s[1]))
      return undefined;
    const matchers: Matcher[] = [];
    for (const m of s[1] as unknown[]) {
      if (!Array.isArray(m) || m.length !== 3 || !isString(m[0]) || !MATCH_OPS.has(m[1]) || !isString(m[2]))
        return undefined;
      matchers.push({ label: m[0], op: m[1] as MatchOp, value: m[2] });
    }
    selectors.push({ metric: s[0] ?? undefined, matchers });
  }
  const groupings: Grouping[] = [];
  for (const g of groupingsJson) {
    if (!Array.isArray(g) || g.length !== 2 || !Array.isArray(g[0]) || !Array.isArray(g[1])) return undefined;
    if (!(g[0] as unknown[]).every(isString)) return undefined;
    const own: Selector[] = [];
    for (const i of g[1] as unknown[]) {
      const s = typeof i === 'number' ? selectors[i] : undefined;
      if (!s) return undefined;
      own.push(s);
    }
    groupings.push({ labels: g[0] as string[], selectors: own });
  }
  return { selectors, groupings };
}

/**
 * Starts the memo with queries a previous process parsed (`parsedQueries`). Entries not of that
 * shape are skipped (they are parsed again when asked for); returns how many were taken.
 */
export function rememberParsedQueries(entries: unknown): number {
  if (!Array.isArray(entries)) return 0;
  let taken = 0;
  for (const entry of entries) {
    if (parsed.size >= MAX_PARSED) break;
    if (!Array.isArray(entry) || entry.length !== 2 || !isString(entry[0]) || parsed.has(entry[0])) continue;
    const query = fromJson(entry[1]);
    if (!query) continue;
    parsed.set(entry[0], query);
    taken++;
  }
  return taken;
}
