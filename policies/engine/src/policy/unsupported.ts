/**
 * A policy (or one of its rules) that the offline engine cannot evaluate. Compilers throw it
 * with the reason; `kyverno test` runs record the policy as unsupported and report its expected
 * results as such while evaluating the rest of the folder, and the gate fails closed on it.
 */
export class UnsupportedPolicyError extends Error {}

/** A policy document recorded as unsupported instead of compiled. */
export interface UnsupportedPolicy {
  name: string;
  kind: string;
  reason: string;
  source?: string;
}

/** Kinds Kyverno's CLI loads that this engine does not evaluate (kyverno v1.19.0 policy loader). */
export const UNSUPPORTED_KINDS = new Set([
  'NamespacedValidatingPolicy',
  'MutatingPolicy',
  'NamespacedMutatingPolicy',
  'GeneratingPolicy',
  'NamespacedGeneratingPolicy',
  'ImageValidatingPolicy',
  'NamespacedImageValidatingPolicy',
  'DeletingPolicy',
  'NamespacedDeletingPolicy',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'CleanupPolicy',
  'ClusterCleanupPolicy',
]);
