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
