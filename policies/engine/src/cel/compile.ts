import { Optional } from '@marcbachmann/cel-js';
import { policyEnvironment } from './environment.js';
import { acceptAnyHasOperand } from './has-macro.js';
import { compileRe2 } from './re2.js';

/** A compiled expression: call it with the activation (object, request, variables, …). */
export type Program = (activation: Record<string, unknown>) => unknown;

export class CelCompileError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
  }
}

interface AstLike {
  op?: string;
  args?: unknown;
  meta?: { macro?: MacroLike };
  setMeta?: (key: string, value: unknown) => unknown;
}
interface MacroLike {
  functionDesc?: string;
  receiver: unknown;
  arg: unknown;
  evaluate: (ev: EvaluatorLike, macro: MacroLike, ctx: unknown) => unknown;
}
interface EvaluatorLike {
  run(ast: unknown, ctx: unknown): unknown;
}

const cache = new Map<string, Program>();

/**
 * Parses and type-checks an expression once per process (the same text in many policies shares
 * one program). Throws CelCompileError with the library's located message.
 */
export function compileExpression(expression: string): Program {
  const hit = cache.get(expression);
  if (hit) return hit;
  const env = policyEnvironment();
  let parsed: ReturnType<typeof env.parse>;
  try {
    parsed = env.parse(expression);
  } catch (err) {
    throw new CelCompileError(expression, (err as Error).message);
  }
  acceptAnyHasOperand(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) throw new CelCompileError(expression, checked.error?.message ?? 'type check failed');
  patchTree(parsed.ast as AstLike);
  const program: Program = (activation) => parsed(activation);
  cache.set(expression, program);
  return program;
}

/**
 * Two behaviours of Kyverno's cel-go environment that cel-js does differently, fixed on the
 * parsed tree:
 *  - `x.orValue(d)` (docs/design/policy-gate.md §CEL environment): on a non-optional `x` it returns `x`, and
 *    when evaluating `x` errors it returns `d`. cel-js implements orValue as a macro, so we swap
 *    the macro's evaluate hook.
 *  - `s.matches(re)` uses Go RE2 syntax (docs/design/policy-gate.md §CEL environment: `(?i)`,
 *  `(?P<n>…)`, no look-around),
 *    which JavaScript's RegExp does not accept as is.
 */
function patchTree(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) patchTree(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const ast = node as AstLike;
  const macro = ast.meta?.macro;
  if (macro?.functionDesc === 'optional.orValue(value)') {
    macro.evaluate = (ev, m, ctx) => {
      let value: unknown;
      try {
        value = ev.run(m.receiver, ctx);
      } catch {
        return ev.run(m.arg, ctx);
      }
      if (value instanceof Optional) return value.hasValue() ? value.value() : ev.run(m.arg, ctx);
      return value;
    };
  }
  if (
    ast.op === 'rcall' &&
    Array.isArray(ast.args) &&
    ast.args[0] === 'matches' &&
    ast.args[2]?.length === 1
  ) {
    const [, receiver, [pattern]] = ast.args as [string, unknown, unknown[]];
    ast.setMeta?.('evaluate', (ev: EvaluatorLike, _ast: unknown, ctx: unknown) => {
      const text = ev.run(receiver, ctx);
      const re = ev.run(pattern, ctx);
      if (typeof text !== 'string' || typeof re !== 'string') throw new Error('no such overload: matches');
      return compileRe2(re).test(text);
    });
  }
  if ('args' in ast) patchTree(ast.args);
}
