/**
 * The chart registry: every factory that contributes objects to the rendered tree, in build
 * order. To add constructs, write a module exporting a `ChartFactory` (factory.ts) and add one
 * line below (generators/README.md, "Adding a construct"). Environment factories run once per
 * environment, in order, so a later one can extend an earlier one's workloads; global factories
 * run once, after all environments.
 */

import { opsChart, opsPlatformChart } from '../ops/chart.js';
import { previewChart } from '../ops/preview.js';
import { appsChart } from './app/index.js';
import { argocdChart } from './argocd/index.js';
import type { ChartFactory } from './factory.js';
import { namespaceChart } from './namespace.js';
import { policiesChart } from './policies.js';

export const chartFactories: ChartFactory[] = [
  namespaceChart,
  appsChart,
  // Constructs that extend the apps (analysis, autoscaling, monitoring…) go here, after appsChart.
  opsChart,
  argocdChart,
  // After argocdChart: subscribes the environments' ApplicationSets to notifications.
  opsPlatformChart,
  policiesChart, // policies/ as admission control: gitops/platform/policies/ and its Application
  // gitops/preview/ and the pull-request ApplicationSet, from the environment factories above.
  previewChart(() => chartFactories),
];
