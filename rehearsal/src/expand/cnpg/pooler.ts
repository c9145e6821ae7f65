import type { K8sObject } from '../../model.js';
import { clone, controllerRef, type Labels, rec, spec } from '../meta.js';
import type { ExpansionRule } from '../types.js';
import { CNPG_DEFAULT_PGBOUNCER_IMAGE } from './operator-config.js';

/**
 * Pooler → a Deployment `<name>` running PgBouncer (the `pgbouncer` container merged over
 * `spec.template`, image defaulting to the operator's pgbouncer image) and a Service `<name>`,
 * both labelled `cnpg.io/poolerName`. The Deployment then expands like any other.
 */
export const poolerRule: ExpansionRule = {
  kind: 'Pooler',
  group: 'postgresql.cnpg.io',
  controller: 'cloudnative-pg',
  rule: 'cloudnative-pg v1.30.0 pkg/specs/pgbouncer/deployments.go Deployment; pkg/specs/pgbouncer/services.go Service',
  expand(pooler) {
    const s = spec(pooler);
    const name = pooler.metadata.name;
    const ns = pooler.metadata.namespace;
    const template = clone(rec(s.template));
    const tmeta = rec(template.metadata);
    const podLabels: Labels = {
      ...(tmeta.labels as Labels | undefined),
      'cnpg.io/poolerName': name,
      'cnpg.io/podRole': 'pooler',
    };
    const tspec = rec(template.spec);
    const containers = ((tspec.containers as unknown[]) ?? []).map(rec);
    const given = containers.find((c) => c.name === 'pgbouncer') ?? {};
    const pgbouncer = { image: CNPG_DEFAULT_PGBOUNCER_IMAGE, ...given, name: 'pgbouncer' };
    // The Deployment and the Service carry the same metadata (objects are never modified once built).
    const metadata = {
      name,
      ...(ns ? { namespace: ns } : {}),
      labels: { 'cnpg.io/poolerName': name },
      ownerReferences: [controllerRef(pooler)],
    };
    const deployment: K8sObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: typeof s.instances === 'number' ? s.instances : 1,
        selector: { matchLabels: { 'cnpg.io/poolerName': name } },
        template: {
          metadata: { ...tmeta, labels: podLabels },
          spec: { ...tspec, containers: [pgbouncer, ...containers.filter((c) => c.name !== 'pgbouncer')] },
        },
      },
    };
    const service: K8sObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        ports: [{ name: 'pgbouncer', port: 5432, protocol: 'TCP', targetPort: 'pgbouncer' }],
        selector: { 'cnpg.io/poolerName': name },
      },
    };
    return [deployment, service];
  },
};
