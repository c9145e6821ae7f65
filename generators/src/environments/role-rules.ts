/**
 * Rules that need the environment's role, not just one field. They run when the environment file
 * loads (environments/load.ts), so a broken prod file stops every command with
 * `file:line:col: path: message` before anything is built; the policy gate checks the rendered
 * result too (policies/prod-rollout-analysis, policies/prod-database-ha).
 */
import type { OpsSettings } from './sections/operations.js';

/**
 * Rules that need the environment's role, not just one field: prod must gate rollouts on analysis,
 * run ≥3 database instances and archive WAL (the policy gate checks the rendered result too).
 * Returns `[path, message]` pairs so the loader can print `file:line:col: path: message`.
 */
export function opsSettingsProblems(env: string, s: OpsSettings): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (env === 'prod') {
    if (!s.analysis.enabled) problems.push(['analysis.enabled', 'prod may not skip analysis']);
    if (s.database.instances < 3) problems.push(['database.instances', 'prod needs at least 3 instances']);
    if (!s.database.backups.enabled)
      problems.push(['database.backups.enabled', 'prod must archive WAL and back up']);
  }
  return problems;
}
