import type { K8sObject } from '../../model.js';
import { type Labels, rec, spec } from '../meta.js';
import { CNPG_VERSION, globMatches, type OperatorConfig } from './operator-config.js';

/**
 * What every object a Cluster creates inherits (cloudnative-pg v1.30.0 api/v1/cluster_funcs.go
 * SetInheritedData, GetFixedInheritedLabels, GetFixedInheritedAnnotations; pkg/utils/labels_annotations.go
 * InheritLabels): `spec.inheritedMetadata` labels and annotations, the `cnpg.io/operatorVersion`
 * annotation, and the Cluster's own labels/annotations only where the operator's
 * INHERITED_LABELS / INHERITED_ANNOTATIONS globs name them. The fixed ones are set first, so an
 * inherited label overrides the object's own label of the same key.
 */
export function inherit(
  cluster: K8sObject,
  config: OperatorConfig,
  own: { labels?: Labels; annotations?: Labels },
): { labels: Labels; annotations: Labels } {
  const meta = rec(spec(cluster).inheritedMetadata);
  const labels: Labels = { ...own.labels, ...(meta.labels as Labels | undefined) };
  for (const [k, v] of Object.entries(cluster.metadata.labels ?? {}))
    if (globMatches(config.inheritedLabels, k)) labels[k] = v;
  const annotations: Labels = {
    ...own.annotations,
    'cnpg.io/operatorVersion': CNPG_VERSION,
    ...(meta.annotations as Labels | undefined),
  };
  for (const [k, v] of Object.entries(cluster.metadata.annotations ?? {}))
    if (globMatches(config.inheritedAnnotations, k)) annotations[k] = v;
  return { labels, annotations };
}
