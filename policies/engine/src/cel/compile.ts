import { Optional } from '@marcbachmann/cel-js';
import { policyEnvironment } from './environment.js';

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
  args?: unknown;
  meta?: { macro?: MacroLike };
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
  const checked = parsed.check();
  if (!checked.valid) throw new CelCompileError(expression, checked.error?.message ?? 'type check failed');
  patchOrValue(parsed.ast as AstLike);
  const program: Program = (activation) => parsed(activation);
  cache.set(expression, program);
  return program;
}

/**
 * Kyverno compat quirk (semantics digest §11, §15.13): `x.orValue(d)` on a non-optional `x`
 * returns `x`, and when evaluating `x` errors it returns `d`. cel-js implements orValue as a
 * macro, so we swap the macro's evaluate hook on the parsed tree.
 */
function patchOrValue(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) patchOrValue(n);
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
  if ('args' in ast) patchOrValue(ast.args);
}
