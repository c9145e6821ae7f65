/** @payday/rehearsal: what a real cluster will do with gitops/, checked offline (docs/rehearsal.md). */
export { admissionCheck } from './admission/index.js';
export { CHECKS } from './checks.js';
export { main as rehearseCli } from './cli/rehearse.js';
export { expandObjects, ruleFor } from './expand/expand.js';
export { NOTHING, RULES } from './expand/rules.js';
export { GitopsLoadError, readGitopsDir } from './load/gitops-dir.js';
export { fromRendered } from './load/rendered.js';
export { metricFindings, metricsCheck } from './metrics/index.js';
export { parsedQueries, rememberParsedQueries } from './metrics/promql.js';
export * from './model.js';
export * from './network/index.js';
export * as platform from './platform/index.js';
export { type RehearsalResult, type RehearseOptions, rehearse } from './rehearse.js';
export { formatJson, formatText } from './report/text.js';
export { SAMPLE_PULL_REQUEST, type SamplePullRequest } from './scenario/applicationset.js';
export { buildScenarios } from './scenario/build.js';
export { trackedBy } from './scenario/place.js';
export * as syncPlan from './sync-plan/index.js';
