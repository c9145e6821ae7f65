import type { KubeObject } from '../kube/objects.js';
import type { KyvernoInputs } from './rule.js';

/**
 * The parts of a `kyverno test` values file (cli.kyverno.io/v1alpha1 Values) that JMESPath rules
 * read (kyverno v1.19.0 cmd/cli/kubectl-kyverno/store/contextloader.go and variables/): dotted
 * `globalValues`, `policies[].resources[].values`, `policies[].rules[].values` and
 * `foreachValues`, `apiCallResponses` and `globalContextEntries` mocks.
 */
export interface ValuesDoc {
  globalValues?: Record<string, unknown>;
  policies?: {
    name: string;
    resources?: { name: string; values?: Record<string, unknown> }[];
    rules?: { name: string; values?: Record<string, unknown>; foreachValues?: Record<string, unknown[]> }[];
  }[];
  apiCallResponses?: {
    urlPath?: string;
    url?: string;
    method?: string;
    response?: { statusCode?: number; body?: unknown };
  }[];
  globalContextEntries?: { name: string; data?: unknown }[] | Record<string, unknown>;
}

const SPECIAL = new Set(['request.operation']);

export function kyvernoInputs(
  values: ValuesDoc,
  objects: readonly KubeObject[],
  cluster = objects.length > 0,
): KyvernoInputs {
  // A values file may list the same policy more than once; the CLI reads every entry.
  const entriesOf = (name: string) => (values.policies ?? []).filter((p) => p.name === name);
  const gce = values.globalContextEntries;
  return {
    values(policy, rule, resource) {
      const entries = entriesOf(policy);
      const merged: Record<string, unknown> = { ...(values.globalValues ?? {}) };
      for (const p of entries)
        Object.assign(merged, p.resources?.find((r) => r.name === resource.metadata.name)?.values ?? {});
      for (const p of entries) Object.assign(merged, p.rules?.find((r) => r.name === rule)?.values ?? {});
      for (const key of SPECIAL) delete merged[key];
      return merged;
    },
    foreachValues(policy, rule) {
      return Object.assign(
        {},
        ...entriesOf(policy).map((p) => p.rules?.find((r) => r.name === rule)?.foreachValues ?? {}),
      );
    },
    sources: {
      objects,
      cluster,
      apiCallResponses: (values.apiCallResponses ?? []).map((m) => ({
        url: m.urlPath ?? m.url ?? '',
        ...(m.method ? { method: m.method } : {}),
        body: m.response?.body ?? null,
        ...(m.response?.statusCode ? { statusCode: m.response.statusCode } : {}),
      })),
      globalContextEntries: Array.isArray(gce)
        ? Object.fromEntries(gce.map((e) => [e.name, e.data ?? null]))
        : (gce ?? {}),
    },
  };
}
