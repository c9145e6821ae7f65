import type { OpsContext } from '../context.js';

/** A realistic context for unit tests: what the core charts hand the ops builders for one environment. */
export function sampleContext(overrides: Partial<OpsContext> = {}): OpsContext {
  const labels = (app: string) => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${app}-prod`,
  });
  return {
    env: 'prod',
    mode: 'environment',
    namespace: 'payday-prod',
    commonLabels: { 'app.kubernetes.io/part-of': 'payday', 'payday.dev/environment': 'prod' },
    apiImage: `ghcr.io/payday/api@sha256:${'a'.repeat(64)}`,
    apps: {
      api: {
        name: 'api',
        selectorLabels: labels('api'),
        port: 3000,
        portName: 'http',
        servicePort: 80,
        requests: { cpu: '250m', memory: '256Mi' },
        minReplicas: 3,
        maxReplicas: 10,
      },
      frontend: {
        name: 'frontend',
        selectorLabels: labels('frontend'),
        port: 3001,
        portName: 'http',
        servicePort: 80,
        requests: { cpu: '100m', memory: '128Mi' },
        minReplicas: 2,
        maxReplicas: 2,
      },
      worker: {
        name: 'worker',
        selectorLabels: labels('worker'),
        port: 3002,
        portName: 'http',
        servicePort: 80,
        requests: { cpu: '200m', memory: '256Mi' },
        minReplicas: 1,
        maxReplicas: 20,
      },
    },
    ...overrides,
  };
}
