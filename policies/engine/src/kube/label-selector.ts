/**
 * Kubernetes label selectors (matchLabels + matchExpressions), as used by
 * `namespaceSelector`/`objectSelector` in admission match constraints.
 * Semantics: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * An empty selector (`{}`) matches everything; a null/absent selector also matches everything
 * (admissionregistration.k8s.io MatchResources defaults).
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

export class SelectorError extends Error {}

/** Throws SelectorError for an operator Kubernetes would reject, so a policy fails closed. */
export function matchesLabelSelector(
  selector: LabelSelector | null | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  // Runs for every (rule, object) pair that gets this far: no entries array per call.
  const { matchLabels } = selector;
  for (const key in matchLabels) {
    if (labels[key] !== matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, req.key);
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(labels[req.key]!)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(labels[req.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new SelectorError(`unknown label selector operator "${String(req.operator)}"`);
    }
  }
  return true;
}
