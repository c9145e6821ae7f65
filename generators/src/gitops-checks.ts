/**
 * What the repository-wide checks in tests/ read from the generators: the secret scanner they run
 * over the committed gitops/ tree, and the runbooks alerts and notifications link to (README.md,
 * "The tree": tests/).
 */
export { RUNBOOKS } from './charts/observability/runbook-links.js';
export { scanForSecrets } from './validate/secret-scan.js';
