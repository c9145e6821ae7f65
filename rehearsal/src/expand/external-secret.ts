import type { K8sObject } from '../model.js';
import { controllerRef, type Labels, rec, spec } from './meta.js';
import type { ExpansionRule } from './types.js';

/**
 * ExternalSecret → the Secret it writes: named `spec.target.name` (default: the ExternalSecret's
 * name), created only with `creationPolicy: Owner` (the default) or `Orphan` (`Merge` and `None`
 * write into a Secret someone else creates); labels and annotations from
 * `target.template.metadata`, the `reconcile.external-secrets.io/managed` label, type from
 * `target.template.type` (default Opaque), and one key per `data[].secretKey` and per
 * `target.template.data` key (keys that `dataFrom` brings are known only at run time).
 */
export const externalSecretRule: ExpansionRule = {
  kind: 'ExternalSecret',
  group: 'external-secrets.io',
  controller: 'external-secrets',
  rule: 'external-secrets v2.9.0 pkg/controllers/externalsecret/externalsecret_controller.go Reconcile, createOrUpdateSecret; pkg/controllers/templating/parser.go',
  expand(es) {
    const s = spec(es);
    const target = rec(s.target);
    const policy = String(target.creationPolicy ?? 'Owner');
    if (policy === 'Merge' || policy === 'None') return [];
    const template = rec(target.template);
    const tmeta = rec(template.metadata);
    const keys = [
      ...((s.data as unknown[]) ?? []).map((d) => String(rec(d).secretKey)),
      ...Object.keys(rec(template.data)),
    ];
    const secret: K8sObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: String(target.name ?? es.metadata.name),
        ...(es.metadata.namespace ? { namespace: es.metadata.namespace } : {}),
        labels: { ...(tmeta.labels as Labels | undefined), 'reconcile.external-secrets.io/managed': 'true' },
        ...(tmeta.annotations ? { annotations: { ...(tmeta.annotations as Labels) } } : {}),
        ...(policy === 'Owner' ? { ownerReferences: [controllerRef(es)] } : {}),
      },
      type: String(template.type ?? 'Opaque'),
      data: Object.fromEntries([...new Set(keys)].sort().map((k) => [k, ''])),
    };
    return [secret];
  },
};
