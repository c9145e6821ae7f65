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

export function kyvernoInputs(values: ValuesDoc, objects: readonly KubeObject[]): KyvernoInputs {
  const policyOf = (name: string) => values.policies?.find((p) => p.name === name);
  const gce = values.globalContextEntries;
  return {
    values(policy, rule, resource) {
      const p = policyOf(policy);
      const merged: Record<string, unknown> = {
        ...(values.globalValues ?? {}),
        ...(p?.resources?.find((r) => r.name === resource.metadata.name)?.values ?? {}),
        ...(p?.rules?.find((r) => r.name === rule)?.values ?? {}),
      };
      for (const key of SPECIAL) delete merged[key];
      return merged;
    },
    foreachValues(policy, rule) {
      return policyOf(policy)?.rules?.find((r) => r.name === rule)?.foreachValues ?? {};
    },
    sources: {
      objects,
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
