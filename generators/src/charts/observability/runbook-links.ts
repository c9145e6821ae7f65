/**
 * The runbooks alerts and notifications link to (files in runbooks/). tests/runbooks.test.ts
 * checks that every file named here exists and that every rendered `runbook_url` resolves to one.
 */
export const RUNBOOKS = {
  promote: 'promote.md',
  rollbackAndAbort: 'rollback-and-abort.md',
  canaryAnalysisFailed: 'canary-analysis-failed.md',
  blueGreenStuck: 'bluegreen-stuck-in-preview.md',
  apiSloBurn: 'api-slo-burn.md',
  workerBacklog: 'worker-backlog.md',
  webhookFailures: 'webhook-delivery-failures.md',
  databaseFailover: 'database-failover.md',
  databaseRestore: 'database-restore.md',
  secretRotation: 'secret-rotation.md',
  policyViolation: 'policy-violation.md',
  renderDrift: 'render-drift.md',
  syncWindowFreeze: 'sync-window-freeze.md',
  syncFailed: 'argocd-sync-failed.md',
  previews: 'preview-environments.md',
} as const;

export type RunbookKey = keyof typeof RUNBOOKS;

export function runbookUrl(base: string, key: RunbookKey): string {
  return `${base.replace(/\/$/, '')}/${RUNBOOKS[key]}`;
}
