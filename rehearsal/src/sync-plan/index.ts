/** The sync plan (docs/rehearsal.md, "Sync plan"). */
export { checkPlan, syncPlanCheck } from './check.js';
export { formatPlan } from './format.js';
export { buildPlan, type Plan } from './plan.js';
export { checkPlatform, platformCheck, serviceReferences } from './platform-check.js';
