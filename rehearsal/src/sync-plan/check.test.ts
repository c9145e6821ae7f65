import { describe, expect, it } from 'vitest';
import type { ClusterObject } from '../model.js';
import { checkPlan, syncPlanCheck } from './check.js';
import { buildPlan } from './plan.js';
import {
  applicationHealth,
  chartApp,
  obj,
  pathApp,
  rendered,
  root,
  scenario,
  unexpanded,
  wave,
} from './testing/build.js';

const messages = (objects: ClusterObject[]) =>
  checkPlan(buildPlan(scenario(objects))).map((f) => `${f.severity} ${f.subject}: ${f.message}`);

const externalSecret = (annotations: Record<string, string> = {}) =>
  rendered(
    'argocd/platform/externalsecret-notifications.yaml',
    obj('external-secrets.io/v1', 'ExternalSecret', 'notifications', {
      namespace: 'argocd',
      annotations,
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'payday-secrets' }, target: { name: 'n' } },
    }),
  );
const eso = chartApp('external-secrets', 'external-secrets', '2.9.0', 'external-secrets', 0);

describe('custom resources and their CRDs', () => {
  it('catches a custom resource the root syncs while its CRD arrives with a child Application', () => {
    expect(messages([...root(), eso, externalSecret()])).toEqual([
      'error ExternalSecret/argocd/notifications: ExternalSecret/argocd/notifications is applied by Application/argocd/payday-root, whose dry-run of every object before the first apply (gitops-engine sync_context.go) fails: the CRD external-secrets.io/ExternalSecret does not exist yet, it arrives with Application/argocd/external-secrets (chart external-secrets 2.9.0); Application/argocd/payday-root applies Application/argocd/external-secrets itself, after that dry-run. Sync it in an Application that Argo CD syncs after Application/argocd/external-secrets, or mark it argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true and order it after Application/argocd/external-secrets',
    ]);
  });

  it('accepts SkipDryRunOnMissingResource only when Argo CD waits for the CRD first', () => {
    const skip = { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', ...wave(1) };
    expect(messages([...root(), applicationHealth(-10), eso, externalSecret(skip)])).toEqual([]);
    expect(messages([...root(), eso, externalSecret(skip)])).toEqual([
      "error ExternalSecret/argocd/notifications: ExternalSecret/argocd/notifications is applied by Application/argocd/payday-root with SkipDryRunOnMissingResource=true, but its CRD external-secrets.io/ExternalSecret arrives with Application/argocd/external-secrets (chart external-secrets 2.9.0) and nothing makes Argo CD wait for it: Application/argocd/payday-root applies Application/argocd/external-secrets in Sync wave 0 and ExternalSecret/argocd/notifications in Sync wave 1, but Argo CD does not wait for an Application's health (no argoproj.io/Application health check in argocd-cm)",
    ]);
  });

  it('catches waves between platform Applications that assume Argo CD waits for their health', () => {
    const kyverno = chartApp('kyverno', 'kyverno', '3.9.0', 'kyverno', 0);
    const policies = pathApp('payday-policies', 'gitops/platform/policies', 'kyverno', 1);
    const policy = rendered(
      'platform/policies/validatingpolicy-x.yaml',
      obj('policies.kyverno.io/v1', 'ValidatingPolicy', 'x'),
    );
    expect(messages([...root(), kyverno, policies, policy])).toEqual([
      "error ValidatingPolicy/x: ValidatingPolicy/x is applied by Application/argocd/payday-policies, whose dry-run of every object before the first apply (gitops-engine sync_context.go) fails: the CRD policies.kyverno.io/ValidatingPolicy does not exist yet, it arrives with Application/argocd/kyverno (chart kyverno 3.9.0); Application/argocd/payday-root applies Application/argocd/kyverno in Sync wave 0 and Application/argocd/payday-policies in Sync wave 1, but Argo CD does not wait for an Application's health (no argoproj.io/Application health check in argocd-cm). Sync it in an Application that Argo CD syncs after Application/argocd/kyverno, or mark it argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true and order it after Application/argocd/kyverno",
    ]);
    expect(messages([...root(), applicationHealth(-10), kyverno, policies, policy])).toEqual([]);
    // The customization must be in place before the first child Application.
    expect(messages([...root(), applicationHealth(0), kyverno, policies, policy])).toHaveLength(1);
  });

  it('catches a chart whose values render a kind another chart installs later', () => {
    const certManager = chartApp('cert-manager', 'cert-manager', 'v1.19.1', 'cert-manager', -3, {
      prometheus: { servicemonitor: { enabled: true } },
    });
    const prometheus = chartApp('kube-prometheus-stack', 'kube-prometheus-stack', '88.2.0', 'monitoring', -2);
    expect(messages([...root(), applicationHealth(-10), certManager, prometheus])).toEqual([
      'error Application/argocd/cert-manager: Application/argocd/cert-manager (chart cert-manager v1.19.1) renders a ServiceMonitor (prometheus.servicemonitor.enabled: true renders a ServiceMonitor; cert-manager v1.19.1 deploy/charts/cert-manager/templates/servicemonitor.yaml), whose dry-run of every object before the first apply (gitops-engine sync_context.go) fails: the CRD monitoring.coreos.com/ServiceMonitor does not exist yet, it arrives with Application/argocd/kube-prometheus-stack (chart kube-prometheus-stack 88.2.0); Application/argocd/kube-prometheus-stack is applied after Application/argocd/cert-manager. Sync it in an Application that Argo CD syncs after Application/argocd/kube-prometheus-stack, or mark it argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true and order it after Application/argocd/kube-prometheus-stack',
    ]);
  });

  it('fails a custom resource no platform Application provides', () => {
    const widget = rendered(
      'argocd/widget.yaml',
      obj('example.com/v1', 'Widget', 'w', { namespace: 'argocd' }),
    );
    expect(messages([...root(), widget])).toEqual([
      'error Widget/argocd/w: Widget/argocd/w is applied by Application/argocd/payday-root, but no platform Application in the plan installs the CRD example.com/Widget (rehearsal/src/platform/components.ts)',
    ]);
  });
});

const app = rendered(
  'argocd/application-test-api.yaml',
  obj('argoproj.io/v1alpha1', 'Application', 'test-api', {
    namespace: 'argocd',
    spec: {
      destination: { namespace: 'pr-1' },
      source: { path: 'gitops/test/api' },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    },
  }),
);
const cnpg = chartApp('cloudnative-pg', 'cloudnative-pg', '0.29.0', 'cnpg-system', -1);
const hookLabels = { 'app.kubernetes.io/name': 'db-migrate' };
const hook = (hookWave: number, phase = 'PreSync') =>
  rendered(
    'test/api/job-db-migrate.yaml',
    obj('batch/v1', 'Job', 'db-migrate', {
      namespace: 'pr-1',
      annotations: { 'argocd.argoproj.io/hook': phase, ...wave(hookWave) },
      spec: {
        template: {
          metadata: { labels: hookLabels },
          spec: {
            containers: [
              {
                name: 'migrate',
                env: [
                  {
                    name: 'DATABASE_URL',
                    valueFrom: { secretKeyRef: { name: 'payday-db-app', key: 'uri' } },
                  },
                ],
              },
            ],
          },
        },
      },
    }),
  );
const cluster = (clusterWave: number) =>
  rendered(
    'test/api/cluster-payday-db.yaml',
    obj('postgresql.cnpg.io/v1', 'Cluster', 'payday-db', {
      namespace: 'pr-1',
      annotations: wave(clusterWave),
    }),
  );
const denyAll = rendered(
  'test/api/networkpolicy-default-deny.yaml',
  obj('networking.k8s.io/v1', 'NetworkPolicy', 'default-deny', {
    annotations: wave(-2),
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  }),
);
const allowMigrate = (annotations: Record<string, string>) =>
  rendered(
    'test/api/networkpolicy-db-migrate.yaml',
    obj('networking.k8s.io/v1', 'NetworkPolicy', 'db-migrate', {
      annotations,
      spec: {
        podSelector: { matchLabels: hookLabels },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 5432, protocol: 'TCP' }], to: [{ podSelector: {} }] }],
      },
    }),
  );

describe('what hooks and workloads need', () => {
  const base = [
    ...root(),
    applicationHealth(-10),
    cnpg,
    { ...app, object: { ...app.object, metadata: { ...app.object.metadata, annotations: wave(1) } } },
  ];

  it('catches a PreSync hook reading the Secret of a database the Sync phase creates', () => {
    expect(messages([...base, hook(-5), cluster(0)])).toEqual([
      'error Job/pr-1/db-migrate: Job/pr-1/db-migrate (Application/argocd/test-api, PreSync hook wave -5) needs Secret/pr-1/payday-db-app (env DATABASE_URL), which comes later: Application/argocd/test-api, Sync wave 0, created by cloudnative-pg',
    ]);
    expect(messages([...base, hook(-1, 'Sync'), cluster(-2)])).toEqual([]);
  });

  it("catches a hook's egress allowance applied after the hook under default deny", () => {
    expect(messages([...base, hook(-5), cluster(0), denyAll, allowMigrate(wave(-2))])).toContain(
      "error Job/pr-1/db-migrate: Job/pr-1/db-migrate (Application/argocd/test-api, PreSync hook wave -5) needs egress to the database payday-db on 5432: NetworkPolicy/pr-1/db-migrate allows it but is applied in Application/argocd/test-api, Sync wave -2, after the hook, and NetworkPolicy/pr-1/db-migrate, NetworkPolicy/pr-1/default-deny isolate the hook's egress until then",
    );
    expect(messages([...base, hook(-1, 'Sync'), cluster(-2), denyAll, allowMigrate(wave(-2))])).toEqual([]);
    // The allowance as a PreSync hook of a lower wave is in place before the migration.
    const asHook = { 'argocd.argoproj.io/hook': 'PreSync', ...wave(-6) };
    expect(
      messages([...base, hook(-5), cluster(0), denyAll, allowMigrate(asHook)]).filter((m) =>
        m.includes('egress'),
      ),
    ).toEqual([]);
  });

  it('catches a hook no NetworkPolicy lets out', () => {
    expect(messages([...base, hook(-1, 'Sync'), cluster(-2), denyAll])).toEqual([
      'error Job/pr-1/db-migrate: Job/pr-1/db-migrate (Application/argocd/test-api, Sync hook wave -1) needs egress to the database payday-db on 5432: no NetworkPolicy selecting its pod allows it, and NetworkPolicy/pr-1/default-deny isolate its egress',
    ]);
  });

  it('fails a sync into a namespace nothing creates', () => {
    const plain = rendered(
      'argocd/application-plain.yaml',
      obj('argoproj.io/v1alpha1', 'Application', 'plain', {
        namespace: 'argocd',
        annotations: wave(1),
        spec: {
          project: 'platform',
          destination: { namespace: 'nowhere' },
          source: { path: 'gitops/plain' },
        },
      }),
    );
    const config = rendered('plain/configmap-c.yaml', obj('v1', 'ConfigMap', 'c'));
    expect(messages([...root(), plain, config])).toEqual([
      'error Application/argocd/plain: Application/argocd/plain syncs objects into namespace nowhere, which nothing in the plan creates (no Namespace object, no CreateNamespace=true)',
    ]);
  });

  it('fails what nothing provides', () => {
    expect(messages([...base, hook(-1, 'Sync')])).toEqual([
      'error Job/pr-1/db-migrate: Job/pr-1/db-migrate (Application/argocd/test-api, Sync hook wave -1) needs Secret/pr-1/payday-db-app (env DATABASE_URL): nothing in the plan provides it',
    ]);
  });

  it('reports a scenario that skipped the controller expansion as an error, deriving nothing', () => {
    expect(syncPlanCheck.run(unexpanded([...base, hook(-5), cluster(0)]))).toEqual([
      {
        check: 'sync-plan',
        severity: 'error',
        subject: 'test',
        message:
          'test: Job/pr-1/db-migrate always has its controller create objects, but the scenario holds no expanded object: build it with buildScenarios (or run expandObjects) first; the sync plan does not derive controller outputs',
      },
    ]);
  });

  it('reports a broken wave annotation as a finding of the scenario', () => {
    const broken = rendered(
      'argocd/configmap-x.yaml',
      obj('v1', 'ConfigMap', 'x', {
        namespace: 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': '1.5' },
      }),
    );
    expect(syncPlanCheck.run(scenario([...root(), broken]))).toEqual([
      {
        check: 'sync-plan',
        severity: 'error',
        subject: 'test',
        message: 'ConfigMap/x: argocd.argoproj.io/sync-wave "1.5" is not an integer',
      },
    ]);
  });
});
