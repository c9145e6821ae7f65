import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildEnvironment } from '../evaluate/environment.js';
import { evaluateObjects } from '../evaluate/evaluate.js';
import type { Operation, RuleResult } from '../evaluate/types.js';
import type { ValuesDoc } from '../jmespath/test-values.js';
import { type KubeObject, normalizeObject } from '../kube/objects.js';
import { ResourceMap } from '../kube/resource-map.js';
import { readObjects } from '../load/objects.js';
import { emptyPolicySet, loadPolicyFiles } from '../policy/policy-set.js';
import { readTestFile, type TestFile } from './test-file.js';

/** One row of `kyverno test` output: an expected result checked against one resource. */
export interface TestRow {
  test: string;
  policy: string;
  rule: string;
  resource: string;
  kind: string;
  expected: string;
  actual: string;
  /** pass/fail as `kyverno test` counts it; `excluded` = no response, not checked (digest §13). */
  verdict: 'pass' | 'fail' | 'excluded';
  reason: string;
  message?: string;
}

interface ValuesFile {
  namespaceSelector?: { name: string; labels?: Record<string, string> }[];
  namespaces?: KubeObject[];
  globalValues?: Record<string, unknown>;
  policies?: { name: string; resources?: { name: string; values?: Record<string, unknown> }[] }[];
}

/**
 * Runs one kyverno-test.yaml with `kyverno test` semantics (semantics digest §13):
 * resources are matched by name (or namespace/name) regardless of kind, falling back to all
 * resources when no listed name exists; a policy that gave no response for a resource is
 * reported as `pass` ("Excluded") and not checked; a policy name that is not loaded fails.
 */
export function runTestFile(path: string): TestRow[] {
  const test = readTestFile(path);
  const resources = new ResourceMap();
  const set = loadPolicyFiles(test.policies, emptyPolicySet());
  loadPolicyFiles(test.exceptions, set);
  const objects = dedupe(
    test.resources.flatMap((f) => readObjects(f)).map((o) => normalizeObject(o, resources)),
  );
  const values = test.values ? (parse(readFileSync(test.values, 'utf8')) as ValuesFile) : {};
  const context = test.context
    ? (parse(readFileSync(test.context, 'utf8')) as { spec?: { resources?: KubeObject[] } })
    : {};
  const namespaceLabels = Object.fromEntries(
    (values.namespaceSelector ?? []).map((n) => [n.name, n.labels ?? {}]),
  );
  const env = buildEnvironment(objects, {
    resources,
    namespaceLabels,
    namespaces: values.namespaces ?? [],
    lookupObjects: (context.spec?.resources ?? []).map((o) => normalizeObject(o, resources)),
    values: {
      ...(values as ValuesDoc),
      apiCallResponses: [
        ...((values as ValuesDoc).apiCallResponses ?? []),
        ...(test.apiCallResponses as NonNullable<ValuesDoc['apiCallResponses']>),
      ],
    },
  });
  const oldObjects = test.oldResources
    .flatMap((f) => readObjects(f))
    .map((o) => normalizeObject(o, resources));
  const oldObjectFor = (o: KubeObject) =>
    oldObjects.find(
      (old) =>
        old.kind === o.kind &&
        old.metadata.name === o.metadata.name &&
        old.metadata.namespace === o.metadata.namespace,
    );
  // One evaluation per admission operation the expectations need (the CLI re-runs per operation).
  const byOperation = new Map<Operation, RuleResult[]>();
  const resultsFor = (operation: Operation) => {
    let results = byOperation.get(operation);
    if (!results) {
      results = evaluateObjects(set, objects, env, { operation, oldObjectFor, unknownKinds: 'namespaced' });
      byOperation.set(operation, results);
    }
    return results;
  };
  return compare(
    test,
    objects,
    resultsFor,
    operationResolver(values),
    new Set(set.policies.map((p) => p.name)),
  );
}

type OperationResolver = (policy: string, object: KubeObject) => Operation;

/** Values file: per policy and resource `request.operation`, else `globalValues`, else CREATE. */
function operationResolver(values: ValuesFile): OperationResolver {
  const global = values.globalValues?.['request.operation'] as Operation | undefined;
  const perResource = new Map<string, Operation>();
  for (const p of values.policies ?? []) {
    for (const r of p.resources ?? []) {
      const op = r.values?.['request.operation'] as Operation | undefined;
      if (op) perResource.set(`${p.name}\u0000${r.name}`, op);
    }
  }
  return (policy, o) => perResource.get(`${policy}\u0000${o.metadata.name ?? ''}`) ?? global ?? 'CREATE';
}

/** The CLI drops exact duplicates (same apiVersion/kind/namespace/name) with a warning. */
function dedupe(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
    if (seen.has(key)) {
      process.stderr.write(`warning: duplicate resource ${key} ignored\n`);
      return false;
    }
    seen.add(key);
    return true;
  });
}

function compare(
  test: TestFile,
  objects: KubeObject[],
  resultsFor: (operation: Operation) => RuleResult[],
  operationOf: OperationResolver,
  loaded: Set<string>,
): TestRow[] {
  const rows: TestRow[] = [];
  for (const expected of test.results) {
    const policyName = expected.policy.includes('/') ? expected.policy.split('/').at(-1)! : expected.policy;
    const rule = expected.rule ?? '';
    const base = {
      test: test.file,
      policy: expected.policy,
      rule,
      kind: expected.kind ?? '',
      expected: expected.result,
    };
    if (!loaded.has(policyName)) {
      rows.push({
        ...base,
        resource: expected.resources.join(','),
        actual: '',
        verdict: 'fail',
        reason: 'Not found',
      });
      continue;
    }
    const named = objects.filter((o) => expected.resources.some((r) => nameMatches(r, o)));
    const targets = named.length > 0 ? named : objects;
    for (const object of targets) {
      const operation = expected.operation ?? operationOf(policyName, object);
      const response = resultsFor(operation).find(
        (r) => r.resource === object && r.policy === policyName && ruleMatches(rule, r),
      );
      const resource = object.metadata.namespace
        ? `${object.metadata.namespace}/${object.metadata.name}`
        : String(object.metadata.name);
      if (!response) {
        rows.push({
          ...base,
          resource,
          kind: object.kind,
          actual: 'pass',
          verdict: 'excluded',
          reason: 'Excluded',
        });
        continue;
      }
      const ok = response.status === expected.result;
      rows.push({
        ...base,
        resource,
        kind: object.kind,
        actual: response.status,
        verdict: ok ? 'pass' : 'fail',
        reason: ok ? 'Ok' : 'Want ' + expected.result + ', got ' + response.status,
        ...(response.message ? { message: response.message } : {}),
      });
    }
  }
  return rows;
}

function nameMatches(entry: string, o: KubeObject): boolean {
  const slash = entry.indexOf('/');
  if (slash < 0) return o.metadata.name === entry;
  return o.metadata.namespace === entry.slice(0, slash) && o.metadata.name === entry.slice(slash + 1);
}

/** CEL ValidatingPolicies are one rule; ClusterPolicy rules accept R, autogen-R, autogen-cronjob-R. */
function ruleMatches(rule: string, r: RuleResult): boolean {
  if (r.policyKind === 'ValidatingPolicy' || rule === '') return true;
  return r.baseRule === rule.replace(/^autogen-(cronjob-)?/, '') || r.rule === rule;
}
