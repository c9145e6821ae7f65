/**
 * @payday/generators: environments → cdk8s charts → validated, deterministic gitops/ tree.
 * See generators/README.md for the pipeline and how to add a construct or a schema section.
 */
export { APP_NAMES, APPS, type AppName, isAppName } from './catalogue/apps.js';
// Rendering (render/), charts (charts/), validation (validate/).
export type { AnalysisRef } from './charts/app/workload.js';
export { AppWorkload, CONTAINER } from './charts/app/workload.js';
export type { AppRef } from './charts/app-ref.js';
export type { BuilderContext, EnvironmentContext, FolderOptions, GlobalContext } from './charts/context.js';
export {
  type ChartFactory,
  type EnvironmentChartFactory,
  type GlobalChartFactory,
  moduleSource,
} from './charts/factory.js';
export {
  appLabels,
  ENVIRONMENT_LABEL,
  environmentLabels,
  OWNER_LABEL,
  SYNC_WAVE,
  selectorLabels,
  syncWave,
} from './charts/labels.js';
export { chartFactories } from './charts/registry.js';
// Costs of the committed tree, for reports that read git rather than render.
export type { CostSummary } from './cost/cost.js';
export { costsOfRepository, costsOfTree } from './cost/cost-tree.js';
export { formatDuration, isDuration, parseDuration } from './environments/duration.js';
export { EnvironmentError, type EnvironmentIssue, formatIssue } from './environments/errors.js';
export { type ImageRef, parseImageRef } from './environments/image-ref.js';
export {
  environmentFiles,
  environmentName,
  type LoadOptions,
  loadEnvironment,
  loadEnvironments,
} from './environments/load.js';
export {
  type AppSettings,
  type Environment,
  type EnvironmentSettings,
  environmentSchema,
  resolvedReplicas,
  resolvedStrategy,
} from './environments/schema.js';
export { environmentNamespace, environmentProject, PLATFORM } from './platform.js';
// The cluster rehearsal of a render, as the render command runs it (docs/rehearsal.md §Cost).
export {
  type RehearsalOutcome,
  type RehearsalRequest,
  rehearseRendered,
} from './render/rehearse-rendered.js';
export {
  REPO_ROOT,
  type RenderOptions,
  renderEnvironments,
  UnknownEnvironmentError,
} from './render/render.js';
export { serializeObject, toYaml } from './render/serialize.js';
export { diffTrees, readTree, type TreeDiff } from './render/tree.js';
export type { K8sObject, RenderedEnvironment, RenderedObject, RenderResult } from './render/types.js';
export { type WriteOptions, writeRendered } from './render/write.js';
export {
  formatProblem,
  ObjectValidator,
  RenderValidationError,
  type ValidationProblem,
  validateRendered,
} from './validate/validate.js';
