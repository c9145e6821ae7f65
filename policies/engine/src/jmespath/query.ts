import jmespath from '@jmespath-community/jmespath';

type ExpressionNode = ReturnType<typeof jmespath.compile>;

import { registerKyvernoFunctions } from './functions.js';

/**
 * JMESPath as Kyverno evaluates it (kyverno v1.19.0 pkg/engine/jmespath, on the
 * jmespath-community dialect): the standard grammar and built-ins plus Kyverno's functions,
 * with one difference that decides statuses: a field lookup that misses on the main path of an
 * expression is an error (`Unknown key "x" in path`), not null. Inside projections, filters,
 * function arguments, comparisons, multiselects and the left side of `||`, `&&`, `!` and `|`
 * a miss stays null, which is why policies write `{{ a.b || '' }}`.
 */
export class UnknownKeyError extends Error {}
export class JmespathError extends Error {}

registerKyvernoFunctions();

const interpreter = jmespath.TreeInterpreter as unknown as {
  _rootValue: unknown;
  visit(node: ExpressionNode, value: unknown): unknown;
};
const cache = new Map<string, ExpressionNode>();

export function compileQuery(expression: string): ExpressionNode {
  let ast = cache.get(expression);
  if (!ast) {
    try {
      ast = jmespath.compile(expression);
    } catch (err) {
      throw new JmespathError(
        `invalid JMESPath query ${JSON.stringify(expression)}: ${(err as Error).message}`,
      );
    }
    // Nested variables inline values into the expression text, so keys can be per object: bound it.
    if (cache.size >= 10_000) cache.clear();
    cache.set(expression, ast);
  }
  return ast;
}

/** Evaluates `expression` over `data` with Kyverno's missing-key rule. */
export function query(expression: string, data: unknown): unknown {
  const ast = compileQuery(expression);
  interpreter._rootValue = data;
  try {
    return strict(ast, data);
  } catch (err) {
    if (err instanceof UnknownKeyError) throw err;
    throw new JmespathError(`JMESPath query failed: ${expression}: ${(err as Error).message}`);
  }
}

function strict(node: ExpressionNode, value: unknown): unknown {
  switch (node.type) {
    case 'Field':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        if (!Object.hasOwn(value, node.name)) throw new UnknownKeyError(`Unknown key "${node.name}" in path`);
        return (value as Record<string, unknown>)[node.name] ?? null;
      }
      return null;
    case 'Subexpression':
    case 'IndexExpression':
      return strict(node.right, strict(node.left, value));
    case 'Pipe':
      return strict(node.right, interpreter.visit(node.left, value));
    default:
      return interpreter.visit(node, value);
  }
}
