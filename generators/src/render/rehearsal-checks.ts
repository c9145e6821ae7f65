import { networkCheck, type RehearsalCheck } from '@payday/rehearsal';
import { FLOWS } from '../catalogue/flows.js';

/** The rehearsal's checks with what only the generators hold: the flow matrix for the network check. */
export function rehearsalChecks(checks: readonly RehearsalCheck[]): RehearsalCheck[] {
  return checks.map((c) => (c.name === 'network' ? networkCheck({ flows: FLOWS }) : c));
}
