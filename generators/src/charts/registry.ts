/**
 * The chart registry: every factory that contributes objects to the rendered tree, in build
 * order. To add constructs, write a module exporting a `ChartFactory` (factory.ts) and add one
 * line below (generators/README.md, "Adding a construct"). Environment factories run once per
 * environment (and once more for the preview scenario, render/build.ts); global factories run
 * once, after all environments. No factory changes another's objects.
 */

import { appsChart } from './app/index.js';
import { argocdChart } from './argocd/index.js';
import { databaseChart } from './database/index.js';
import type { ChartFactory } from './factory.js';
import { namespaceChart } from './namespace/index.js';
import { observabilityChart } from './observability/index.js';
import { policiesChart } from './policies/index.js';

/** One factory per output folder: `gitops/<env>/<folder>/` first, then the global folders. */
export const chartFactories: ChartFactory[] = [
  namespaceChart, // gitops/<env>/namespace/
  appsChart, // gitops/<env>/{api,frontend,worker}/
  databaseChart, // gitops/<env>/database/
  observabilityChart, // gitops/<env>/observability/
  argocdChart, // gitops/argocd/ and gitops/argocd/platform/
  policiesChart, // gitops/platform/policies/ (admission control) and its Application
];
