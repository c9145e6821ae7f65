import { conditionOperator } from './operators.js';
import { type SubstitutionContext, substituteAll } from './substitute.js';

/**
 * preconditions and deny conditions (kyverno v1.19.0 pkg/engine/variables/evaluate.go):
 * `{any, all}` (an `any` list that is present but has no true condition is false; both present
 * means AND) or a legacy bare list (all). Key and value are substituted first; a substitution
 * error or an unknown operator is an error. Returns the messages of the deciding conditions.
 */
export interface ConditionOutcome {
  result: boolean;
  message: string;
}

export class ConditionError extends Error {}

interface Condition {
  key?: unknown;
  operator?: string;
  value?: unknown;
  message?: string;
}

const join = (parts: (string | undefined)[], sep: string) => parts.filter((p) => p).join(sep);

export function evaluateConditions(conditions: unknown, ctx: SubstitutionContext): ConditionOutcome {
  if (conditions === undefined || conditions === null) return { result: true, message: '' };
  if (Array.isArray(conditions)) {
    const trueMessages: string[] = [];
    for (const c of conditions as Condition[]) {
      const [ok, msg] = evaluate(c, ctx);
      if (!ok) return { result: false, message: msg };
      trueMessages.push(msg);
    }
    return { result: true, message: join(trueMessages, ';') };
  }
  if (typeof conditions !== 'object') throw new ConditionError('invalid condition');
  const { any, all } = conditions as { any?: Condition[] | null; all?: Condition[] | null };
  let anyResult = true;
  const falseMessages: string[] = [];
  const trueMessages: string[] = [];
  if (any !== undefined && any !== null) {
    anyResult = false;
    for (const c of any) {
      const [ok, msg] = evaluate(c, ctx);
      if (ok) {
        anyResult = true;
        trueMessages.push(msg);
        break;
      }
      falseMessages.push(msg);
    }
  }
  let allResult = true;
  for (const c of all ?? []) {
    const [ok, msg] = evaluate(c, ctx);
    if (!ok) {
      allResult = false;
      falseMessages.push(msg);
      break;
    }
    trueMessages.push(msg);
  }
  const result = anyResult && allResult;
  return { result, message: join(result ? trueMessages : falseMessages, '; ') };
}

function evaluate(condition: Condition, ctx: SubstitutionContext): [boolean, string] {
  let key: unknown;
  let value: unknown;
  try {
    key = substituteAll(condition.key ?? null, ctx);
  } catch (err) {
    throw new ConditionError(`failed to substitute variables in condition key: ${(err as Error).message}`);
  }
  try {
    value = substituteAll(condition.value ?? null, ctx);
  } catch (err) {
    throw new ConditionError(`failed to substitute variables in condition value: ${(err as Error).message}`);
  }
  const op = conditionOperator(String(condition.operator ?? ''));
  if (!op)
    throw new ConditionError(`failed to create handler for condition operator ${String(condition.operator)}`);
  return [op(key, value), condition.message ?? ''];
}
