import { query } from './query.js';
import { ruleError } from './rule-error.js';
import type { ForeachSpec, Response, State, ValidatorSpec } from './validator.js';

/**
 * `foreach` (kyverno v1.19.0 validate_resource.go validateForEach/validateElements and
 * pkg/engine/utils/foreach.go): `list` is a JMESPath query over the context (an "Unknown key"
 * skips that foreach entry); each non-null element is bound to `element`/`elementIndex` and
 * `element<N>`/`elementIndex<N>` (N = nesting depth); `elementScope` (default: the element is a
 * map) makes the element the pattern root. Element preconditions that are false, or that error,
 * skip the element; the first element that fails or errors decides, prefixed
 * "validation failure: ". No element applied ⇒ no response at all.
 */
type Validate = (spec: ValidatorSpec, state: State, loadEntries: boolean) => Response | undefined;

export function validateForEach(list: ForeachSpec[], state: State, validate: Validate): Response | undefined {
  let applied = 0;
  let listError: unknown;
  for (const foreach of list) {
    let elements: unknown[];
    try {
      const value = query(foreach.list, state.ctx.data);
      elements = Array.isArray(value) ? value : [value];
    } catch (err) {
      if ((err as Error).message.includes('Unknown key')) continue;
      listError = err;
      continue;
    }
    const [response, count] = validateElements(foreach, elements, state, validate);
    if (response.status !== 'pass') return response;
    applied += count;
  }
  if (applied === 0) return listError ? ruleError('failed to evaluate list', listError) : undefined;
  return { status: 'pass', message: 'rule passed' };
}

function validateElements(
  foreach: ForeachSpec,
  elements: unknown[],
  state: State,
  validate: Validate,
): [Response, number] {
  let applied = 0;
  const saved = { ...state.ctx.data };
  try {
    for (const [index, element] of elements.entries()) {
      if (element === null || element === undefined) continue;
      // Each element starts from the context as it was before the loop (Kyverno Checkpoint/Reset).
      const data: Record<string, unknown> = { ...saved };
      data.element = element;
      data.elementIndex = index;
      data[`element${state.nesting}`] = element;
      data[`elementIndex${state.nesting}`] = index;
      for (const [key, values] of Object.entries(state.foreachValues)) {
        if (Array.isArray(values)) data[key] = values[index] ?? null;
      }
      const isMap = typeof element === 'object' && !Array.isArray(element);
      if (foreach.elementScope === true && !isMap) {
        return [
          ruleError(
            'failed to process foreach',
            new Error(
              `cannot use elementScope=true foreach rules for elements that are not maps, expected type=map got type=${Array.isArray(element) ? '[]interface {}' : typeof element}`,
            ),
          ),
          applied,
        ];
      }
      const scoped = foreach.elementScope ?? isMap;
      const child: State = {
        ...state,
        ctx: { ...state.ctx, data },
        nesting: state.nesting + 1,
        ...(scoped ? { resource: element, element } : {}),
      };
      const spec: ValidatorSpec = { ...foreach, foreach: nestedOf(foreach) };
      const r = validate(spec, child, true);
      if (!r || r.status === 'skip') continue;
      if (r.status !== 'pass') {
        if (r.status === 'error' && r.message.includes('failed to evaluate preconditions')) continue;
        return [{ status: r.status, message: `validation failure: ${r.message}` }, applied];
      }
      applied++;
    }
  } finally {
    state.ctx.data = saved;
  }
  return [{ status: 'pass', message: '' }, applied];
}

function nestedOf(foreach: ForeachSpec): ForeachSpec[] {
  const nested = (foreach as { foreach?: unknown }).foreach;
  return Array.isArray(nested) ? (nested as ForeachSpec[]) : [];
}
