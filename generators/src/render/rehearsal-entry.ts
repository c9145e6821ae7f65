/**
 * Everything the render command needs from the cluster rehearsal and the policy gate, in one
 * module: the entry point of the rehearsal's bundle (rehearsal-bundle.ts), and what
 * rehearse-rendered.ts imports when there is no bundle. The gate comes from here too, so that
 * the gate and the rehearsal's admission share one policy engine: its policies are read and
 * their CEL compiled once per process.
 */

export { gateRendered } from '@payday/policy-engine';
export {
  CHECKS,
  formatText,
  fromRendered,
  parsedQueries,
  readGitopsDir,
  rehearse,
  rememberParsedQueries,
} from '@payday/rehearsal';
export { rehearsalChecks } from './rehearsal-checks.js';
