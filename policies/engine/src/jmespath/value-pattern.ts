import { Quantity } from '../cel/quantity.js';
import { wildcardMatch } from '../kube/wildcard.js';
import { goFloatE, parseGoDuration } from './go-format.js';

/**
 * One leaf of a `pattern` against one resource value (kyverno v1.19.0 pkg/engine/pattern and
 * pkg/engine/operator). A string pattern is first compared for equality, then split on `|` (any)
 * and `&` (all); each part may carry `>=`, `<=`, `>`, `<`, `!` or be a range `a-b` / `a!-b`, and is
 * tried as a Go duration, then as a Kubernetes quantity (a missing value counts as `0` for both),
 * then, for equality and `!` only, as a wildcard against the value printed as Go prints it.
 */
type Op = '' | '>=' | '<=' | '!' | '>' | '<' | '-' | '!-';

export const IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
export const NOT_IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

export function operatorOf(pattern: string): Op {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return '!-';
  if (IN_RANGE.test(pattern)) return '-';
  return '';
}

export function validateValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === 'boolean') return typeof value === 'boolean' && value === pattern;
  if (typeof pattern === 'number') return validateNumber(value, pattern);
  if (pattern === null || pattern === undefined) return validateNil(value);
  if (typeof pattern === 'string') return validateStringPatterns(value, pattern);
  if (Array.isArray(pattern)) return false;
  if (typeof pattern === 'object')
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  return false;
}

function validateNumber(value: unknown, pattern: number): boolean {
  if (typeof value === 'number') return value === pattern;
  if (typeof value === 'string') {
    const n = goParseFloat(value);
    return n !== undefined && n === pattern;
  }
  return false;
}

function validateNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'string') return value === '';
  if (typeof value === 'boolean') return !value;
  return false;
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alt) =>
    alt
      .trim()
      .split('&')
      .every((part) => validateStringPattern(value, part.trim())),
  );
}

function validateStringPattern(value: unknown, pattern: string): boolean {
  const op = operatorOf(pattern);
  if (op === '-') {
    const m = IN_RANGE.exec(pattern);
    return !!m && validateStringPattern(value, `>= ${m[1]}`) && validateStringPattern(value, `<= ${m[2]}`);
  }
  if (op === '!-') {
    const m = NOT_IN_RANGE.exec(pattern);
    return !!m && (validateStringPattern(value, `< ${m[1]}`) || validateStringPattern(value, `> ${m[2]}`));
  }
  const rest = pattern.slice(op.length).trim();
  const duration = compareDuration(value, rest, op);
  if (duration !== undefined) return duration;
  const quantity = compareQuantity(value, rest, op);
  if (quantity !== undefined) return quantity;
  return compareString(value, rest, op);
}

/** Go `convertNumberToString`: null is "0", floats print with six decimals. */
function numberText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toFixed(6);
  return undefined;
}

function compare(cmp: number, op: Op): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}

function compareDuration(value: unknown, pattern: string, op: Op): boolean | undefined {
  const p = parseGoDuration(pattern);
  if (p === undefined) return undefined;
  const text = numberText(value);
  if (text === undefined) return undefined;
  const v = parseGoDuration(text);
  if (v === undefined) return undefined;
  return compare(Math.sign(v - p), op);
}

function compareQuantity(value: unknown, pattern: string, op: Op): boolean | undefined {
  let p: Quantity;
  let v: Quantity;
  try {
    p = Quantity.parse(pattern);
    const text = numberText(value);
    if (text === undefined) return undefined;
    v = Quantity.parse(text);
  } catch {
    return undefined;
  }
  return compare(v.compareTo(p), op);
}

function compareString(value: unknown, pattern: string, op: Op): boolean {
  if (op !== '' && op !== '!') return false;
  let text: string;
  if (typeof value === 'number') text = goFloatE(value);
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = String(value);
  else return false;
  const matched = wildcardMatch(pattern, text);
  return op === '!' ? !matched : matched;
}

/** Go `strconv.ParseFloat` (decimal and exponent forms, `inf`, `nan`; no hex here). */
export function goParseFloat(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  return undefined;
}
