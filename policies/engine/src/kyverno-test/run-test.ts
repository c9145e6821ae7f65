import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { buildEnvironment } from '../evaluate/environment.js';
import { evaluateJsonPayloads, evaluateObjects } from '../evaluate/evaluate.js';
import type { Operation, RuleResult } from '../evaluate/types.js';
import type { ValuesDoc } from '../jmespath/test-values.js';
import { type KubeObject, normalizeObject } from '../kube/objects.js';
import { ResourceMap } from '../kube/resource-map.js';
import { readObjects } from '../load/objects.js';
import { emptyPolicySet, loadPolicyFiles } from '../policy/policy-set.js';
import type { UnsupportedPolicy } from '../policy/unsupported.js';
import { readTestFile, type TestFile } from './test-file.js';
import { readClusterResources, readContextFile, readJsonPayload, readUserInfo } from './test-inputs.js';

/** One row of `kyverno test` output: an expected result checked against one resource. */
export interface TestRow {
  test: string;
  policy: string;
  rule: string;
  resource: string;
  kind: string;
  expected: string;
  actual: string;
  /**
   * pass/fail as `kyverno test` counts it; `excluded` = no response, not checked
   * (docs/design/policy-gate.md §Test results); `unsupported` = the engine cannot run the policy.
   */
  verdict: 'pass' | 'fail' | 'excluded' | 'unsupported';
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
 * Runs one kyverno-test.yaml (every Test document in it) with `kyverno test` semantics
 * (docs/design/policy-gate.md §Test results; kyverno v1.19.0
 * cmd/cli/kubectl-kyverno/commands/test/compare.go): resources are matched by name (or
 * namespace/name) regardless of kind, falling back to all resources when no listed name exists;
 * a policy that gave no response for a resource is reported as `pass` ("Excluded") and not
 * checked; a policy name that is not loaded fails; a policy the engine cannot evaluate is
 * reported `unsupported` with the reason while the other policies of the test still run.
 */
export function runTestFile(path: string): TestRow[] {
  return readTestFile(path).flatMap((test) => runTest(test));
}

function runTest(test: TestFile): TestRow[] {
  const resources = new ResourceMap();
  const set = loadPolicyFiles(test.policies, emptyPolicySet(), { unsupported: 'record' });
  loadPolicyFiles(test.exceptions, set);
  const objects = dedupe(
    test.resources.flatMap((f) => readObjects(f)).map((o) => normalizeObject(o, resources)),
  );
  const values = test.values ? (parse(readFileSync(test.values, 'utf8')) as ValuesFile) : {};
  const context = test.context ? readContextFile(test.context) : { resources: [], images: new Map() };
  const cluster = readClusterResources(test.clusterResources, resources);
  const namespaceLabels = Object.fromEntries(
    (values.namespaceSelector ?? []).map((n) => [n.name, n.labels ?? {}]),
  );
  const env = buildEnvironment(objects, {
    resources,
    namespaceLabels,
    namespaces: values.namespaces ?? [],
    // With `clusterResources:` the CLI answers lookups from its fake cluster (the test's
    // resources plus the cluster resources); otherwise from the context file
    // (kyverno v1.19.0 cmd/cli/kubectl-kyverno/processor/utils.go NewContextProvider).
    lookupObjects: (cluster ? [...objects, ...cluster] : context.resources).map((o) =>
      normalizeObject(o, resources),
    ),
    images: context.images,
    httpResponses: test.httpResponses,
    values: {
      ...(values as ValuesDoc),
      apiCallResponses: [
        ...((values as ValuesDoc).apiCallResponses ?? []),
        ...(test.apiCallResponses as NonNullable<ValuesDoc['apiCallResponses']>),
      ],
    },
  });
  if (cluster) env.clusterResources = true;
  const paramObjects = test.paramResources.flatMap((f) => readObjects(f));
  if (paramObjects.length) env.paramObjects = paramObjects;
  if (test.userinfo) env.userInfo = readUserInfo(test.userinfo);
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
  // A payload is named by its cleaned path in results (test/load.go cleanTest).
  const payloads = test.jsonPayloads.map((p) => ({
    resource: { apiVersion: '', kind: '', metadata: { name: p.name } } as KubeObject,
    data: readJsonPayload(p.path, p.name),
  }));
  const payloadResults = evaluateJsonPayloads(set, payloads, env);
  // One evaluation per admission operation the expectations need (the CLI re-runs per operation).
  const byOperation = new Map<Operation, RuleResult[]>();
  const resultsFor = (operation: Operation) => {
    let results = byOperation.get(operation);
    if (!results) {
      results = [
        ...evaluateObjects(set, objects, env, { operation, oldObjectFor, unknownKinds: 'namespaced' }),
        ...payloadResults,
      ];
      byOperation.set(operation, results);
    }
    return results;
  };
  return compare(
    test,
    [...objects, ...payloads.map((p) => p.resource)],
    resultsFor,
    operationResolver(values),
    new Set(set.policies.map((p) => p.name)),
    new Map(set.unsupported.map((u) => [u.name, u])),
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
  unsupported: Map<string, UnsupportedPolicy>,
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
    const refused = unsupported.get(policyName);
    if (refused) {
      rows.push({
        ...base,
        resource: expected.resources.join(','),
        actual: 'unsupported',
        verdict: 'unsupported',
        reason: `Unsupported: ${refused.reason}`,
      });
      continue;
    }
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
  // A JSON payload is named by its path, which may contain slashes.
  if (o.kind === '' && o.apiVersion === '') return o.metadata.name === posix.normalize(entry);
  const slash = entry.indexOf('/');
  if (slash < 0) return o.metadata.name === entry;
  return o.metadata.namespace === entry.slice(0, slash) && o.metadata.name === entry.slice(slash + 1);
}

/** CEL ValidatingPolicies and ValidatingAdmissionPolicies are one rule; ClusterPolicy rules accept R, autogen-R, autogen-cronjob-R. */
function ruleMatches(rule: string, r: RuleResult): boolean {
  if (r.policyKind === 'ValidatingPolicy' || r.policyKind === 'ValidatingAdmissionPolicy' || rule === '')
    return true;
  return r.baseRule === rule.replace(/^autogen-(cronjob-)?/, '') || r.rule === rule;
}
