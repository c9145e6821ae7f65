/**
 * The flow matrix: who must reach whom, and who must not, declared per app in the catalogue
 * (generators/src/catalogue/flows.ts) and handed to the rehearsal by the renderer, which never
 * imports it back (docs/rehearsal.md §Network reachability).
 */
import type { ContainerPort } from './evaluate.js';
import type { Protocol } from './network-policy.js';

/** Pods, found by their labels. */
export interface FlowPods {
  /** How findings name them: `api`, `database`, `Prometheus`. */
  name: string;
  /** Omitted: the scenario's own namespace (the environment's, or the preview's `pr-<number>`). */
  namespace?: string;
  /** Labels every one of the pods carries; `{}` is every pod of the namespace. */
  labels: Record<string, string>;
  /**
   * Pods the rendered tree does not hold (a platform chart's, the cluster's DNS): the matrix
   * states the labels and ports they run with, and `source` cites where that comes from (the
   * chart at its pinned version). Without it the pods must be in the scenario, or the flow fails.
   */
  external?: { source: string; ports?: ContainerPort[] };
}

/** An address outside the pod network (the internet). */
export interface FlowAddress {
  name: string;
  address: string;
}

export type FlowEndpoint = { pods: FlowPods } | { address: FlowAddress };

export interface Flow {
  from: FlowEndpoint;
  to: FlowEndpoint;
  /** A number, or a container port name resolved on every destination pod. */
  port: number | string;
  /** Defaults to TCP. */
  protocol?: Protocol;
  /** `allowed`: must get through; `blocked`: must not. */
  expect: 'allowed' | 'blocked';
  /** Which scenarios it holds in: the environments (dev, staging, prod), the preview, or both. */
  in: 'environments' | 'preview' | 'all';
  /** Only when the scenario holds an object of this kind (with a trigger of this type). */
  when?: { kind: string; triggerType?: string };
  /** Why the flow exists (or must not), shown in the docs and in findings' context. */
  why: string;
}

export type FlowMatrix = readonly Flow[];

/** What the orchestrator passes the network check (docs/rehearsal.md §Network reachability). */
export interface NetworkOptions {
  flows?: FlowMatrix;
}
