import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * The `kyverno test` file (cli.kyverno.io/v1alpha1 Test, kyverno-test.yaml): policies,
 * resources, exceptions, a values file (`variables:`) and a context file, and the expected
 * results. The older `resource:`/`status:` spellings are still accepted, as the CLI does.
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
  results: z.array(resultSchema).default([]),
  /** Mocked apiCall responses for JMESPath context entries (`url`/`urlPath`, `method`, `response`). */
  apiCallResponses: z.array(z.record(z.string(), z.unknown())).default([]),
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
  results: ExpectedResult[];
  apiCallResponses: Record<string, unknown>[];
}

export class TestFileError extends Error {}

export function readTestFile(file: string): TestFile {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TestFileError(`${file}: ${(err as Error).message}`);
  }
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
  return {
    file,
    name: t.metadata?.name ?? t.name ?? file,
    policies: t.policies.map(abs),
    resources: t.resources.map(abs),
    oldResources: t.oldResources.map(abs),
    exceptions: t.exceptions.map(abs),
    ...(values ? { values: abs(values) } : {}),
    ...(t.context ? { context: abs(t.context) } : {}),
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
