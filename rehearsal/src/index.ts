/** @payday/rehearsal: what a real cluster will do with gitops/, checked offline (docs/rehearsal.md). */

export { metricFindings, metricsCheck } from './metrics/index.js';
export * from './model.js';
export * from './network/index.js';
export * as platform from './platform/index.js';
export * as syncPlan from './sync-plan/index.js';
