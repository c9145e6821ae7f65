import type { Program } from '../cel/compile.js';
import type { ResourceProvider } from '../cel/lib/kyverno.js';
import type { KyvernoInputs } from '../jmespath/rule.js';
import type { KubeObject } from '../kube/objects.js';
import type { ResourceInfo, ResourceMap } from '../kube/resource-map.js';

/** Statuses `kyverno test` compares (docs/design/policy-gate.md §Test results). */
export type Status = 'pass' | 'fail' | 'skip' | 'error';
export type Action = 'Deny' | 'Audit' | 'Warn';
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/**
 * One simulated admission request, the way the Kyverno CLI builds it
 * (docs/design/policy-gate.md §What the CLI feeds the engine).
 */
export interface Admission {
  operation: Operation;
  /** The resource as loaded (what results name). */
  resource: KubeObject;
  info: ResourceInfo;
  object: KubeObject | null;
  oldObject: KubeObject | null;
}

/** What the environment around the evaluated objects provides. */
export interface EvalEnvironment {
  resources: ResourceMap;
  namespaceLabels(namespace: string): Record<string, string>;
  namespaceObject(namespace: string): KubeObject | null;
  provider: ResourceProvider;
  /** The admission request's user (a test's `userinfo:` file); empty otherwise. */
  userInfo?: { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> };
  /** Parameter resources (a test's `paramResources:`) for ValidatingAdmissionPolicy bindings. */
  paramObjects?: KubeObject[];
  /** True when a test declares `clusterResources:` (the CLI then uses its fake cluster client). */
  clusterResources?: boolean;
  /** Workload a Rollout's `spec.workloadRef` points at (Argo Rollouts), if present. */
  workload(
    namespace: string,
    ref: { apiVersion?: string; kind?: string; name?: string },
  ): KubeObject | undefined;
  /** Values, mocks and known objects for JMESPath rules' variables and context entries. */
  kyverno?: KyvernoInputs;
}

export interface NamedProgram {
  name: string;
  expression: string;
  program: Program;
}

export interface CompiledValidation {
  expression: string;
  program: Program;
  message?: string;
  messageExpression?: Program;
  reason?: string;
}

/** A resource-matching predicate: true when the rule applies to the admission request. */
export type Matcher = (admission: Admission, env: EvalEnvironment) => boolean;

/**
 * One executable unit: a ValidatingPolicy (or one of its autogen variants), or one rule of a
 * ClusterPolicy (or its autogen-/autogen-cronjob- variant).
 */
export interface CompiledRule {
  policy: string;
  policyKind: 'ValidatingPolicy' | 'ValidatingAdmissionPolicy' | 'ClusterPolicy' | 'Policy';
  /** `JSON`: a ValidatingPolicy with `evaluation.mode: JSON`, evaluated on JSON payloads only. */
  mode?: 'Kubernetes' | 'JSON';
  policyNamespace?: string;
  /** Name reported in results: `''` for ValidatingPolicies (one rule per policy), else the rule name. */
  rule: string;
  /** The rule name before autogen (what test results name). */
  baseRule: string;
  /** Controller kinds an autogen variant targets (`template` prefix), undefined for the base rule. */
  autogen?: 'template' | 'cronjob';
  matches: Matcher;
  matchConditions: NamedProgram[];
  variables: NamedProgram[];
  validations: CompiledValidation[];
  auditAnnotations: { key: string; program: Program }[];
  actions: Action[];
  failurePolicy: 'Fail' | 'Ignore';
  /**
   * What an erroring matchCondition or validation yields: `error` (ValidatingPolicy,
   * ValidatingAdmissionPolicy) or `fail` (ClusterPolicy `validate.cel`, which Kyverno runs through
   * the Kubernetes validator with its failure policy left at the default Fail).
   */
  expressionErrors?: 'error' | 'fail';
  /** Audit annotation errors are ignored (ClusterPolicy `validate.cel` only reads decisions). */
  ignoreAuditAnnotationErrors?: boolean;
  /** The CEL `params` value for a request (ValidatingAdmissionPolicy bindings with a paramRef). */
  params?: (admission: Admission, env: EvalEnvironment) => unknown;
  /** Evaluate as a CREATE without oldObject whatever the test asks (Kyverno's VAP evaluation). */
  admissionAsCreate?: boolean;
  /** `namespaceObject` is a Namespace carrying the values file's labels (Kyverno's VAP evaluation). */
  namespaceObjectFromLabels?: boolean;
  /** Annotations of the policy (reasons, controls), for reports. */
  annotations: Record<string, string>;
  source?: string;
  /** ClusterPolicy `spec.applyRules: One`: later rules of the policy stop once one passes or fails. */
  applyOne?: boolean;
  /** A JMESPath validate body (ClusterPolicy pattern/anyPattern/deny/foreach): runs instead of the CEL parts. */
  jmespath?: (admission: Admission, env: EvalEnvironment) => { status: Status; message: string } | undefined;
}

export interface RuleResult {
  policy: string;
  policyKind: CompiledRule['policyKind'];
  rule: string;
  baseRule: string;
  resource: KubeObject;
  status: Status;
  message?: string;
  /** Where in the policy the deciding expression sits (`spec.validations[2]`), when known. */
  path?: string;
  /** The deciding CEL expression, when known. */
  expression?: string;
  reason?: string;
  actions: Action[];
  failurePolicy: 'Fail' | 'Ignore';
  auditAnnotations?: Record<string, string>;
  /** `namespace/name` of the PolicyException that turned this into a skip/pass. */
  exception?: string;
  source?: string;
}
