/**
 * Every check the rehearsal runs, in report order (docs/rehearsal.md). One line per check: a
 * check is a folder under src/ whose index exports a `RehearsalCheck`.
 */
import { admission } from './admission/index.js';
import { metricsCheck } from './metrics/index.js';
import type { RehearsalCheck } from './model.js';
import { networkCheck } from './network/index.js';
import { platformCheck, syncPlanCheck } from './sync-plan/index.js';

export const CHECKS: RehearsalCheck[] = [
  admission,
  syncPlanCheck,
  platformCheck,
  networkCheck(),
  metricsCheck,
];
