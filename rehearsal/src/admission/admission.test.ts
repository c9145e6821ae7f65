import { describe, expect, it } from 'vitest';
import type { ClusterObject, RenderedInput } from '../model.js';
import { buildScenarios } from '../scenario/build.js';
import { committedInputs } from '../testing.js';
import { admissionCheck } from './admission.js';

const check = admissionCheck({ now: new Date('2026-12-06T00:00:00Z') });

/** The committed tree with the staging database Cluster changed by `edit`. */
function withCluster(edit: (spec: Record<string, unknown>) => void): RenderedInput[] {
  return committedInputs().map((i) => {
    if (i.path !== 'staging/database/cluster-payday-db.yaml') return i;
    const object = structuredClone(i.object);
    edit(object.spec as Record<string, unknown>);
    return { ...i, object };
  });
}

const admit = (inputs: RenderedInput[]) => {
  const scenario = buildScenarios(inputs, { only: ['staging'] }).scenarios[0]!;
  return check.run(scenario).map((f) => `${f.subject}: ${f.message}`);
};

describe('admission over the expanded staging cluster', () => {
  it('require-resources denies the instance Pod when Cluster.spec.resources sets no cpu limit', () => {
    const findings = admit(
      withCluster((s) => {
        s.resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } };
      }),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(
        /^Pod\/payday-staging\/payday-db-1: require-resources denies: containers must set cpu and memory requests and limits: postgres, bootstrap-controller(, plugin-barman-cloud)? \(created by cloudnative-pg from Cluster\/payday-staging\/payday-db\)$/,
      ),
    );
  });

  it('require-resources denies the barman-cloud sidecar when the ObjectStore sets no sidecar resources', () => {
    const inputs = committedInputs().map((i) => {
      if (i.path !== 'staging/database/objectstore-payday-db-store.yaml') return i;
      const object = structuredClone(i.object);
      delete (object.spec as Record<string, unknown>).instanceSidecarConfiguration;
      return { ...i, object };
    });
    expect(admit(inputs)).toContain(
      'Pod/payday-staging/payday-db-1: require-resources denies: containers must set cpu and memory requests and limits: plugin-barman-cloud (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
  });

  it('require-labels denies the -rw Service and the initdb Job when the Cluster sets no inheritedMetadata', () => {
    const findings = admit(
      withCluster((s) => {
        delete s.inheritedMetadata;
      }),
    );
    expect(findings).toContain(
      'Service/payday-staging/payday-db-rw: require-labels denies: missing required labels: app.kubernetes.io/part-of, payday.dev/environment, payday.dev/owner (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
    expect(findings).toContain(
      'Job/payday-staging/payday-db-1-initdb: require-labels denies: missing required labels: app.kubernetes.io/part-of, payday.dev/environment, payday.dev/owner (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
  });

  it('require-image-digest denies a PostgreSQL image by tag in staging that the PolicyException does not name', () => {
    const findings = admit(
      withCluster((s) => {
        s.imageName = 'ghcr.io/cloudnative-pg/postgresql:17.7';
      }),
    );
    expect(findings).toContain(
      'Pod/payday-staging/payday-db-1: require-image-digest denies: images must be pinned by sha256 digest: ghcr.io/cloudnative-pg/postgresql:17.7, ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0, ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0 (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
  });

  it('require-image-digest denies the upstream CloudNativePG images in staging without the PolicyException', () => {
    const findings = admit(committedInputs().filter((i) => i.object.kind !== 'PolicyException'));
    expect(findings).toContain(
      'Job/payday-staging/payday-db-1-initdb: require-image-digest denies: images must be pinned by sha256 digest: ghcr.io/cloudnative-pg/postgresql:17.6, ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0 (created by cloudnative-pg from Cluster/payday-staging/payday-db)',
    );
  });

  it('the committed staging cluster passes admission: cpu limits, inherited labels, the scoped image waiver', () => {
    expect(admit(committedInputs())).toEqual([]);
  });

  it('evaluates the policies the scenario enforces, so a gate-only policy does not deny operator-created Secrets', () => {
    const findings = admit(committedInputs());
    expect(findings.filter((f) => f.includes('disallow-plain-secrets'))).toEqual([]);
  });
});

describe('admission across the scenarios of one rehearsal', () => {
  it('admits an object the scenarios share once, under the first scenario that holds it', () => {
    const shared: ClusterObject = {
      object: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bare', namespace: 'argocd' },
        spec: {},
      },
      origin: { kind: 'rendered', path: 'argocd/service-bare.yaml' },
    };
    const fresh = admissionCheck({ now: new Date('2026-12-06T00:00:00Z') });
    const first = fresh.run({ name: 'dev', namespace: 'payday-dev', objects: [shared] });
    const second = fresh.run({ name: 'prod', namespace: 'payday-prod', objects: [shared] });
    expect(first.map((f) => `${f.subject}: ${f.message}`)).toEqual([
      'Service/argocd/bare: require-labels denies: missing required labels: app.kubernetes.io/name, app.kubernetes.io/part-of, payday.dev/environment, payday.dev/owner (gitops/argocd/service-bare.yaml)',
    ]);
    expect(second).toEqual([]);
  });

  it('does the same within one rehearse() call, and admits it again in the next call', () => {
    const object = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'bare', namespace: 'argocd' },
      spec: {},
    };
    const fresh = admissionCheck({ now: new Date('2026-12-06T00:00:00Z') });
    const call = () => {
      // Each rehearsal builds its own ClusterObjects and its own RehearsalRun.
      const shared: ClusterObject = {
        object,
        origin: { kind: 'rendered', path: 'argocd/service-bare.yaml' },
      };
      const dev = { name: 'dev', namespace: 'payday-dev', objects: [shared] };
      const prod = { name: 'prod', namespace: 'payday-prod', objects: [shared] };
      const rehearsal = { scenarios: [dev, prod] };
      return [fresh.run(dev, rehearsal).length, fresh.run(prod, rehearsal).length];
    };
    expect(call()).toEqual([1, 0]);
    expect(call()).toEqual([1, 0]);
  });
});
