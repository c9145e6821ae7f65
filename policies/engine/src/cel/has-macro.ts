/**
 * `has()` over any operand. The CEL spec defines `has(e.f)` for every expression `e` (cel-spec
 * langdef.md, "Macros": "has(e.f) … e is an expression"), and cel-go (hence Kyverno) accepts
 * `has(f(x).a)` and `has(object.spec.containers[0].image)`. @marcbachmann/cel-js 8.0.0 rejects
 * them at type-check time ("has() invalid argument"): its `has` macro walks the `.` chain and
 * insists that it ends in an identifier. Its evaluator already handles any operand (it runs the
 * innermost node and then tests each field), so only the type check needs widening.
 *
 * The fix is `policies/engine/patches/cel-js-has-any-operand.patch` (a patch against the library, ready to send
 * upstream); until a release carries it, this installs the same type check on each parsed
 * `has()` node. The expression text is never rewritten. has-macro.test.ts asserts the library
 * still rejects these forms on its own, so the wrapper is dropped as soon as it is obsolete.
 */
interface CheckerLike {
  check(node: unknown, ctx: unknown): unknown;
  getType(name: string): unknown;
  createError(code: string, message: string, node: unknown): Error;
}
interface NodeLike {
  op?: string;
  args?: unknown;
  meta?: { macro?: HasMacroLike };
}
interface HasMacroLike {
  args: NodeLike[];
  macroHasProps?: NodeLike[];
  typeCheck: (checker: CheckerLike, macro: HasMacroLike, ctx: unknown) => unknown;
}

function typeCheck(checker: CheckerLike, macro: HasMacroLike, ctx: unknown): unknown {
  let node = macro.args[0]!;
  if (node.op !== '.') throw checker.createError('invalid_macro_argument', 'has() invalid argument', node);
  if (!macro.macroHasProps) {
    const props: NodeLike[] = [];
    while (node.op === '.' || node.op === '.?') {
      props.push(node);
      node = (node.args as NodeLike[])[0]!;
    }
    // The operand under the selected field may be any expression: type-check it as such.
    checker.check(node, ctx);
    props.push(node);
    macro.macroHasProps = props;
  }
  return checker.getType('bool');
}

/** Walks a parsed cel-js AST and widens every `has()` macro's type check (before `check()`). */
export function acceptAnyHasOperand(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) acceptAnyHasOperand(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const ast = node as NodeLike;
  if (ast.op === 'call' && Array.isArray(ast.args) && ast.args[0] === 'has' && ast.meta?.macro) {
    ast.meta.macro.typeCheck = typeCheck;
  }
  if ('args' in ast) acceptAnyHasOperand(ast.args);
}
