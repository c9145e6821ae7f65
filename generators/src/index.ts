/**
 * @payday/generators: environments → cdk8s charts → validated, deterministic gitops/ tree.
 * See generators/README.md for the pipeline and how to add a construct or a schema section.
 */
export { APP_NAMES, APPS, type AppName, isAppName } from './catalogue/apps.js';
export { isDuration, parseDuration } from './environments/duration.js';
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
