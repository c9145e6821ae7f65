import type { ExpansionRule } from './types.js';

/**
 * Namespace → the `default` ServiceAccount (serviceaccounts controller) and the
 * `kube-root-ca.crt` ConfigMap (root CA publisher) kube-controller-manager puts in every namespace.
 */
export const namespaceRule: ExpansionRule = {
  kind: 'Namespace',
  group: '',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/serviceaccount/serviceaccounts_controller.go; pkg/controller/certificates/rootcacertpublisher/publisher.go',
  expand(ns) {
    const namespace = ns.metadata.name;
    return [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace },
        data: { 'ca.crt': '' },
      },
    ];
  },
};
