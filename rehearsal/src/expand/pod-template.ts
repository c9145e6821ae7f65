import type { K8sObject } from '../model.js';
import { podTemplateHash } from './hash.js';
import { clone, controllerRef, type Labels, merge, rec } from './meta.js';

/**
 * The Pod a controller creates from a pod template: Kubernetes v1.34
 * pkg/controller/controller_utils.go GetPodFromTemplate copies the template's labels,
 * annotations and spec, sets `generateName: <owner>-` and the controller reference. The API
 * server then appends five random characters to the name; the rehearsal appends a stable
 * suffix derived from the owner's name instead, so reports are reproducible.
 */
export function podFromTemplate(
  owner: K8sObject,
  template: unknown,
  options: { name?: string; labels?: Labels; annotations?: Labels } = {},
): K8sObject {
  const t = rec(template);
  const meta = rec(t.metadata);
  const generateName = `${owner.metadata.name}-`;
  const labels = merge(meta.labels as Labels | undefined, options.labels);
  const annotations = merge(meta.annotations as Labels | undefined, options.annotations);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name ?? `${generateName}${podTemplateHash(owner.metadata.name).slice(0, 5)}`,
      ...(options.name ? {} : { generateName }),
      ...(owner.metadata.namespace ? { namespace: owner.metadata.namespace } : {}),
      ...(Object.keys(labels).length ? { labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    // Shared with the template, not copied: nothing in the rehearsal modifies an object once
    // built (expand/meta.ts `clone`).
    spec: rec(t.spec),
  };
}

/** A selector with one more matchLabels entry (labelsutil.CloneSelectorAndAddLabel). */
export function selectorWith(selector: unknown, key: string, value: string): Record<string, unknown> {
  const s = clone(rec(selector));
  return { ...s, matchLabels: { ...rec(s.matchLabels), [key]: value } };
}
