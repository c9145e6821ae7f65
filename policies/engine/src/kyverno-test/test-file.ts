import { readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * The `kyverno test` file (cli.kyverno.io/v1alpha1 Test, kyverno-test.yaml; kyverno v1.19.0
 * cmd/cli/kubectl-kyverno/apis/v1alpha1/test.go): policies, resources, JSON payloads,
 * exceptions, a values file (`variables:`), a context file, a user info file, cluster resources,
 * HTTP mocks (`apiCallResponses:`) and the expected results. One file may hold several Test
 * documents (test/load.go splits them). The older `resource:`/`status:` spellings are still
 * accepted, as the CLI does.
 */
const resultSchema = z
  .object({
    policy: z.string().min(1),
    rule: z.string().nullish(),
    resources: z.array(z.string()).nullish(),
    resource: z.string().nullish(),
    kind: z.string().nullish(),
    result: z.enum(['pass', 'fail', 'skip', 'error', 'warn']).nullish(),
    status: z.enum(['pass', 'fail', 'skip', 'error', 'warn']).nullish(),
    isValidatingPolicy: z.boolean().nullish(),
    isValidatingAdmissionPolicy: z.boolean().nullish(),
    resourceOperation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']).nullish(),
    operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']).nullish(),
  })
  .refine((r) => r.result || r.status, { message: 'each result needs `result:`' });

const testSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: z.object({ name: z.string() }).optional(),
  name: z.string().optional(),
  policies: z.array(z.string()).min(1),
  resources: z.array(z.string()).default([]),
  oldResources: z.array(z.string()).default([]),
  exceptions: z.array(z.string()).default([]),
  variables: z.string().nullish(),
  values: z.string().nullish(),
  context: z.string().nullish(),
  userinfo: z.string().nullish(),
  clusterResources: z.array(z.string()).default([]),
  paramResources: z.array(z.string()).default([]),
  jsonPayload: z.string().nullish(),
  jsonPayloads: z.array(z.string()).default([]),
  apiCallResponses: z
    .array(
      z.object({
        url: z.string().nullish(),
        urlPath: z.string().nullish(),
        method: z.enum(['GET', 'POST', '']).nullish(),
        response: z.object({ statusCode: z.number().int().nullish(), body: z.unknown() }),
      }),
    )
    .default([]),
  results: z.array(resultSchema).default([]),
});

export interface ExpectedResult {
  policy: string;
  rule?: string;
  resources: string[];
  kind?: string;
  result: 'pass' | 'fail' | 'skip' | 'error' | 'warn';
  /** Admission operation this expectation is about (`resourceOperation:`), else the values file's. */
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
}

export interface TestFile {
  file: string;
  name: string;
  policies: string[];
  resources: string[];
  /** Previous versions of resources, for UPDATE/DELETE (`oldResources:`). */
  oldResources: string[];
  exceptions: string[];
  values?: string;
  context?: string;
  /** A cli.kyverno.io UserInfo file: the admission request's user. */
  userinfo?: string;
  /** cli.kyverno.io ClusterResource files: a fake cluster for lookups. */
  clusterResources: string[];
  /** Objects a ValidatingAdmissionPolicyBinding's paramRef selects from. */
  paramResources: string[];
  /** JSON payloads for `evaluation.mode: JSON` policies: absolute path and result name. */
  jsonPayloads: { path: string; name: string }[];
  /** `http.Get/Post` mocks keyed `METHOD:url` or `url`, each `{body, statusCode}`. */
  httpResponses: Map<string, unknown>;
  results: ExpectedResult[];
  /** The same mocks as written, for JMESPath context `apiCall` entries (`url`/`urlPath`, `method`, `response`). */
  apiCallResponses: Record<string, unknown>[];
}

export class TestFileError extends Error {}

/** Every Test document of a kyverno-test.yaml (usually one). */
export function readTestFile(file: string): TestFile[] {
  let docs: unknown[];
  try {
    docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
      if (d.errors.length) throw d.errors[0];
      return d.toJS();
    });
  } catch (err) {
    throw new TestFileError(`${file}: ${(err as Error).message}`);
  }
  const tests = docs.filter((d) => d !== null && d !== undefined).map((raw) => toTestFile(file, raw));
  if (tests.length === 0) throw new TestFileError(`${file}: no Test document`);
  return tests;
}

function toTestFile(file: string, raw: unknown): TestFile {
  const parsed = testSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TestFileError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`).join('; ')}`,
    );
  }
  const t = parsed.data;
  const dir = dirname(file);
  const abs = (p: string) => resolve(dir, p);
  const values = t.variables ?? t.values;
  // test/load.go cleanTest: jsonPayload folds into jsonPayloads, names are path.Clean'ed and
  // deduplicated, and results name a payload by that cleaned name.
  const payloadNames = [...new Set([...(t.jsonPayload ? [t.jsonPayload] : []), ...t.jsonPayloads])]
    .filter((p) => p.trim() !== '')
    .map((p) => posix.normalize(p));
  return {
    file,
    name: t.metadata?.name ?? t.name ?? file,
    policies: [...new Set(t.policies)].map(abs),
    resources: [...new Set(t.resources)].map(abs),
    oldResources: t.oldResources.map(abs),
    exceptions: t.exceptions.map(abs),
    ...(values ? { values: abs(values) } : {}),
    ...(t.context ? { context: abs(t.context) } : {}),
    ...(t.userinfo ? { userinfo: abs(t.userinfo) } : {}),
    clusterResources: t.clusterResources.map(abs),
    paramResources: t.paramResources.map(abs),
    jsonPayloads: [...new Set(payloadNames)].map((name) => ({ path: abs(name), name })),
    httpResponses: httpMockIndex(t.apiCallResponses),
    apiCallResponses: t.apiCallResponses,
    results: t.results.map((r) => ({
      policy: r.policy,
      ...(r.rule ? { rule: r.rule } : {}),
      resources: [...(r.resources ?? []), ...(r.resource ? [r.resource] : [])],
      ...(r.kind ? { kind: r.kind } : {}),
      result: (r.result ?? r.status)!,
      ...(r.resourceOperation || r.operation ? { operation: (r.resourceOperation ?? r.operation)! } : {}),
    })),
  };
}

/**
 * The CLI's HTTP mock index (kyverno v1.19.0 cmd/cli/kubectl-kyverno/commands/test/test.go
 * buildHTTPMockIndex): each body is wrapped as `{body, statusCode}` (status 200 by default) and
 * keyed `METHOD:url`, or `url` when no method is given.
 */
function httpMockIndex(entries: z.infer<typeof testSchema>['apiCallResponses']): Map<string, unknown> {
  const index = new Map<string, unknown>();
  for (const e of entries) {
    const url = e.url || e.urlPath || '';
    const method = (e.method ?? '').trim().toUpperCase();
    index.set(method ? `${method}:${url}` : url, {
      body: e.response.body,
      statusCode: e.response.statusCode || 200,
    });
  }
  return index;
}
