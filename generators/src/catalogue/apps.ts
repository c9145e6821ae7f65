/**
 * The apps this repository delivers and what the generators know about each of them. The
 * environment schema is built from this list (an unknown app is an unknown key), and the charts
 * read ports and probes from it. Per-app defaults that an environment may override live here too,
 * so that an environment file holds only what differs
 * (docs/design/environments.md §One file per environment).
 */

export const APP_NAMES = ['api', 'frontend', 'worker'] as const;
export type AppName = (typeof APP_NAMES)[number];

export type StrategyKind = 'canary' | 'blueGreen';

export interface CanaryStepDefault {
  setWeight?: number;
  pause?: { duration?: string };
}

export interface AppTraits {
  /** One-line description used in rendered labels and docs. */
  description: string;
  /** The owning team (`payday.dev/owner` label: on-call routing, cost reports, audits). */
  owner: string;
  /** The HTTP port of the process: traffic for api/frontend, health and metrics for the worker. */
  port: number;
  /** Whether the app serves user traffic (has a hostname and traffic Services). */
  serves: boolean;
  /** Strategies the app supports, first is the default (docs/design/argo.md §Progressive delivery). */
  strategies: readonly StrategyKind[];
  defaults: {
    replicas: number;
    resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
    /** Seconds between SIGTERM and SIGKILL: the worker drains in-flight jobs, so it gets longer. */
    terminationGracePeriodSeconds: number;
    /** Native preStop sleep (KEP-3960, GA in 1.34): lets endpoints drop the pod before SIGTERM. */
    preStopSleepSeconds: number;
    canarySteps: CanaryStepDefault[];
  };
}

export const APPS: Record<AppName, AppTraits> = {
  api: {
    description: 'payments API',
    owner: 'payments',
    port: 3000,
    serves: true,
    strategies: ['canary', 'blueGreen'],
    defaults: {
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
      terminationGracePeriodSeconds: 30,
      preStopSleepSeconds: 5,
      canarySteps: [
        { setWeight: 20 },
        { pause: { duration: '5m' } },
        { setWeight: 50 },
        { pause: { duration: '5m' } },
      ],
    },
  },
  frontend: {
    description: 'merchant dashboard',
    owner: 'merchant-experience',
    port: 3001,
    serves: true,
    strategies: ['blueGreen', 'canary'],
    defaults: {
      replicas: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      terminationGracePeriodSeconds: 30,
      preStopSleepSeconds: 5,
      canarySteps: [{ setWeight: 50 }, { pause: { duration: '5m' } }],
    },
  },
  worker: {
    description: 'job-queue worker',
    owner: 'payments',
    port: 3002,
    serves: false,
    // Blue/green needs an active Service to switch; a queue consumer has no traffic Service.
    strategies: ['canary'],
    defaults: {
      replicas: 2,
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } },
      terminationGracePeriodSeconds: 60,
      preStopSleepSeconds: 0,
      canarySteps: [
        { setWeight: 25 },
        { pause: { duration: '10m' } },
        { setWeight: 50 },
        { pause: { duration: '10m' } },
      ],
    },
  },
};

export function isAppName(name: string): name is AppName {
  return (APP_NAMES as readonly string[]).includes(name);
}
