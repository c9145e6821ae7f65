import type { BuilderContext } from '../charts/context.js';
import type { Environment } from '../environments/schema.js';
import { defaultOpsSettings } from '../environments/sections/operations.js';

export interface SampleOverrides extends Partial<Omit<BuilderContext, 'env'>> {
  /** Environment name (default `prod`). */
  name?: string;
}

/**
 * A realistic context for unit tests: what the render pipeline hands the object builders for one
 * environment. The builders read the environment's name and the API release from `env`; their
 * settings come in as a separate argument, so `env` holds only those (and the defaults).
 */
export function sampleContext(overrides: SampleOverrides = {}): BuilderContext {
  const { name = 'prod', ...rest } = overrides;
  const labels = (app: string) => ({
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${app}-prod`,
  });
  const env = {
    ...defaultOpsSettings(),
    name,
    file: `environments/${name}.yaml`,
    release: { api: { image: `ghcr.io/payday/api@sha256:${'a'.repeat(64)}` } },
  } as unknown as Environment;
  return {
    env,
    preview: false,
    namespace: 'payday-prod',
    labels: { 'app.kubernetes.io/part-of': 'payday', 'payday.dev/environment': 'prod' },
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
    ...rest,
  };
}
