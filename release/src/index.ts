/**
 * @payday/release: promotion tooling over the environment files in git (promote, rollback,
 * approve, history, diff). It renders and gates through @payday/generators' public entry and the
 * policy engine; docs/release.md describes the commands and the rules they enforce.
 */
export { type ApproveOptions, type ApproveResult, approve } from './commands/approve.js';
export { type PromoteOptions, type PromoteResult, promote } from './commands/promote.js';
export { Refusal } from './commands/refusal.js';
export { type RollbackOptions, type RollbackResult, rollback } from './commands/rollback.js';
export { type EntryFilter, filterEntries, type HistoryEntry } from './history/entries.js';
export { type History, loadHistory } from './history/history.js';
export type { GateOutcome, Pipeline, RenderOutput } from './pipeline/pipeline.js';
export { realPipeline } from './pipeline/real-pipeline.js';
export { FORMATS, type Format, formatEntries, formatJson } from './report/history-format.js';
export { type ReportOptions, renderReport } from './report/report-html.js';
export { type Audit, type AuditOptions, auditHistory } from './verify/audit.js';
export { type VerifyOptions, type Violation, verifyHistory } from './verify/verify.js';
