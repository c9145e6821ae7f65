import { z } from 'zod';

/**
 * The policy documents the engine accepts, validated before compilation so a malformed policy
 * fails closed with a path-qualified message (Kyverno rejects such policies at admission too).
 * Field names follow policies.kyverno.io/v1 ValidatingPolicy, which embeds the Kubernetes
 * ValidatingAdmissionPolicy shapes (admissionregistration.k8s.io/v1).
 */
const selectorSchema = z
  .object({
    matchLabels: z.record(z.string(), z.string()).nullish(),
    matchExpressions: z
      .array(
        z.object({
          key: z.string(),
          operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
          values: z.array(z.string()).nullish(),
        }),
      )
      .nullish(),
  })
  .nullish();

const operation = z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*']);

const resourceRule = z.object({
  apiGroups: z.array(z.string()).default(['*']),
  apiVersions: z.array(z.string()).default(['*']),
  resources: z.array(z.string()).min(1),
  operations: z.array(operation).default(['*']),
  resourceNames: z.array(z.string()).nullish(),
  scope: z.enum(['Cluster', 'Namespaced', '*']).nullish(),
});

export const matchResourcesSchema = z.object({
  namespaceSelector: selectorSchema,
  objectSelector: selectorSchema,
  resourceRules: z.array(resourceRule).default([]),
  excludeResourceRules: z.array(resourceRule).default([]),
  matchPolicy: z.enum(['Exact', 'Equivalent']).nullish(),
});

const named = z.object({ name: z.string().min(1), expression: z.string().min(1) });

export const validatingPolicySpecSchema = z.object({
  // Optional: a JSON-mode policy (evaluation.mode: JSON) matches payloads, not resources.
  matchConstraints: matchResourcesSchema.default({ resourceRules: [], excludeResourceRules: [] }),
  matchConditions: z.array(named).default([]),
  variables: z.array(named).default([]),
  validations: z
    .array(
      z.object({
        expression: z.string().min(1),
        message: z.string().nullish(),
        messageExpression: z.string().nullish(),
        reason: z.string().nullish(),
      }),
    )
    .default([]),
  auditAnnotations: z
    .array(z.object({ key: z.string().min(1), valueExpression: z.string().min(1) }))
    .default([]),
  validationActions: z.array(z.enum(['Deny', 'Audit', 'Warn'])).nullish(),
  failurePolicy: z.enum(['Fail', 'Ignore']).nullish(),
  autogen: z
    .object({ podControllers: z.object({ controllers: z.array(z.string()).nullish() }).nullish() })
    .nullish(),
  evaluation: z.object({ mode: z.string().nullish() }).loose().nullish(),
  webhookConfiguration: z.unknown().optional(),
  validationConfigurations: z.unknown().optional(),
  paramKind: z.unknown().optional(),
});

/** admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (the Kubernetes-native kind). */
export const validatingAdmissionPolicySchema = z.object({
  apiVersion: z.literal('admissionregistration.k8s.io/v1'),
  kind: z.literal('ValidatingAdmissionPolicy'),
  get metadata() {
    return metadataSchema;
  },
  spec: z.object({
    matchConstraints: matchResourcesSchema.default({ resourceRules: [], excludeResourceRules: [] }),
    matchConditions: z.array(named).default([]),
    variables: z.array(named).default([]),
    validations: validatingPolicySpecSchema.shape.validations,
    auditAnnotations: validatingPolicySpecSchema.shape.auditAnnotations,
    failurePolicy: z.enum(['Fail', 'Ignore']).nullish(),
    paramKind: z.unknown().optional(),
  }),
});

export const validatingAdmissionPolicyBindingSchema = z.object({
  apiVersion: z.literal('admissionregistration.k8s.io/v1'),
  kind: z.literal('ValidatingAdmissionPolicyBinding'),
  get metadata() {
    return metadataSchema;
  },
  spec: z.object({
    policyName: z.string().min(1),
    validationActions: z.array(z.enum(['Deny', 'Audit', 'Warn'])).nullish(),
    matchResources: matchResourcesSchema.nullish(),
    paramRef: z
      .object({
        name: z.string().nullish(),
        namespace: z.string().nullish(),
        selector: selectorSchema,
        parameterNotFoundAction: z.enum(['Allow', 'Deny']).nullish(),
      })
      .nullish(),
  }),
});

export const metadataSchema = z.object({
  name: z.string().min(1),
  namespace: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

export const validatingPolicySchema = z.object({
  apiVersion: z.enum([
    'policies.kyverno.io/v1',
    'policies.kyverno.io/v1beta1',
    'policies.kyverno.io/v1alpha1',
  ]),
  kind: z.literal('ValidatingPolicy'),
  metadata: metadataSchema,
  spec: validatingPolicySpecSchema,
});

export const policyExceptionSchema = z.object({
  apiVersion: z.enum([
    'policies.kyverno.io/v1',
    'policies.kyverno.io/v1beta1',
    'policies.kyverno.io/v1alpha1',
  ]),
  kind: z.literal('PolicyException'),
  metadata: metadataSchema,
  spec: z.object({
    policyRefs: z
      .array(z.object({ name: z.string().min(1), kind: z.string().default('ValidatingPolicy') }))
      .min(1),
    matchConditions: z.array(named).default([]),
    images: z.array(z.string()).nullish(),
    allowedValues: z.array(z.string()).nullish(),
    reportResult: z.enum(['skip', 'pass']).nullish(),
    /** Payday extension: the waiver's bookkeeping may live in the spec instead of annotations. */
    owner: z.string().nullish(),
    reason: z.string().nullish(),
    expires: z.string().nullish(),
  }),
});

const resourceFilter = z.object({
  kinds: z.array(z.string()).nullish(),
  names: z.array(z.string()).nullish(),
  name: z.string().nullish(),
  namespaces: z.array(z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
  selector: selectorSchema,
  namespaceSelector: selectorSchema,
  operations: z.array(operation).nullish(),
});
const filterBlock = z.object({
  resources: resourceFilter.nullish(),
  subjects: z.array(z.unknown()).nullish(),
  roles: z.array(z.string()).nullish(),
  clusterRoles: z.array(z.string()).nullish(),
});
const matchBlock = z.object({
  any: z.array(filterBlock).nullish(),
  all: z.array(filterBlock).nullish(),
  resources: resourceFilter.nullish(),
  subjects: z.array(z.unknown()).nullish(),
  roles: z.array(z.string()).nullish(),
  clusterRoles: z.array(z.string()).nullish(),
});

export const clusterPolicyRuleSchema = z.object({
  name: z.string().min(1),
  match: matchBlock,
  exclude: matchBlock.nullish(),
  celPreconditions: z.array(named).default([]),
  preconditions: z.unknown().optional(),
  context: z.unknown().optional(),
  validate: z
    .object({
      message: z.string().nullish(),
      failureAction: z.string().nullish(),
      cel: z
        .object({
          expressions: z
            .array(
              z.object({
                expression: z.string().min(1),
                message: z.string().nullish(),
                messageExpression: z.string().nullish(),
                reason: z.string().nullish(),
              }),
            )
            .default([]),
          variables: z.array(named).default([]),
          auditAnnotations: z
            .array(z.object({ key: z.string().min(1), valueExpression: z.string().min(1) }))
            .default([]),
          paramKind: z.unknown().optional(),
          paramRef: z.unknown().optional(),
        })
        .nullish(),
      pattern: z.unknown().optional(),
      anyPattern: z.unknown().optional(),
      deny: z.unknown().optional(),
      foreach: z.unknown().optional(),
      podSecurity: z.unknown().optional(),
      manifests: z.unknown().optional(),
      allowExistingViolations: z.boolean().nullish(),
    })
    .nullish(),
  mutate: z.unknown().optional(),
  generate: z.unknown().optional(),
  verifyImages: z.unknown().optional(),
});

export const clusterPolicySchema = z.object({
  apiVersion: z.string().regex(/^kyverno\.io\/v[12](beta1)?$/),
  kind: z.enum(['ClusterPolicy', 'Policy']),
  metadata: metadataSchema,
  spec: z.object({
    rules: z.array(clusterPolicyRuleSchema).min(1),
    validationFailureAction: z.string().nullish(),
    applyRules: z.enum(['All', 'One']).nullish(),
    background: z.boolean().nullish(),
    failurePolicy: z.enum(['Fail', 'Ignore']).nullish(),
  }),
});

export type ValidatingPolicyDoc = z.infer<typeof validatingPolicySchema>;
export type ValidatingAdmissionPolicyDoc = z.infer<typeof validatingAdmissionPolicySchema>;
export type ValidatingAdmissionPolicyBindingDoc = z.infer<typeof validatingAdmissionPolicyBindingSchema>;
export type PolicyExceptionDoc = z.infer<typeof policyExceptionSchema>;
export type ClusterPolicyDoc = z.infer<typeof clusterPolicySchema>;
export type ClusterPolicyRuleDoc = z.infer<typeof clusterPolicyRuleSchema>;
export type MatchResourcesDoc = z.infer<typeof matchResourcesSchema>;
export type ResourceRuleDoc = MatchResourcesDoc['resourceRules'][number];
export type MatchBlockDoc = z.infer<typeof matchBlock>;
export type ResourceFilterDoc = z.infer<typeof resourceFilter>;
