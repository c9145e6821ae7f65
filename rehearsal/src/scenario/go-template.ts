/**
 * The part of Go's text/template our ApplicationSets use: `{{.field.sub}}` actions, with
 * `missingkey=error` semantics (a missing key is an error, as argo-cd v3.5.1
 * applicationset/utils/utils.go passes goTemplateOptions to template.Option). Any other action
 * (pipelines, functions, `if`, `range`) is not evaluated: the rehearsal fails closed on it
 * rather than guess what sprig would print.
 */
export class TemplateError extends Error {}

const ACTION = /\{\{(-?)\s*([^}]*?)\s*(-?)\}\}/g;
const FIELD = /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export function renderGoTemplate(
  template: string,
  params: Record<string, unknown>,
  missingKeyError = true,
): string {
  return template.replace(ACTION, (_all, _l: string, expr: string) => {
    if (!FIELD.test(expr))
      throw new TemplateError(`unsupported template action {{${expr}}} in "${template}"`);
    let value: unknown = params;
    for (const key of expr.slice(1).split('.')) {
      if (typeof value !== 'object' || value === null || !(key in value)) {
        if (missingKeyError) throw new TemplateError(`map has no entry for key "${key}" in {{${expr}}}`);
        return '<no value>';
      }
      value = (value as Record<string, unknown>)[key];
    }
    if (typeof value === 'object' && value !== null)
      throw new TemplateError(`{{${expr}}} is a ${Array.isArray(value) ? 'list' : 'map'}, not a value`);
    return String(value);
  });
}

/** Every string in a JSON value rendered through `renderGoTemplate` (Argo CD templates the whole Application). */
export function renderDeep<T>(value: T, params: Record<string, unknown>, missingKeyError = true): T {
  if (typeof value === 'string') return renderGoTemplate(value, params, missingKeyError) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, params, missingKeyError)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, params, missingKeyError);
    return out as T;
  }
  return value;
}
