/**
 * Everything the render command needs from the cluster rehearsal, in one module: the entry point
 * of the rehearsal's bundle (rehearsal-bundle.ts), and what rehearse-rendered.ts imports when
 * there is no bundle.
 */
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
