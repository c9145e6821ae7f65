/**
 * `@payday/generators/environments`: what tools that read environment files without rendering
 * need (the duration format, "did you mean" suggestions, the settings' types), without loading
 * the charts, cdk8s and the validator that the package's main entry pulls in. `npm run history`
 * reads thousands of file versions and never renders, so it starts from here.
 */
export { formatDuration, isDuration, parseDuration } from './duration.js';
export type { Environment, EnvironmentSettings } from './schema.js';
export { nearest } from './suggest.js';
