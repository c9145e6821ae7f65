import { describe, expect, it, vi } from 'vitest';
import { renderEnvironments } from '../render/render.js';
import type { K8sObject, RenderedObject } from '../render/types.js';
import { ObjectValidator, RenderValidationError } from './validate.js';

// A fresh clone compiles the schema validators on first use (tens of seconds on a busy
// 2-core runner; cached afterwards): allow for it.
vi.setConfig({ testTimeout: 180_000 });

const rendered = await renderEnvironments({ validate: false });
const staging = rendered.environments.find((e) => e.name === 'staging')!;

function find(path: string): RenderedObject {
  const o = staging.objects.find((x) => x.path === path) ?? rendered.global.find((x) => x.path === path);
  if (!o) throw new Error(`no rendered ${path}`);
  return o;
}

/** A deep copy of a rendered object with `edit` applied. */
function edited(path: string, edit: (o: K8sObject & Record<string, any>) => void): RenderedObject {
  const base = find(path);
  const object = structuredClone(base.object) as K8sObject & Record<string, any>;
  edit(object);
  return { ...base, object };
}

/** Validates staging with `replacement` swapped in; returns the problems as lines. */
async function problemsWith(...replacements: RenderedObject[]): Promise<string[]> {
  const objects = staging.objects.map((o) => replacements.find((r) => r.path === o.path) ?? o);
  for (const r of replacements) if (!objects.includes(r)) objects.push(r);
  try {
    await new ObjectValidator().validate([{ name: 'staging', objects }], []);
  } catch (err) {
    expect(err).toBeInstanceOf(RenderValidationError);
    return (err as Error).message.split('\n');
  }
  return [];
}

const ROLLOUT = 'staging/api/rollout-api.yaml';
const where = 'staging: gitops/staging/api/rollout-api.yaml: Rollout/api';

describe('schema validation of rendered objects', () => {
  it('accepts everything the charts render, in every environment and gitops/argocd', async () => {
    await expect(
      new ObjectValidator().validate(rendered.environments, rendered.global),
    ).resolves.toBeUndefined();
  });

  it('rejects an unknown field in a CRD kind (strategy.canry), which the CRD schema alone accepts', async () => {
    const bad = edited(ROLLOUT, (o) => {
      o.spec.strategy = { canry: o.spec.strategy.canary };
    });
    expect(await problemsWith(bad)).toEqual([`${where}: /spec/strategy/canry: unknown field "canry"`]);
  });

  it('rejects a Rollout without a selector (the CRD does not require one; the controller does)', async () => {
    const bad = edited(ROLLOUT, (o) => {
      delete o.spec.selector;
    });
    expect(await problemsWith(bad)).toEqual([
      `${where}: /spec/selector: Rollout has no selector (spec.selector.matchLabels is required)`,
    ]);
  });

  it('rejects a selector that does not match the template labels', async () => {
    const bad = edited(ROLLOUT, (o) => {
      o.spec.selector.matchLabels['app.kubernetes.io/name'] = 'apii';
    });
    expect(await problemsWith(bad)).toEqual([
      `${where}: /spec/selector/matchLabels: selector does not match the pod template labels (missing app.kubernetes.io/name=apii)`,
    ]);
  });

  it('rejects a wrong type', async () => {
    const bad = edited(ROLLOUT, (o) => {
      o.spec.replicas = 'three';
    });
    expect(await problemsWith(bad)).toEqual([`${where}: /spec/replicas: must be integer`]);
  });

  it('rejects an invalid name', async () => {
    const bad = edited('staging/api/configmap-api-config.yaml', (o) => {
      o.metadata.name = 'API_Config';
    });
    expect(await problemsWith(bad)).toEqual([
      `staging: gitops/staging/api/configmap-api-config.yaml: ConfigMap/API_Config: /metadata/name: invalid name "API_Config": must be a DNS-1123 subdomain (lowercase a-z, 0-9, '-', '.'; at most 253 characters)`,
    ]);
  });

  it('checks a Rollout pod template against the core PodTemplateSpec (resources are untyped in the CRD)', async () => {
    const bad = edited(ROLLOUT, (o) => {
      o.spec.template.spec.containers[0].resources.limits.cpu = { many: true };
      o.spec.template.spec.volumes[0].emptyDir.sizeLimt = '1Gi';
    });
    expect(await problemsWith(bad)).toEqual([
      `${where}: /spec/template/spec/containers/0/resources/limits/cpu: must be string`,
      `${where}: /spec/template/spec/containers/0/resources/limits/cpu: must be number`,
      `${where}: /spec/template/spec/volumes/0/emptyDir/sizeLimt: unknown field "sizeLimt"`,
    ]);
  });

  it('rejects unknown fields in core kinds and honours int-or-string', async () => {
    const bad = edited('staging/api/service-api.yaml', (o) => {
      o.spec.ports[0].targetPort = 'http'; // int-or-string: a name is fine
      o.spec.port = 80; // unknown
    });
    expect(await problemsWith(bad)).toEqual([
      'staging: gitops/staging/api/service-api.yaml: Service/api: /spec/port: unknown field "port"',
    ]);
  });

  it('rejects a Service that selects no workload', async () => {
    const bad = edited('staging/api/service-api-canary.yaml', (o) => {
      o.spec.selector = { 'app.kubernetes.io/name': 'payments' };
    });
    expect(await problemsWith(bad)).toEqual([
      'staging: gitops/staging/api/service-api-canary.yaml: Service/api-canary: /spec/selector: Service selects no workload in its namespace (selector app.kubernetes.io/name=payments)',
    ]);
  });

  it('fails closed on a kind it has no schema for', async () => {
    const unknown: RenderedObject = {
      path: 'staging/api/widget-x.yaml',
      environment: 'staging',
      folder: 'api',
      source: [],
      object: {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { name: 'x', namespace: 'payday-staging' },
      },
    };
    expect(await problemsWith(unknown)).toEqual([
      'staging: gitops/staging/api/widget-x.yaml: Widget/x: /: no schema for example.com/v1 Widget: not a Kubernetes 1.34 kind and no CRD in the schema bundle (generators/schemas/)',
    ]);
  });

  it('refuses a CRD version the pinned CRD does not serve', async () => {
    const old = edited('staging/frontend/externalsecret-payday-session.yaml', (o) => {
      o.apiVersion = 'external-secrets.io/v1beta1';
    });
    expect(await problemsWith(old)).toEqual([
      'staging: gitops/staging/frontend/externalsecret-payday-session.yaml: ExternalSecret/payday-session: /: no schema for external-secrets.io/v1beta1 ExternalSecret: the pinned CRD serves v1',
    ]);
  });

  it('honours x-kubernetes-preserve-unknown-fields (ApplicationSet generator elements are free-form)', async () => {
    const ok = edited('argocd/applicationset-payday-staging.yaml', (o) => {
      o.spec.generators.push({ list: { elements: [{ anything: { nested: true } }] } });
    });
    await expect(new ObjectValidator().validate([], [ok])).resolves.toBeUndefined();
  });
});
