/**
 * Synthetic inputs for the render benchmark (bench/suites/render.ts): N environment files and a
 * chart factory that renders M apps per environment by instantiating the real AppWorkload
 * construct M times (cycling through api, frontend and worker), so the scale case exercises the
 * same constructs, serialisation and validation as the real repository.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_NAMES } from '../catalogue/apps.js';
import { AppWorkload } from '../charts/app/workload.js';
import { argocdChart } from '../charts/argocd/index.js';
import { type ChartFactory, type EnvironmentChartFactory, moduleSource } from '../charts/factory.js';
import { namespaceChart } from '../charts/namespace/index.js';

const DIGEST = {
  api: 'sha256:71067271b6a9dc899a29a1765f49e9ebd1d89ee6e3ed29f649980d9fc2a8d342',
  frontend: 'sha256:9eb634bb4973185b98e630a0f73230c3a3f9bec45a8ad8f9dd19ba1e1aa6db26',
  worker: 'sha256:2032afbc3a0922d6fd1d4b9347c08e8b39efdd825aef760c9be12c2cc00c14c3',
} as const;

export function envName(i: number): string {
  return `env-${String(i).padStart(2, '0')}`;
}

export function appName(i: number): string {
  return `svc-${String(i).padStart(2, '0')}`;
}

/** Writes `count` environment files (a promotion chain env-00 → env-01 → …) into `dir`. */
export async function writeSyntheticEnvironments(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const lines = [
      `# synthetic environment ${i} for the render benchmark`,
      ...(i > 0 ? [`promotesFrom: ${envName(i - 1)}`, 'promotion:', '  soak: 1h'] : []),
      'apps:',
      '  api:',
      `    replicas: ${2 + (i % 3)}`,
      `    hostname: api.${envName(i)}.payday.example`,
      '  worker:',
      '    autoscaling: { minReplicas: 1, maxReplicas: 8 }',
      'release:',
      ...APP_NAMES.flatMap((app) => [
        `  ${app}:`,
        `    version: 1.${i}.0`,
        `    image: ghcr.io/payday/${app}@${DIGEST[app]}`,
        '    config:',
        `      FEATURE_${i}: true`,
      ]),
      '',
    ];
    await writeFile(join(dir, `${envName(i)}.yaml`), lines.join('\n'));
  }
}

/** Renders `count` apps per environment: svc-00 (an api), svc-01 (a frontend), svc-02 (a worker), … */
export function syntheticAppsChart(count: number): EnvironmentChartFactory {
  return {
    id: 'synthetic-apps',
    scope: 'environment',
    source: moduleSource(import.meta.url),
    build(ctx) {
      for (let i = 0; i < count; i++) {
        const app = APP_NAMES[i % APP_NAMES.length]!;
        const release = ctx.env.release[app];
        if (!release) continue;
        new AppWorkload(ctx.folder(appName(i)), appName(i), {
          app,
          name: appName(i),
          env: ctx.env.name,
          settings: ctx.env.apps[app],
          release,
          preview: false,
        });
      }
    },
  };
}

/** The factories of the scale case: this repository's charts, with the apps multiplied. */
export function syntheticFactories(appsPerEnvironment: number): ChartFactory[] {
  return [namespaceChart, syntheticAppsChart(appsPerEnvironment), argocdChart];
}
